/**
 * The production edges over a real server (createServer on port 0, real PGlite, offline model):
 * malformed input gets the documented 4xx shape, security headers, rate limits in the shared store,
 * CORS refusals the widget can read, 503 for quotes when the database is down.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import express from "express";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig } from "../../core/config.ts";
import { financingRouter } from "../../channels/http/financing-router.ts";
import { CarStore } from "../../knowledge/catalog/car-store.ts";
import { Database, DatabaseError } from "../../knowledge/db/database.ts";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import { QuoteStore } from "../../knowledge/financing/quote-store.ts";
import { OfflineModel } from "../app-layer.ts";
import { createServer, type RunningServer } from "../server.ts";
import { EDGE_DEFAULTS, type EdgeConfig } from "./config.ts";
import { edgeErrorHandler } from "./error-handler.ts";
import { DatabaseRateLimitStore } from "./rate-limit-store.ts";

const KEY = "edge-test-admin-key";
const DEALER = "https://dealer.example";
const CLIENT_ID = "edge-test-client-0001";

const start = async (edges: EdgeConfig) => {
  const { options, drop } = await createTestDatabase();
  const defaults = await Effect.runPromise(appConfig);
  const config = {
    ...defaults,
    port: 0,
    database: { ...defaults.database, url: options.url, pgliteDataDir: options.pgliteDataDir || "memory://" },
    admin: { apiKeys: [KEY] },
    widget: { allowedOrigins: [DEALER] },
  };
  const running = await createServer({ config, model: OfflineModel, port: 0, edges });
  return { ...running, close: async () => (await running.close(), await drop()) };
};

const expectErrorShape = async (response: Response, status: number, code?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await response.json();
  expect(body).toEqual({ error: expect.objectContaining({ code: code ?? expect.any(String), message: expect.any(String) }) });
  return body as { error: { code: string; message: string } };
};

/** Sends bytes on a raw socket (what fetch refuses to send) and returns the raw answer. */
const raw = (url: string, data: string) =>
  new Promise<string>((resolve) => {
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    let out = "";
    socket.on("data", (chunk) => (out += chunk.toString()));
    socket.on("close", () => resolve(out));
    socket.on("error", () => undefined);
    socket.write(data);
  });

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("malformed input gets the documented 4xx", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await start(EDGE_DEFAULTS);
  }, 60_000);
  afterAll(async () => server?.close());

  it("bad percent-encoding in a path id is 400 bad_path_encoding on every route with an id", async () => {
    const u = server.url;
    await expectErrorShape(await post(`${u}/v1/conversations/%ZZ/messages`, { text: "Hola" }), 400, "bad_path_encoding");
    await expectErrorShape(await fetch(`${u}/v1/conversations/%E0%A4%A/messages`), 400, "bad_path_encoding");
    await expectErrorShape(await fetch(`${u}/v1/conversations/%C0%AF`, { method: "DELETE" }), 400);
    await expectErrorShape(await fetch(`${u}/v1/financing/quotes/%ZZ`), 400, "bad_path_encoding");
    await expectErrorShape(await fetch(`${u}/api/chat/history/%ZZ`), 400, "bad_path_encoding");
    await expectErrorShape(await fetch(`${u}/v1/admin/cars/%ZZ`, { headers: { authorization: `Bearer ${KEY}` } }), 400, "bad_path_encoding");
  });

  it("a corrupt gzip, br or deflate body is 400 bad_content_encoding; an unknown encoding 415", async () => {
    const u = `${server.url}/v1/financing/quotes`;
    for (const encoding of ["gzip", "br", "deflate"]) {
      const response = await fetch(u, { method: "POST", headers: { "content-type": "application/json", "content-encoding": encoding }, body: "not compressed" });
      await expectErrorShape(response, 400, "bad_content_encoding");
    }
    await expectErrorShape(await fetch(u, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "foo" }, body: "{}" }), 415, "unsupported_encoding");
    await expectErrorShape(await fetch(u, { method: "POST", headers: { "content-type": "application/json; charset=latin9x" }, body: "{}" }), 415, "unsupported_charset");
    await expectErrorShape(await fetch(u, { method: "POST", headers: { "content-type": "text/plain" }, body: "price=1" }), 415, "unsupported_media_type");
  });

  it("header overflow is 431 and a malformed request 400, both with a JSON body", async () => {
    const overflow = await raw(server.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(overflow).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(overflow.split("\r\n\r\n")[1]!)).toEqual({ error: { code: "headers_too_large", message: expect.any(String) } });
    const garbage = await raw(server.url, "GARBAGE\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.split("\r\n\r\n")[1]!).error.code).toBe("malformed_http");
  });

  it("validation failures name the field; unknown trace ids are 404 without reaching the store", async () => {
    const body = await expectErrorShape(await post(`${server.url}/v1/financing/quotes`, { price: 250_000, termMonths: [12] }), 400, "invalid_request");
    expect(body.error).toMatchObject({ field: "termMonths", fields: [{ field: "termMonths", message: "termMonths must be among 36, 48, 60, 72" }] });
    await expectErrorShape(await fetch(`${server.url}/v1/traces/%00`), 404, "trace_not_found");
    await expectErrorShape(await fetch(`${server.url}/v1/knowledge/search?q=a&limit=abc`), 400, "invalid_limit");
    // Text no PostgreSQL column can hold (NUL, a lone surrogate) is refused up front, not a 503 from the store.
    await expectErrorShape(await post(`${server.url}/v1/conversations/nul-1/messages`, { text: "Hola\u0000" }), 400, "invalid_text");
    await expectErrorShape(await post(`${server.url}/v1/conversations/nul-1/messages`, { text: "Hola \ud800" }), 400, "invalid_text");
    await expectErrorShape(await post(`${server.url}/api/chat`, { conversationId: CLIENT_ID, text: "\ud800" }), 400, "invalid_text");
    await expectErrorShape(await fetch(`${server.url}/v1/knowledge/search?q=garantia%00`), 400);
  });
});

