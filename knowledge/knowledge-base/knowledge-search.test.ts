import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database.ts";
import { TestDatabase } from "../db/test-database.ts";
import { syncKnowledgeDocuments } from "./sync.ts";
import { defaultRetrieval } from "./retrieval.ts";
import { KnowledgeSearch } from "./knowledge-search.ts";

// One database for the file; a second KnowledgeSearch (with a reranker) shares it.
const runtime = ManagedRuntime.make(TestDatabase);
const run = <A, E>(effect: Effect.Effect<A, E, Database>) => runtime.runPromise(effect);
const search = (query: string, limit?: number) =>
  run(Effect.flatMap(KnowledgeSearch, (s) => s.search(query, limit)).pipe(Effect.provide(KnowledgeSearch.layer)));

beforeAll(() => run(Effect.void), 60_000);
afterAll(() => runtime.dispose());

describe("KnowledgeSearch", () => {
  it("returns nothing while the knowledge base is empty", async () => {
    expect(await search("tienen garantia")).toEqual([]);
  });

  it("returns at most `limit` results in the tool's contract shape, best first, above the threshold", async () => {
    await run(syncKnowledgeDocuments());
    const results = await search("tienen garantia");
    expect(results.length).toBe(3);
    for (const result of results) {
      expect(Object.keys(result).sort()).toEqual(["score", "text", "title", "topic"]);
      expect(result).toMatchObject({ title: "Garantía y Kavak Total", topic: "garantia" });
      expect(result.score).toBeGreaterThanOrEqual(defaultRetrieval.threshold);
    }
    expect([...results].sort((a, b) => b.score - a.score)).toEqual(results);
    expect(await search("tienen garantia", 1)).toEqual(results.slice(0, 1));
    expect((await search("sucursales en cdmx", 8)).length).toBe(8);
  });

  it("tolerates typos, missing accents and colloquial words", async () => {
    const cases: Array<[string, string]> = [
      ["dond stan en monterrey", "Sedes de Kavak en Monterrey y su área metropolitana"],
      ["y en puabla?", "Sedes de Kavak en Puebla"],
      ["qué papeles ocupo", "Plan de pagos a meses (financiamiento)"],
      ["puedo dar mi carro a cuenta", "Tu auto como medio de pago (auto a cuenta)"],
      ["garantai", "Garantía y Kavak Total"],
    ];
    for (const [question, title] of cases) expect((await search(question))[0]?.title, question).toBe(title);
  });

  it("answers a question of two alternatives when a section answers either one", async () => {
    const results = await search("¿se puede a meses o nomás de contado?");
    expect(results[0]?.title).toBe("Plan de pagos a meses (financiamiento)");
    // each side alone would say nothing: still nothing
    expect(await search("¿receta de pozole o de tamales?")).toEqual([]);
    // the second side keeps the first's context: "dólares" alone would match "1,000 millones de dólares"
    expect(await search("¿puedo pagar con bitcoin o con dólares?")).toEqual([]);
  });

  it("abstains on questions the documents do not answer", async () => {
    for (const question of ["receta de pozole", "quién ganó el mundial", "hola", "¿?", "precio del dólar hoy"]) {
      expect(await search(question), question).toEqual([]);
    }
  });

  it("lets a second stage rescore the candidates (the seam for embeddings)", async () => {
    const reversed = KnowledgeSearch.layerWith({
      rerank: (_query, candidates) => Effect.succeed([...candidates].reverse().map((c, i) => ({ ...c, score: i === 0 ? 0.99 : 0 }))),
    });
    const results = await run(Effect.flatMap(KnowledgeSearch, (s) => s.searchDetailed("horarios de kavak", 3)).pipe(Effect.provide(reversed)));
    expect(results).toHaveLength(1);
    expect(results[0]!.score).toBe(0.99);
  });
});
