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
import { Effect } from "effect";
import { createApp } from "../../app/server.ts";
import { AppointmentBook } from "../../knowledge/appointments/appointment-book.ts";
import { FinesChecks } from "../../knowledge/fines/checks.ts";
import { LeadStore } from "../../knowledge/leads/lead-store.ts";
import { UNDOCUMENTED_ROUTES } from "./openapi.ts";

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

/** A local date (YYYY-MM-DD) 2-8 days ahead that is a Wednesday: an open weekday whatever day the test runs. */
const nextWednesday = () => {
  const day = new Date(Date.now() + 2 * 86_400_000);
  while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
};

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

/** A layer of Express 5's router (router 2.x): a route, or a nested router under rawPath. */
interface RouterLayer {
  readonly route?: { readonly path: string | string[]; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: ReadonlyArray<RouterLayer> };
  readonly rawPath?: unknown;
  readonly slash?: boolean;
}

const joinPath = (prefix: string, path: string) => {
  const joined = `${prefix}/${path}`.replace(/\/+/g, "/");
  return joined.length > 1 ? joined.replace(/\/$/, "") : joined;
};

/** Every route mounted on the app, nested routers included, as { method, path } with Express patterns (":id"). */
const mountedRoutes = (stack: ReadonlyArray<RouterLayer>, prefix = ""): Array<{ method: string; path: string }> =>
  stack.flatMap((layer) => {
    if (layer.route) {
      const paths = ([] as string[]).concat(layer.route.path);
      const methods = Object.keys(layer.route.methods).filter((method) => layer.route!.methods[method]);
      return paths.flatMap((path) => methods.map((method) => ({ method: method === "_all" ? "all" : method, path: joinPath(prefix, path) })));
    }
    if (!layer.handle?.stack) return [];
    const mounts = layer.slash ? [""] : ([] as unknown[]).concat(layer.rawPath);
    return mounts.flatMap((mount) => {
      if (typeof mount !== "string") throw new Error(`A router mounted at a non-string path (${String(mount)}): teach the walk about it`);
      return mountedRoutes(layer.handle!.stack!, joinPath(prefix, mount));
    });
  });

