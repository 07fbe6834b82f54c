/**
 * The embeddings path end to end against a deterministic stand-in embedding model that speaks
 * the OpenAI wire format (POST /v1/embeddings on a local server): vectors stored in the database,
 * sections embedded once and again only when they change, the question blended with the lexical
 * rank (hybrid), and lexical search going on when the embedding server fails.
 */
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect";
import { sql } from "kysely";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../db/database.ts";
import { TestDatabase } from "../db/test-database.ts";
import { cosine, embeddingSettingsConfig, hybridRank, type EmbeddingSettings } from "./embeddings.ts";
import { KnowledgeSearch } from "./knowledge-search.ts";
import { syncKnowledgeDocuments } from "./sync.ts";
import { startStandInEmbeddingServer, standInEmbedding, type StandInEmbeddingServer } from "./testing/embedding-server.ts";

let server: StandInEmbeddingServer;
let dir: string;
const runtime = ManagedRuntime.make(TestDatabase);
let settings: EmbeddingSettings;

const run = <A, E>(effect: Effect.Effect<A, E, Database | KnowledgeSearch>) =>
  runtime.runPromise(effect.pipe(Effect.provide(KnowledgeSearch.withEmbeddings(settings))) as Effect.Effect<A, E, Database>);
const storedVectors = () =>
  runtime.runPromise(
    Effect.flatMap(Database, ({ use }) =>
      use("test.vectors", (db) => sql<{ n: number; model: string; dims: number }>`select count(*)::int as n, min(model) as model, max(array_length(embedding, 1)) as dims from knowledge_embeddings`.execute(db)),
    ).pipe(Effect.map(({ rows }) => rows[0]!)),
  );

const GARANTIA = `---\ntitle: Garantía\ntopic: garantia\n---\n\n## Garantía incluida de 3 meses\n\nTodos los autos incluyen una garantía de 3 meses.\n\n## Kavak Total\n\nSe extiende un año más con Kavak Total.\n`;
const PRUEBA = `---\ntitle: Periodo de prueba\ntopic: compra\n---\n\n## Devolver el auto\n\nSi no te convence, puedes regresarlo en 7 días.\n`;

beforeAll(async () => {
  server = await startStandInEmbeddingServer();
  settings = { modelId: "stand-in-embedding", baseURL: server.baseURL, apiKey: "test-key", weight: 0.35 };
  dir = await mkdtemp(join(tmpdir(), "kb-embeddings-"));
  await writeFile(join(dir, "garantia.md"), GARANTIA);
  await writeFile(join(dir, "prueba.md"), PRUEBA);
  await runtime.runPromise(syncKnowledgeDocuments(dir));
}, 60_000);

afterAll(async () => {
  await runtime.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("knowledge embeddings (stand-in OpenAI-compatible embedding model)", () => {
  it("embeds every section once with embedMany, stores the vectors, then embeds only the question", async () => {
    const results = await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer("cuánto dura la garantía")));
    expect(results[0]?.heading).toBe("Garantía incluida de 3 meses");
    expect(await storedVectors()).toEqual({ n: 3, model: "stand-in-embedding", dims: 256 });
    const [sections, question] = server.requests;
    expect(sections).toMatchObject({ model: "stand-in-embedding", authorization: "Bearer test-key" });
    expect(sections!.inputs).toHaveLength(3);
    expect(sections!.inputs.join("\n")).toContain("Todos los autos incluyen una garantía de 3 meses.");
    expect(question!.inputs).toEqual(["cuánto dura la garantía"]);

    const before = server.requests.length;
    await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer("puedo regresar el auto")));
    expect(server.requests.slice(before).map((r) => r.inputs.length)).toEqual([1]);
  });

  it("re-embeds only the sections whose text changed", async () => {
    await writeFile(join(dir, "prueba.md"), PRUEBA.replace("en 7 días", "durante el periodo de prueba de 7 días"));
    await runtime.runPromise(syncKnowledgeDocuments(dir));
    const before = server.requests.length;
    const results = await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer("si no me convence el auto lo puedo regresar")));
    expect(results[0]?.heading).toBe("Devolver el auto");
    const calls = server.requests.slice(before);
    expect(calls[0]!.inputs).toHaveLength(1);
    expect(calls[0]!.inputs[0]).toContain("durante el periodo de prueba");
    expect((await storedVectors()).n).toBe(3);
  });

  it("keeps answering lexically when the embedding server fails", async () => {
    server.failing(true);
    try {
      const results = await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer("qué es kavak total")));
      expect(results[0]?.heading).toBe("Kavak Total");
    } finally {
      server.failing(false);
    }
  });

  it("abstains as the lexical search does: embeddings only reorder", async () => {
    expect(await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer("receta de pozole")))).toEqual([]);
  });
});

describe("hybridRank", () => {
  it("blends the normalised similarity into the order and leaves relevance alone", () => {
    const ranked = [
      { chunkId: 1, rankScore: 0.9, score: 0.8 },
      { chunkId: 2, rankScore: 0.85, score: 0.79 },
    ];
    const hybrid = hybridRank(ranked, new Map([[1, 0.2], [2, 0.9]]), 0.35);
    expect(hybrid.map((c) => c.chunkId)).toEqual([2, 1]);
    expect(hybrid.map((c) => c.score)).toEqual([0.79, 0.8]);
    expect(hybridRank(ranked, new Map([[1, 0.9], [2, 0.2]]), 0.35).map((c) => c.chunkId)).toEqual([1, 2]);
  });

  it("the stand-in model puts texts that share words close", () => {
    const garantia = standInEmbedding("garantía de 3 meses incluida");
    expect(cosine(garantia, standInEmbedding("cuánto dura la garantía"))).toBeGreaterThan(cosine(garantia, standInEmbedding("receta de pozole")));
  });
});

describe("embedding settings", () => {
  const read = (env: Record<string, string>) => Effect.runSync(embeddingSettingsConfig.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env)))));
  it("are off without a provider, default to text-embedding-3-small with an OpenAI key, and need a model id for a compatible server", () => {
    expect(read({})).toBeUndefined();
    expect(read({ OPENAI_API_KEY: "k" })).toMatchObject({ modelId: "text-embedding-3-small", apiKey: "k", weight: 0.35 });
    expect(read({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" })).toBeUndefined();
    expect(read({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", KNOWLEDGE_EMBEDDING_MODEL: "nomic-embed-text" })).toMatchObject({ modelId: "nomic-embed-text", baseURL: "http://127.0.0.1:11434/v1" });
    expect(read({ OPENAI_API_KEY: "k", KNOWLEDGE_EMBEDDING_MODEL: "off" })).toBeUndefined();
    expect(read({ OPENAI_API_KEY: "k", KNOWLEDGE_EMBEDDING_WEIGHT: "0.5" })?.weight).toBe(0.5);
  });
});
