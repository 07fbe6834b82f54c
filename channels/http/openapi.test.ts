/**
 * The OpenAPI document against the real server: /openapi.json is served and is OpenAPI 3.1; every
 * path the document lists answers; and real responses of every public and admin endpoint (successes
 * and errors) validate against the schema the document gives for their path, method, status and
 * content type (Ajv, JSON Schema 2020-12, the document's own components).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { SCALAR_BUNDLE } from "../../app/edges/docs.ts";
import { existsSync } from "node:fs";

const KEY = "openapi-test-key";
const CLIENT_ID = "openapi-client-000001";

type Document = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };

let server: TestServer;
let document: Document;
let ajv: Ajv2020;

beforeAll(async () => {
  server = await startTestServer((config) => ({ ...config, admin: { apiKeys: [KEY] } }));
  document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document;
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document as object, "openapi.json");
}, 60_000);

afterAll(async () => server?.close());

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Checks a real response against the document: its status is documented for the operation, and its JSON body fits the schema. */
const conforms = async (template: string, method: string, response: Response) => {
  const operation = document.paths[template]?.[method];
  expect(operation, `${method.toUpperCase()} ${template} is in the document`).toBeDefined();
  const status = String(response.status);
  const documented = operation!.responses[status];
  expect(documented, `${method.toUpperCase()} ${template} documents ${status}`).toBeDefined();
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (!documented!.content || response.status === 204) return undefined;
  expect(Object.keys(documented!.content), `${method.toUpperCase()} ${template} ${status} content types`).toContain(contentType);
  if (contentType !== "application/json") return response.text();
  const body = await response.json();
  const validate = ajv.getSchema(`openapi.json#/${pointer("paths", template, method, "responses", status, "content", contentType, "schema")}`)!;
  expect(validate, "schema compiles").toBeDefined();
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${method.toUpperCase()} ${template} ${status}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  return body;
};

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and covers every public and admin endpoint", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/",
        "/api/chat",
        "/api/chat/history/{conversationId}",
        "/channels/whatsapp/status",
        "/channels/whatsapp/webhook",
        "/health",
        "/v1/admin/cars",
        "/v1/admin/cars/import",
        "/v1/admin/cars/{stockId}",
        "/v1/conversations/{conversationId}",
        "/v1/conversations/{conversationId}/messages",
        "/v1/financing/quotes",
        "/v1/financing/quotes/{id}",
        "/v1/knowledge/search",
        "/v1/traces/{traceId}",
        "/widget.js",
      ].sort(),
    );
  });

  it("/docs serves the Scalar reference from this server (no CDN)", async () => {
    const page = await fetch(`${server.url}/docs`);
    if (!existsSync(SCALAR_BUNDLE)) return expect(page.status).toBe(503);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('data-url="/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${server.url}/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe("real responses conform to the document", () => {
  it("conversations: reply, history, forget, and their errors", async () => {
    const u = `${server.url}/v1/conversations`;
    const reply = await conforms("/v1/conversations/{conversationId}/messages", "post", await postJson(`${u}/oa-1/messages`, { text: "Busco un Nissan Versa" }));
    expect(reply.toolCalls.length).toBeGreaterThan(0);
    await conforms("/v1/conversations/{conversationId}/messages", "get", await fetch(`${u}/oa-1/messages`));
    await conforms("/v1/conversations/{conversationId}/messages", "post", await postJson(`${u}/oa-1/messages`, { text: "" }));
    await conforms("/v1/conversations/{conversationId}/messages", "post", await postJson(`${u}/wa:1/messages`, { text: "Hola" }));
    await conforms("/v1/conversations/{conversationId}/messages", "post", await postJson(`${u}/%ZZ/messages`, { text: "Hola" }));
    await conforms("/v1/conversations/{conversationId}/messages", "get", await fetch(`${u}/nobody/messages`));
    await conforms("/v1/conversations/{conversationId}", "delete", await fetch(`${u}/oa-1`, { method: "DELETE" }));
    await conforms("/v1/conversations/{conversationId}", "delete", await fetch(`${u}/oa-1`, { method: "DELETE" }));
  });

  it("financing quotes", async () => {
    const u = `${server.url}/v1/financing/quotes`;
    const created = await conforms("/v1/financing/quotes", "post", await postJson(u, { stockId: 322722, downPayment: 50_000, termMonths: [48] }));
    await conforms("/v1/financing/quotes/{id}", "get", await fetch(`${u}/${created.id}`));
    await conforms("/v1/financing/quotes", "post", await postJson(u, { price: 100, downPayment: 500 }));
    await conforms("/v1/financing/quotes", "post", await postJson(u, { stockId: 1 }));
    await conforms("/v1/financing/quotes", "post", await fetch(u, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }));
    await conforms("/v1/financing/quotes/{id}", "get", await fetch(`${u}/q_nope`));
  });

  it("knowledge search, traces, health", async () => {
    const found = await conforms("/v1/knowledge/search", "get", await fetch(`${server.url}/v1/knowledge/search?q=garant%C3%ADa`));
    expect(found.results.length).toBeGreaterThan(0);
    await conforms("/v1/knowledge/search", "get", await fetch(`${server.url}/v1/knowledge/search?limit=99`));
    const reply = await (await postJson(`${server.url}/v1/conversations/oa-trace/messages`, { text: "Hola" })).json();
    await conforms("/v1/traces/{traceId}", "get", await fetch(`${server.url}/v1/traces/${reply.traceId}`));
    await conforms("/v1/traces/{traceId}", "get", await fetch(`${server.url}/v1/traces/ffffffffffffffffffffffffffffffff`));
    await conforms("/health", "get", await fetch(`${server.url}/health`));
  });

  it("the web widget's chat, history, page and script", async () => {
    const stream = await conforms("/api/chat", "post", await postJson(`${server.url}/api/chat`, { conversationId: CLIENT_ID, text: "Hola" }));
    expect(stream).toContain("data:");
    await conforms("/api/chat", "post", await postJson(`${server.url}/api/chat`, { conversationId: "short", text: "Hola" }));
    await conforms("/api/chat", "post", await postJson(`${server.url}/api/chat`, { conversationId: CLIENT_ID, text: "Hola" }, { origin: "https://evil.example" }));
    await conforms("/api/chat/history/{conversationId}", "get", await fetch(`${server.url}/api/chat/history/${CLIENT_ID}`));
    await conforms("/api/chat/history/{conversationId}", "get", await fetch(`${server.url}/api/chat/history/unknown-client-000000`));
    await conforms("/", "get", await fetch(`${server.url}/`));
    await conforms("/widget.js", "get", await fetch(`${server.url}/widget.js`));
  });

  it("WhatsApp's webhook refuses unsigned requests in the documented shape", async () => {
    const form = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "MessageSid=SM0123456789&From=whatsapp%3A%2B5215512345678&Body=Hola" };
    await conforms("/channels/whatsapp/webhook", "post", await fetch(`${server.url}/channels/whatsapp/webhook`, form));
    await conforms("/channels/whatsapp/status", "post", await fetch(`${server.url}/channels/whatsapp/status`, form));
  });

  it("the catalog admin API", async () => {
    const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    const u = `${server.url}/v1/admin/cars`;
    const page = await conforms("/v1/admin/cars", "get", await fetch(`${u}?limit=2`, { headers: auth }));
    expect(page.cars).toHaveLength(2);
    await conforms("/v1/admin/cars", "get", await fetch(`${u}?limit=x`, { headers: auth }));
    await conforms("/v1/admin/cars", "get", await fetch(u));
    const car = { stockId: 990001, make: "Mazda", model: "3", year: 2019, price: 300_000, km: 10_000 };
    await conforms("/v1/admin/cars", "post", await fetch(u, { method: "POST", headers: auth, body: JSON.stringify(car) }));
    await conforms("/v1/admin/cars", "post", await fetch(u, { method: "POST", headers: auth, body: JSON.stringify(car) }));
    await conforms("/v1/admin/cars/{stockId}", "get", await fetch(`${u}/990001`, { headers: auth }));
    await conforms("/v1/admin/cars/{stockId}", "patch", await fetch(`${u}/990001`, { method: "PATCH", headers: auth, body: JSON.stringify({ price: 290_000 }) }));
    const { stockId: _, ...withoutId } = car;
    await conforms("/v1/admin/cars/{stockId}", "put", await fetch(`${u}/990002`, { method: "PUT", headers: auth, body: JSON.stringify(withoutId) }));
    await conforms("/v1/admin/cars/import", "post", await fetch(`${u}/import`, { method: "POST", headers: auth, body: JSON.stringify({ cars: [{ ...car, stockId: 990003 }] }) }));
    await conforms("/v1/admin/cars/import", "post", await fetch(`${u}/import`, { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: "stock_id,km\nx,y" }));
    for (const id of [990001, 990002, 990003]) await conforms("/v1/admin/cars/{stockId}", "delete", await fetch(`${u}/${id}`, { method: "DELETE", headers: auth }));
    await conforms("/v1/admin/cars/{stockId}", "get", await fetch(`${u}/990001`, { headers: auth }));
    await conforms("/v1/admin/cars/{stockId}", "get", await fetch(`${u}/abc`, { headers: auth }));
  });
});