/** An Express pattern as a regular expression over concrete paths (":name" one segment, "*name" the rest). */
const expressPattern = (path: string) => {
  if (/[{}()]/.test(path)) throw new Error(`Route pattern ${path}: optional groups are not handled by this test`);
  const source = path
    .split(/(:\w+|\*\w+)/)
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.startsWith("*") ? ".+" : part.replace(/[.+?^$|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
};

/** A document path with each {parameter} given a sample value. */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, "sample");

/** The mounted routes that neither the document nor UNDOCUMENTED_ROUTES covers. */
const undocumented = (routes: ReadonlyArray<{ method: string; path: string }>, paths: Document["paths"]) =>
  routes.filter(({ method, path }) => {
    if (UNDOCUMENTED_ROUTES.some((excluded) => excluded.method === method && excluded.path === path)) return false;
    const pattern = expressPattern(path);
    return !Object.entries(paths).some(([template, operations]) => (method === "all" || method in operations) && pattern.test(samplePath(template)));
  });

describe("route coverage: every mounted route is documented or explicitly excluded", () => {
  const routes = () => {
    const app = createApp(server.runtime, server.tracing, server.config);
    return mountedRoutes((app as unknown as { router: { stack: RouterLayer[] } }).router.stack);
  };

  it("walks the app's router, nested routers included", () => {
    const found = routes().map((route) => `${route.method} ${route.path}`);
    // One route from each nesting depth: app, a mounted router, a router inside a router.
    expect(found).toEqual(expect.arrayContaining(["get /health", "get /v1/fines/checks/:id", "post /v1/conversations/:conversationId/messages", "get /v1/admin/leads", "post /api/chat", "get /inspector/api/traces/:traceId"]));
    expect(found.length).toBeGreaterThan(30);
  });

  it("finds no mounted route outside the document and the exclusion list", () => {
    expect(undocumented(routes(), document.paths).map((route) => `${route.method.toUpperCase()} ${route.path}`)).toEqual([]);
  });

  it("fails when the document loses a path (the check can fail)", () => {
    const { ["/v1/fines/checks/{id}"]: _fines, ...withoutFines } = document.paths;
    expect(undocumented(routes(), withoutFines).map((route) => `${route.method} ${route.path}`)).toEqual(["get /v1/fines/checks/:id"]);
  });

  it("every documented operation and every exclusion is mounted (no stale entries)", () => {
    const mounted = routes();
    for (const [template, operations] of Object.entries(document.paths))
      for (const method of Object.keys(operations))
        expect(mounted.some((route) => (route.method === method || route.method === "all") && expressPattern(route.path).test(samplePath(template))), `${method.toUpperCase()} ${template} is mounted`).toBe(true);
    for (const excluded of UNDOCUMENTED_ROUTES) expect(mounted, `excluded ${excluded.path} is mounted`).toContainEqual({ method: excluded.method, path: excluded.path });
  });
});

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
        "/v1/fines/checks/{id}",
        "/v1/appointments/{id}.ics",
        "/v1/admin/leads",
        "/v1/admin/leads/{id}",
        "/v1/admin/appointments",
        "/v1/admin/metrics/funnel",
        "/admin/funnel",
        "/inspector",
        "/inspector/api/stats",
        "/inspector/api/conversations",
        "/inspector/api/turns",
        "/inspector/api/conversations/{id}",
        "/inspector/api/conversations/{id}/golden",
        "/inspector/api/traces/{traceId}",
        "/metrics",
        "/openapi.json",
        "/docs",
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
  it("fines checks and appointment calendar files", async () => {
    const check = await server.runtime.runPromise(FinesChecks.use((checks) => checks.start({ conversationId: null, channel: "http", plate: "ABC1234", imageRef: null })));
    const body = await conforms("/v1/fines/checks/{id}", "get", await fetch(`${server.url}/v1/fines/checks/${check.id}`));
    expect(body.id).toBe(check.id);
    await conforms("/v1/fines/checks/{id}", "get", await fetch(`${server.url}/v1/fines/checks/fc_00000000-0000-0000-0000-000000000000`));
    await conforms("/v1/fines/checks/{id}", "get", await fetch(`${server.url}/v1/fines/checks/nope`));
    await postJson(`${server.url}/v1/conversations/oa-sales/messages`, { text: "Hola" });
    const appointment = await server.runtime.runPromise(
      AppointmentBook.use((book) => book.book({ conversationId: "oa-sales", channel: "http", kind: "visita", sede: "Antara", when: `${nextWednesday()}T11:00`, car: null, phone: null })),
    );
    expect(await conforms("/v1/appointments/{id}.ics", "get", await fetch(`${server.url}/v1/appointments/${appointment.id}.ics`))).toContain("BEGIN:VCALENDAR");
    await conforms("/v1/appointments/{id}.ics", "get", await fetch(`${server.url}/v1/appointments/apt_00000000-0000-0000-0000-000000000000.ics`));
    await conforms("/v1/appointments/{id}.ics", "get", await fetch(`${server.url}/v1/appointments/x.txt`));
  });

  it("the sales admin API and its funnel page", async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const lead = await server.runtime.runPromise(
      LeadStore.use((leads) => leads.create({ conversationId: "oa-sales", channel: "http", name: "Ana", phone: "+525512345678", consent: true, car: null, purpose: "compra", callTime: null, notes: null })),
    );
    const leads = await conforms("/v1/admin/leads", "get", await fetch(`${server.url}/v1/admin/leads`, { headers: auth }));
    expect(leads.leads.length).toBeGreaterThan(0);
    await conforms("/v1/admin/leads", "get", await fetch(`${server.url}/v1/admin/leads?status=bogus`, { headers: auth }));
    await conforms("/v1/admin/leads", "get", await fetch(`${server.url}/v1/admin/leads`));
    const patch = (id: string, body: unknown) => fetch(`${server.url}/v1/admin/leads/${id}`, { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await conforms("/v1/admin/leads/{id}", "patch", await patch(lead.id, { status: "contacted" }))).lead.status).toBe("contacted");
    await conforms("/v1/admin/leads/{id}", "patch", await patch("lead_00000000-0000-0000-0000-000000000000", { notes: "x" }));
    await conforms("/v1/admin/leads/{id}", "patch", await patch("not-a-lead", { notes: "x" }));
    await conforms("/v1/admin/leads/{id}", "patch", await patch(lead.id, { status: "bogus" }));
    const appointments = await conforms("/v1/admin/appointments", "get", await fetch(`${server.url}/v1/admin/appointments`, { headers: auth }));
    expect(appointments.appointments.length).toBeGreaterThan(0);
    await conforms("/v1/admin/appointments", "get", await fetch(`${server.url}/v1/admin/appointments?limit=0`, { headers: auth }));
    await conforms("/v1/admin/metrics/funnel", "get", await fetch(`${server.url}/v1/admin/metrics/funnel?from=2020-01-01&to=2100-01-01`, { headers: auth }));
    await conforms("/v1/admin/metrics/funnel", "get", await fetch(`${server.url}/v1/admin/metrics/funnel?from=2030-01-01&to=2020-01-01`, { headers: auth }));
    expect(await conforms("/admin/funnel", "get", await fetch(`${server.url}/admin/funnel`))).toContain("<html");
  });

  it("the inspector's page and JSON API", async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const get = (path: string, headers: Record<string, string> = auth) => fetch(`${server.url}/inspector${path}`, { headers });
    const reply = await (await postJson(`${server.url}/v1/conversations/oa-inspect/messages`, { text: "Busco un Nissan Versa" })).json();
    await server.tracing.store.forceFlush();
    expect(await conforms("/inspector", "get", await get(""))).toContain("<html");
    await conforms("/inspector", "get", await get("", {}));
    await conforms("/inspector/api/stats", "get", await get("/api/stats"));
    await conforms("/inspector/api/stats", "get", await get("/api/stats", { authorization: "Bearer wrong" }));
    const conversations = await conforms("/inspector/api/conversations", "get", await get("/api/conversations?conversation=oa-inspect"));
    expect(conversations.conversations.length).toBeGreaterThan(0);
    await conforms("/inspector/api/conversations", "get", await get("/api/conversations?error=maybe"));
    expect((await conforms("/inspector/api/turns", "get", await get("/api/turns?tool=search_cars&limit=5"))).turns.length).toBeGreaterThan(0);
    await conforms("/inspector/api/turns", "get", await get("/api/turns?minDurationMs=-1"));
    await conforms("/inspector/api/turns", "get", await get("/api/turns?unknown=1"));
    await conforms("/inspector/api/conversations/{id}", "get", await get("/api/conversations/oa-inspect"));
    await conforms("/inspector/api/conversations/{id}", "get", await get("/api/conversations/nobody"));
    const golden = (id: string, init: RequestInit = {}) => fetch(`${server.url}/inspector/api/conversations/${id}/golden`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{}", ...init });
    await conforms("/inspector/api/conversations/{id}/golden", "post", await golden("oa-inspect"));
    await conforms("/inspector/api/conversations/{id}/golden", "post", await golden("nobody"));
    await conforms("/inspector/api/conversations/{id}/golden", "post", await golden("oa-inspect", { headers: { ...auth, "content-type": "application/x-www-form-urlencoded" }, body: "a=1" }));
    await conforms("/inspector/api/traces/{traceId}", "get", await get(`/api/traces/${reply.traceId}`));
    await conforms("/inspector/api/traces/{traceId}", "get", await get("/api/traces/ffffffffffffffffffffffffffffffff"));
    await conforms("/inspector/api/traces/{traceId}", "get", await get("/api/traces/not-a-trace"));
  });

  it("operations: metrics, the document, the docs page", async () => {
    const metrics = await fetch(`${server.url}/metrics`);
    // Mounted only when Prometheus exports (OTEL_METRICS_EXPORTER); otherwise the documented 404.
    await conforms("/metrics", "get", metrics);
    expect(metrics.status).toBe(server.tracing.metricsHandler ? 200 : 404);
    expect((await conforms("/openapi.json", "get", await fetch(`${server.url}/openapi.json`))).openapi).toBe("3.1.0");
    await conforms("/docs", "get", await fetch(`${server.url}/docs`));
  });
});
