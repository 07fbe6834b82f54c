/**
 * The embeddings path of knowledge retrieval, on when an embedding model is configured: every
 * section is embedded once per model (AI SDK `embedMany` with the OpenAI or OpenAI-compatible
 * provider), its vector stored in PostgreSQL (`knowledge_embeddings`, real[]); a question is
 * embedded (`embed`) and its cosine similarity to each section combined with the lexical rank
 * (hybrid, see `hybridRank`). The similarity is computed by pgvector where the extension is
 * installed in the database, in process otherwise (PGlite 0.5 ships no pgvector).
 *
 * Settings (read here with Effect Config; every one optional):
 * - KNOWLEDGE_EMBEDDING_MODEL: embedding model id. Default `text-embedding-3-small` with
 *   OPENAI_API_KEY and no OPENAI_BASE_URL; with OPENAI_BASE_URL it must be set (local servers name
 *   their models); `off` disables embeddings.
 * - KNOWLEDGE_EMBEDDING_WEIGHT: share of the rank given to the cosine similarity (default 0.35).
 * - OPENAI_API_KEY, OPENAI_BASE_URL: the provider, as for the language model (core/model.ts).
 *
 * Embeddings only reorder: whether to answer at all is still decided by the lexical relevance
 * threshold. When the embedding server fails, search goes on lexically (logged, retried after a
 * pause).
 */
import { createOpenAI } from "@ai-sdk/openai";
import type { EmbeddingModelV4 } from "@ai-sdk/provider";
import { embed, embedMany } from "ai";
import { Config, Effect, Option, Redacted } from "effect";
import { sql } from "kysely";
import { createHash } from "node:crypto";
import { Database } from "../db/database.ts";

export interface EmbeddingSettings {
  readonly modelId: string;
  readonly baseURL: string | undefined;
  readonly apiKey: string | undefined;
  /** 0..1: share of the rank score given to the semantic similarity. */
  readonly weight: number;
}

export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_EMBEDDING_WEIGHT = 0.35;

const optional = (name: string) =>
  Config.String(name).pipe(
    Config.option,
    Config.map(Option.filter((value) => value.trim() !== "")),
    Config.map(Option.map((value) => value.trim())),
    Config.map(Option.getOrUndefined),
  );

/** The embedding settings from the environment, or undefined when embeddings are off. */
export const embeddingSettingsConfig = Config.all({
  model: optional("KNOWLEDGE_EMBEDDING_MODEL"),
  weight: Config.Number("KNOWLEDGE_EMBEDDING_WEIGHT").pipe(Config.withDefault(DEFAULT_EMBEDDING_WEIGHT)),
  apiKey: Config.Redacted("OPENAI_API_KEY").pipe(Config.option, Config.map(Option.map(Redacted.value)), Config.map(Option.getOrUndefined)),
  baseURL: optional("OPENAI_BASE_URL"),
}).pipe(
  Config.map(({ model, weight, apiKey, baseURL }): EmbeddingSettings | undefined => {
    if (model?.toLowerCase() === "off") return undefined;
    const apiKeyValue = apiKey?.trim() === "" ? undefined : apiKey;
    const modelId = model ?? (apiKeyValue && !baseURL ? DEFAULT_EMBEDDING_MODEL : undefined);
    if (!modelId || (!apiKeyValue && !baseURL)) return undefined;
    return { modelId, baseURL, apiKey: apiKeyValue, weight: Math.min(1, Math.max(0, weight)) };
  }),
);

export const embeddingModelFor = (settings: EmbeddingSettings): EmbeddingModelV4 =>
  createOpenAI({
    ...(settings.baseURL ? { baseURL: settings.baseURL, name: "openai-compatible" } : {}),
    apiKey: settings.apiKey ?? "not-needed",
  }).embedding(settings.modelId);

/** What a section is embedded as: the document title, the heading, the customers' words and the text. */
export const sectionText = (chunk: { readonly title: string; readonly heading: string; readonly keywords: string; readonly body: string }) =>
  [chunk.title, chunk.heading, chunk.keywords, chunk.body].filter((part) => part.trim() !== "").join("\n");

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

