import { Layer, ManagedRuntime } from "effect";
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { syncKnowledgeDocuments } from "../../knowledge/knowledge-base/sync.ts";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { knowledgeRouter } from "./knowledge-routes.ts";

const runtime = ManagedRuntime.make(KnowledgeSearch.layer.pipe(Layer.provideMerge(TestDatabase)));
let server: Server;
let base = "";

const listen = (app: express.Express) =>
  new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });

beforeAll(async () => {
  await runtime.runPromise(syncKnowledgeDocuments());
  const app = express();
  app.use("/v1/knowledge", knowledgeRouter({ run: (effect) => runtime.runPromise(effect) }));
  server = await listen(app);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/knowledge`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.dispose();
});

const get = async (path: string) => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
};

describe("GET /v1/knowledge/search", () => {
  it("returns the best chunks with document title, topic, section and score", async () => {
    const { status, body } = await get(`/search?q=${encodeURIComponent("a qué hora abren en santa fe")}`);
    expect(status).toBe(200);
    const results = body.results as Array<Record<string, unknown>>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    expect(results[0]).toMatchObject({ source: "sedes-ciudad-de-mexico.md", topic: "sedes", heading: expect.stringContaining("Santa Fe") });
    expect(results[0]!.text).toContain("no publicado");
    expect(typeof results[0]!.score).toBe("number");
  });

  it("honours limit and answers an off-topic question with an empty list", async () => {
    expect(((await get("/search?q=garantia&limit=1")).body.results as unknown[]).length).toBe(1);
    const offTopic = await get(`/search?q=${encodeURIComponent("receta de pozole")}`);
    expect(offTopic).toMatchObject({ status: 200, body: { query: "receta de pozole", results: [] } });
  });

  it("rejects a missing, empty, repeated or over-long q and a bad limit with a JSON error", async () => {
    const cases: Array<[string, string]> = [
      ["/search", "missing_query"],
      ["/search?q=%20%20", "missing_query"],
      ["/search?q=a&q=b", "missing_query"],
      [`/search?q=${"a".repeat(501)}`, "query_too_long"],
      ["/search?q=garantia&limit=0", "invalid_limit"],
      ["/search?q=garantia&limit=abc", "invalid_limit"],
      ["/search?q=garantia&limit=11", "invalid_limit"],
    ];
    for (const [path, code] of cases) {
      const { status, type, body } = await get(path);
      expect(status, path).toBe(400);
      expect(type).toMatch(/application\/json/);
      expect(body, path).toEqual({ error: { code, message: expect.any(String) } });
    }
  });

  it("answers 503 when the search fails", async () => {
    const app = express();
    app.use("/v1/knowledge", knowledgeRouter({ run: () => Promise.reject(new Error("database down")) }));
    const failing = await listen(app);
    try {
      const response = await fetch(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/v1/knowledge/search?q=garantia`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: "knowledge_unavailable", message: expect.any(String) } });
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});

