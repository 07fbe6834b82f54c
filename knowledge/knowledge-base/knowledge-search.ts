/**
 * The service behind the search_knowledge tool and GET /v1/knowledge/search: the best chunks of
 * Kavak's knowledge base for a question, or none when nothing is relevant enough (the assistant
 * then says it does not know).
 *
 * Embeddings are not used. The seam for them is `rerank` in KnowledgeSearch.layerWith: a function
 * that may reorder or rescore the lexical candidates (e.g. with AI SDK `embed` when an embedding
 * model is configured).
 */
import { Context, Data, Effect, Layer } from "effect";
import type { Database } from "../db/database.ts";
import { KnowledgeStore } from "./knowledge-store.ts";
import { defaultRetrieval, rankChunks, type RetrievalOptions } from "./retrieval.ts";

export class KnowledgeSearchError extends Data.TaggedError("KnowledgeSearchError")<{ readonly cause: unknown }> {}

/** One knowledge-base section that answers a query, with its relevance (0-1). */
export interface KnowledgeResult {
  readonly title: string;
  readonly topic: string;
  readonly text: string;
  readonly score: number;
}

/** A result with where it came from: the document's source (file or URL) and section heading. */
export interface DetailedKnowledgeResult extends KnowledgeResult {
  readonly source: string;
  readonly heading: string;
}

export interface KnowledgeSearchShape {
  /** At most `limit` results (default 3) above the relevance threshold, best first. */
  readonly search: (query: string, limit?: number) => Effect.Effect<ReadonlyArray<KnowledgeResult>, KnowledgeSearchError>;
  readonly searchDetailed: (query: string, limit?: number) => Effect.Effect<ReadonlyArray<DetailedKnowledgeResult>, KnowledgeSearchError>;
}

export interface KnowledgeSearchOptions {
  readonly retrieval?: Partial<RetrievalOptions>;
  /** Optional second stage over the lexical candidates (best first, up to 10), before threshold and limit. */
  readonly rerank?: (query: string, candidates: ReadonlyArray<DetailedKnowledgeResult>) => Effect.Effect<ReadonlyArray<DetailedKnowledgeResult>>;
}

const make = (options: KnowledgeSearchOptions) =>
  Effect.gen(function* () {
    const store = yield* KnowledgeStore;
    const settings = { ...defaultRetrieval, ...options.retrieval };

    const searchDetailed = Effect.fn("knowledge.search")(function* (query: string, limit = settings.limit) {
      yield* Effect.annotateCurrentSpan({ "knowledge.query": query.slice(0, 200) });
      const ranked = yield* rankChunks(query, settings).pipe(
        Effect.provideService(KnowledgeStore, store),
        Effect.mapError((cause) => new KnowledgeSearchError({ cause })),
      );
      let candidates: ReadonlyArray<DetailedKnowledgeResult> = ranked.slice(0, 10).map((chunk) => ({
        title: chunk.title,
        topic: chunk.topic,
        text: `${chunk.heading}\n${chunk.body}`,
        score: Math.round(chunk.score * 1000) / 1000,
        source: chunk.source,
        heading: chunk.heading,
      }));
      if (options.rerank) candidates = yield* options.rerank(query, candidates);
      const results = candidates.filter((result) => result.score >= settings.threshold).slice(0, Math.max(0, limit));
      yield* Effect.annotateCurrentSpan({ "knowledge.results": results.length, "knowledge.top_score": results[0]?.score ?? 0 });
      return results;
    });

    return KnowledgeSearch.of({
      searchDetailed,
      search: (query, limit) =>
        searchDetailed(query, limit).pipe(Effect.map((results) => results.map(({ title, topic, text, score }) => ({ title, topic, text, score })))),
    });
  });

export class KnowledgeSearch extends Context.Service<KnowledgeSearch, KnowledgeSearchShape>()("KnowledgeSearch") {
  /** Needs only the Database. */
  static readonly layerWith = (options: KnowledgeSearchOptions): Layer.Layer<KnowledgeSearch, never, Database> =>
    Layer.effect(KnowledgeSearch, make(options)).pipe(Layer.provide(KnowledgeStore.layer));
  static readonly layer = KnowledgeSearch.layerWith({});
}