describe("security headers and CORS", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await start(EDGE_DEFAULTS);
  }, 60_000);
  afterAll(async () => server?.close());

  it("every route carries helmet's headers; the widget page's CSP allows its own scripts and nothing inline", async () => {
    for (const path of ["/health", "/v1/knowledge/search?q=garantia", "/nothing", "/openapi.json"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), path).toContain("default-src 'self'");
      expect(response.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      await response.arrayBuffer();
    }
    const page = await fetch(`${server.url}/`);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // The page's scripts are all external, same-origin files (an inline one would be blocked).
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/src="\/[^"]+"/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const widget = await fetch(`${server.url}/widget.js`);
    expect(widget.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("a site not allowed gets a refusal it can read: 403 origin_not_allowed with CORS headers", async () => {
    const refused = await post(`${server.url}/api/chat`, { conversationId: CLIENT_ID, text: "Hola" }, { origin: "https://evil.example" });
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    await expectErrorShape(refused, 403, "origin_not_allowed");
    const preflight = await fetch(`${server.url}/api/chat`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    const badJson = await fetch(`${server.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", origin: DEALER }, body: "{" });
    expect(badJson.headers.get("access-control-allow-origin")).toBe(DEALER);
    await expectErrorShape(badJson, 400, "malformed_json");
  });
});

describe("rate limits", () => {
  let server: RunningServer;
  const limits = { windowMs: 60_000, chatPerIp: 4, chatPerConversation: 2, apiPerIp: 5, adminPerKey: 3, adminAuthFailures: 3, adminLockoutMs: 60_000 };
  beforeAll(async () => {
    server = await start({ ...EDGE_DEFAULTS, rateLimits: limits });
  }, 60_000);
  afterAll(async () => server?.close());

  it("limits chat turns per conversation, then per IP: 429 in the error shape with Retry-After", async () => {
    const u = `${server.url}/v1/conversations`;
    for (let i = 0; i < 2; i++) expect((await post(`${u}/limit-a/messages`, { text: "Hola" })).status).toBe(200);
    const perConversation = await post(`${u}/limit-a/messages`, { text: "Hola" });
    expect(Number(perConversation.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await expectErrorShape(perConversation, 429, "rate_limited")).error.message).toContain("conversation");
    // Another conversation from the same address: one more turn fits in the IP's 4, then the IP is limited.
    expect((await post(`${u}/limit-b/messages`, { text: "Hola" })).status).toBe(200);
    const perIp = await post(`${u}/limit-c/messages`, { text: "Hola" });
    expect(perIp.headers.get("retry-after")).not.toBeNull();
    expect((await expectErrorShape(perIp, 429, "rate_limited")).error.message).toContain("address");
    // The widget's chat shares the per-IP chat limit; its 429 carries CORS headers for the widget.
    const chat = await post(`${server.url}/api/chat`, { conversationId: CLIENT_ID, text: "Hola" }, { origin: DEALER });
    expect(chat.headers.get("access-control-allow-origin")).toBe(DEALER);
    await expectErrorShape(chat, 429, "rate_limited");
  });

  it("limits other public requests per IP", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post(`${server.url}/v1/financing/quotes`, { price: 250_000 });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it("limits each admin key; locks out an address after repeated wrong keys, even for the right key", async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/v1/admin/cars?limit=1`, { headers: { "x-api-key": KEY } })).status).toBe(200);
    const perKey = await fetch(`${server.url}/v1/admin/cars?limit=1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect((await expectErrorShape(perKey, 429, "rate_limited")).error.message).toContain("with this key");
    for (let i = 0; i < 3; i++) await expectErrorShape(await fetch(`${server.url}/v1/admin/cars`, { headers: { authorization: "Bearer guess-" + i } }), 401, "unauthorized");
    const locked = await fetch(`${server.url}/v1/admin/cars`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(locked.headers.get("retry-after")).not.toBeNull();
    expect((await expectErrorShape(locked, 429, "rate_limited")).error.message).toContain("locked out");
  });
});

describe("the rate-limit store is the database, so instances share it", () => {
  it("two stores (two instances) on one database count the same key together; windows reset", async () => {
    const { options, drop } = await createTestDatabase();
    const runtime = ManagedRuntime.make(Database.layer(options));
    try {
      const run = <A, E>(effect: Effect.Effect<A, E, Database>) => runtime.runPromise(effect);
      const a = new DatabaseRateLimitStore(run, "shared");
      const b = new DatabaseRateLimitStore(run, "shared");
      a.init({ windowMs: 60_000 } as never);
      b.init({ windowMs: 60_000 } as never);
      expect((await a.increment("1.2.3.4")).totalHits).toBe(1);
      expect((await b.increment("1.2.3.4")).totalHits).toBe(2);
      expect((await a.increment("1.2.3.4")).totalHits).toBe(3);
      await b.decrement("1.2.3.4");
      expect((await a.get("1.2.3.4"))?.totalHits).toBe(2);
      const short = new DatabaseRateLimitStore(run, "short");
      short.init({ windowMs: 1 } as never);
      await short.increment("k");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await short.increment("k")).totalHits).toBe(1);
    } finally {
      await runtime.dispose();
      await drop();
    }
  }, 60_000);
});

describe("quotes when the database is down", () => {
  it("answer 503 storage_unavailable, not 500", async () => {
    const down = new DatabaseError({ operation: "test", cause: new Error("connection refused") });
    const stores = Layer.mergeAll(
      Layer.succeed(CarStore, { get: () => Effect.fail(down) } as never),
      Layer.succeed(QuoteStore, { save: () => Effect.fail(down), get: () => Effect.fail(down) }),
    );
    const app = express();
    app.use(express.json());
    app.use("/v1/financing", financingRouter({ run: (effect) => Effect.runPromise(Effect.provide(effect, stores)) }));
    app.use(edgeErrorHandler);
    const listening = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/v1/financing`;
    try {
      await expectErrorShape(await post(`${base}/quotes`, { price: 250_000 }), 503, "storage_unavailable");
      await expectErrorShape(await post(`${base}/quotes`, { stockId: 322722 }), 503, "storage_unavailable");
      await expectErrorShape(await fetch(`${base}/quotes/q_00000000-0000-0000-0000-000000000000`), 503, "storage_unavailable");
    } finally {
      listening.closeAllConnections();
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});