export const cosine = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

export interface KnowledgeEmbedderShape {
  readonly modelId: string;
  readonly weight: number;
  /** Where similarities are computed. */
  readonly backend: "pgvector" | "in-process";
  /**
   * Cosine similarity of the question to every section (chunk id → similarity), embedding new or
   * changed sections first; undefined when the embedding model cannot be reached.
   */
  readonly similarities: (question: string) => Effect.Effect<ReadonlyMap<number, number> | undefined>;
}

const BATCH = 64;
const COOLDOWN_MS = 30_000;
const TIMEOUT_MS = 10_000;

/** An embedder over the knowledge tables of the Database, with the given model. */
export const makeKnowledgeEmbedder = (settings: EmbeddingSettings, model: EmbeddingModelV4 = embeddingModelFor(settings)) =>
  Effect.gen(function* () {
    const { use } = yield* Database;
    const hasPgvector = yield* use("knowledge.embeddings.pgvector", (db) =>
      sql<{ present: boolean }>`select exists (select 1 from pg_extension where extname = 'vector') as present`.execute(db),
    ).pipe(
      Effect.map(({ rows }) => rows[0]?.present === true),
      Effect.orElseSucceed(() => false),
    );
    const modelId = settings.modelId;
    let failedAt = 0;
    let vectors: { signature: string; rows: ReadonlyArray<{ chunkId: number; embedding: ReadonlyArray<number> }> } | undefined;
    const queryCache = new Map<string, ReadonlyArray<number>>();

    const callModel = <A>(what: string, run: (signal: AbortSignal) => Promise<A>) =>
      Effect.tryPromise({ try: (signal) => run(AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)])), catch: (cause) => cause }).pipe(
        Effect.tapError((cause) =>
          Effect.sync(() => {
            failedAt = Date.now();
          }).pipe(Effect.andThen(Effect.logWarning(`knowledge embeddings: ${what} failed, searching lexically for ${COOLDOWN_MS / 1000} s: ${String((cause as Error)?.message ?? cause)}`))),
        ),
      );

    /** Embeds the sections that have no vector for this model, or whose text changed. */
    const refresh = Effect.fn("knowledge.embeddings.refresh")(function* () {
      const stale = yield* use("knowledge.embeddings.stale", async (db) => {
        const { rows } = await sql<{ chunk_id: number; title: string; heading: string; keywords: string; body: string; text_hash: string | null }>`
          select c.id as chunk_id, c.title, c.heading, c.keywords, c.body, e.text_hash
          from knowledge_chunks c left join knowledge_embeddings e on e.chunk_id = c.id and e.model = ${modelId}
        `.execute(db);
        return rows
          .map((row) => ({ chunkId: row.chunk_id, text: sectionText(row), stored: row.text_hash }))
          .map((row) => ({ ...row, hash: hashOf(row.text) }))
          .filter((row) => row.stored !== row.hash);
      });
      for (let start = 0; start < stale.length; start += BATCH) {
        const batch = stale.slice(start, start + BATCH);
        const { embeddings } = yield* callModel("embedding the knowledge sections", (abortSignal) =>
          embedMany({ model, values: batch.map((row) => row.text), maxRetries: 1, abortSignal }),
        );
        yield* use("knowledge.embeddings.store", (db) =>
          sql`
            insert into knowledge_embeddings (chunk_id, model, text_hash, embedding)
            select c.chunk_id, ${modelId}, c.text_hash, array(select jsonb_array_elements_text(c.embedding)::real)
            from jsonb_to_recordset(${JSON.stringify(batch.map((row, i) => ({ chunk_id: row.chunkId, text_hash: row.hash, embedding: embeddings[i] })))}::jsonb)
              as c(chunk_id int, text_hash text, embedding jsonb)
            on conflict (chunk_id, model) do update set text_hash = excluded.text_hash, embedding = excluded.embedding, created_at = now()
          `.execute(db),
        );
      }
      if (stale.length > 0) yield* Effect.logInfo(`knowledge embeddings: ${stale.length} section(s) embedded with ${modelId}`);
    });

    const questionVector = (question: string) =>
      Effect.gen(function* () {
        const cached = queryCache.get(question);
        if (cached) return cached;
        const { embedding } = yield* callModel("embedding the question", (abortSignal) => embed({ model, value: question, maxRetries: 1, abortSignal }));
        if (queryCache.size >= 256) queryCache.delete(queryCache.keys().next().value!);
        queryCache.set(question, embedding);
        return embedding;
      });

    const inProcess = (vector: ReadonlyArray<number>) =>
      Effect.gen(function* () {
        const signature = yield* use("knowledge.embeddings.signature", (db) =>
          sql<{ signature: string }>`select count(*)::text || ':' || coalesce(max(created_at)::text, '') as signature from knowledge_embeddings where model = ${modelId}`.execute(db),
        ).pipe(Effect.map(({ rows }) => rows[0]?.signature ?? ""));
        if (vectors?.signature !== signature) {
          const rows = yield* use("knowledge.embeddings.load", (db) =>
            sql<{ chunk_id: number; embedding: number[] }>`select chunk_id, embedding from knowledge_embeddings where model = ${modelId}`.execute(db),
          );
          vectors = { signature, rows: rows.rows.map((row) => ({ chunkId: row.chunk_id, embedding: row.embedding.map(Number) })) };
        }
        return new Map(vectors.rows.map((row) => [row.chunkId, cosine(vector, row.embedding)]));
      });

    const withPgvector = (vector: ReadonlyArray<number>) =>
      use("knowledge.embeddings.similarity", (db) =>
        sql<{ chunk_id: number; similarity: number }>`
          select chunk_id, (1 - (embedding::vector <=> ${`[${vector.join(",")}]`}::vector))::float8 as similarity
          from knowledge_embeddings where model = ${modelId}
        `.execute(db),
      ).pipe(Effect.map(({ rows }) => new Map(rows.map((row) => [row.chunk_id, Number(row.similarity)]))));

    const similarities = (question: string): Effect.Effect<ReadonlyMap<number, number> | undefined> =>
      Date.now() - failedAt < COOLDOWN_MS
        ? Effect.succeed(undefined)
        : Effect.gen(function* () {
            yield* refresh();
            const vector = yield* questionVector(question);
            return yield* hasPgvector ? withPgvector(vector) : inProcess(vector);
          }).pipe(
            Effect.withSpan("knowledge.embeddings.similarities", { attributes: { "knowledge.embedding_model": modelId, "knowledge.vector_backend": hasPgvector ? "pgvector" : "in-process" } }),
            Effect.catch((cause) => Effect.logWarning(`knowledge embeddings unavailable: ${String((cause as Error)?.message ?? cause)}`).pipe(Effect.as(undefined))),
          );

    const shape: KnowledgeEmbedderShape = { modelId, weight: settings.weight, backend: hasPgvector ? "pgvector" : "in-process", similarities };
    return shape;
  });

/**
 * Hybrid rank: the lexical rank score blended with the section's similarity to the question,
 * min-max normalised over the candidates (cosine scales differ between models). Only the order
 * changes; relevance, and so abstention, stays lexical.
 */
export const hybridRank = <C extends { readonly chunkId: number; readonly rankScore: number }>(
  ranked: ReadonlyArray<C>,
  similarities: ReadonlyMap<number, number>,
  weight: number,
): ReadonlyArray<C & { readonly similarity: number }> => {
  const values = ranked.map((c) => similarities.get(c.chunkId) ?? 0);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return ranked
    .map((c, i) => {
      const similarity = values[i]!;
      const semantic = max > min ? (similarity - min) / (max - min) : 0;
      return { ...c, similarity, rankScore: (1 - weight) * c.rankScore + weight * semantic };
    })
    .sort((a, b) => b.rankScore - a.rankScore);
};
