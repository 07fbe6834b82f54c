/**
 * Catalog search: one interface, two engines with the same semantics (SEMANTICS.md).
 * - embedded (default): a MiniSearch index in this process, built from the cars table at start;
 * - Meilisearch when configured, with the embedded index kept alongside as the fallback: when
 *   Meilisearch is unreachable, failing or out of sync, searches are answered by the embedded
 *   engine with a warning log and a span event; the user never sees an error.
 * Catalog writes go to the database first (CarStore), then here: upsert/remove/rebuild.
 */
import { Clock, Context, Effect, Layer, Redacted } from "effect";
import type { Car } from "../car.ts";
import { CarStore } from "../car-store.ts";
import { EmbeddedIndex } from "./embedded-index.ts";
import { CatalogSearchError } from "./errors.ts";
import { makeMeilisearchEngine, type MeilisearchOptions } from "./meilisearch-engine.ts";
import { findNearest } from "./nearest.ts";
import { buildPlan, type EngineResultWithFacets, type SearchPlan } from "./plan.ts";
import type { CarSearchQuery, CarSearchResult } from "./query.ts";

export { CatalogSearchError } from "./errors.ts";

export type EngineName = "embedded" | "meilisearch";

export interface CatalogSearchStatus {
  /** The configured engine. */
  readonly engine: EngineName;
  /** True while searches are answered by the embedded fallback instead of Meilisearch. */
  readonly degraded: boolean;
  readonly documents: number;
  /** Where the index stands in the catalog's version history (when it follows the database, catalog-follower.ts). */
  readonly sync?: CatalogSyncStatus;
}

/** The index's place in the catalog's history, for /health. */
export interface CatalogSyncStatus {
  /** The catalog version the index reflects. */
  readonly indexedVersion: number;
  /** The newest catalog version this instance has heard of (notification, poll or catch-up). */
  readonly latestKnownVersion: number;
  /** Since when (epoch ms) the index is behind latestKnownVersion; undefined when in sync. */
  readonly behindSince: number | undefined;
  /** Whether the LISTEN connection is up (the poll covers the gaps when it is not). */
  readonly listening: boolean;
  /** The last catch-up failure while it lasts (e.g. database unreachable). */
  readonly lastError: string | undefined;
}

export interface CatalogSearchShape {
  readonly search: (query: CarSearchQuery) => Effect.Effect<CarSearchResult, CatalogSearchError>;
  /** Makes these cars (new or changed) searchable at once. */
  readonly upsert: (cars: ReadonlyArray<Car>) => Effect.Effect<void, CatalogSearchError>;
  /** Removes these stock ids from search at once. */
  readonly remove: (stockIds: ReadonlyArray<number>) => Effect.Effect<void, CatalogSearchError>;
  /** Re-reads the whole catalog from the database and replaces the index. */
  readonly rebuild: () => Effect.Effect<{ readonly documents: number }, CatalogSearchError>;
  readonly status: () => Effect.Effect<CatalogSearchStatus>;
}

export interface MeilisearchLayerOptions extends MeilisearchOptions {
  /** After a failed Meilisearch search, use the embedded engine for this long (default 10 s). */
  readonly retryAfterMs?: number;
  /** While out of sync, retry a full sync this often (default 30 s). */
  readonly resyncEveryMs?: number;
  /** Fail the layer when the first sync fails, instead of starting degraded (default false). */
  readonly requireAtStart?: boolean;
}

export interface SearchConfig {
  readonly meiliUrl?: string | undefined;
  readonly meiliMasterKey?: Redacted.Redacted<string> | string | undefined;
  readonly meiliIndex: string;
}

const loadCatalog = Effect.gen(function* () {
  const store = yield* CarStore;
  return {
    store,
    all: store.all().pipe(
      Effect.mapError((cause) => new CatalogSearchError({ engine: "embedded", operation: "load_catalog", message: "could not read the cars table", cause })),
    ),
  };
});

/** The search itself, whatever the engine: plan, execute, facets, nearest options. */
const searchWith = (
  index: EmbeddedIndex,
  execute: (plan: SearchPlan, withFacets: boolean) => Effect.Effect<EngineResultWithFacets, CatalogSearchError>,
  engine: EngineName,
) =>
  Effect.fn("catalog_search.search")(function* (query: CarSearchQuery) {
    const plan = buildPlan(query, index.isKnownCompact);
    yield* Effect.annotateCurrentSpan({
      "search.engine": engine,
      "search.terms": plan.terms.join(" "),
      "search.filters": Object.keys(plan.filters).join(","),
      "search.sort": plan.sort,
    });
    const first = yield* execute(plan, true);
    const nearest = first.total === 0 ? yield* findNearest((p) => execute(p, false), plan) : { cars: [], relaxed: [] };
    yield* Effect.annotateCurrentSpan({ "search.total": first.total, "search.nearest": nearest.cars.length, "search.relaxed": nearest.relaxed.join(",") });
    return { cars: first.cars, total: first.total, facets: first.facets, nearest: nearest.cars } satisfies CarSearchResult;
  });

const embeddedExecute = (index: EmbeddedIndex) => (plan: SearchPlan, withFacets: boolean) => Effect.sync(() => index.search(plan, withFacets));

export class CatalogSearch extends Context.Service<CatalogSearch, CatalogSearchShape>()("CatalogSearch") {
  /** The in-process engine, built from the cars table when the layer starts. */
  static readonly layerEmbedded = Layer.effect(
    CatalogSearch,
    Effect.gen(function* () {
      const { all } = yield* loadCatalog;
      const index = new EmbeddedIndex(yield* all);
      yield* Effect.logInfo(`catalog search: embedded index of ${index.size} cars`);
      return CatalogSearch.of({
        search: searchWith(index, embeddedExecute(index), "embedded"),
        upsert: (cars) => Effect.sync(() => index.upsert(cars)),
        remove: (stockIds) => Effect.sync(() => index.remove(stockIds)),
        rebuild: () =>
          all.pipe(
            Effect.map((cars) => {
              index.replaceAll(cars);
              return { documents: index.size };
            }),
          ),
        status: () => Effect.sync(() => ({ engine: "embedded" as const, degraded: false, documents: index.size })),
      });
    }),
  );

  /** Meilisearch, synced from the cars table at start, with the embedded index as the fallback. */
  static readonly layerMeilisearch = (options: MeilisearchLayerOptions) =>
    Layer.effect(
      CatalogSearch,
      Effect.gen(function* () {
        const { all } = yield* loadCatalog;
        const initial = yield* all;
        const index = new EmbeddedIndex(initial);
        const meili = makeMeilisearchEngine(options);
        const retryAfterMs = options.retryAfterMs ?? 10_000;
        /** stale: Meilisearch may not hold the catalog; downUntil: skip it until then (ms). */
        const state = { stale: true, downUntil: 0 };

        /** Meilisearch gets exactly these cars (the embedded index is kept in sync by writes). */
        const syncMeilisearch = (cars: ReadonlyArray<Car>) =>
          meili.replaceAll(cars).pipe(
            Effect.tap((result) =>
              Effect.sync(() => {
                state.stale = false;
                state.downUntil = 0;
              }).pipe(Effect.andThen(Effect.logInfo(`catalog search: Meilisearch index "${options.index}" synced with ${result.documents} cars`))),
            ),
            Effect.map((result) => ({ documents: result.documents })),
            Effect.withSpan("catalog_search.meilisearch_sync"),
          );
        const resync = all.pipe(Effect.flatMap(syncMeilisearch));

        const markStale = (error: CatalogSearchError) =>
          Effect.sync(() => {
            state.stale = true;
          }).pipe(Effect.andThen(Effect.logWarning(`catalog search: Meilisearch out of sync (${error.operation}: ${error.message}); searches use the embedded index`)));

        const startup = yield* syncMeilisearch(initial).pipe(Effect.result);
        if (startup._tag === "Failure") {
          if (options.requireAtStart) return yield* Effect.fail(startup.failure);
          yield* markStale(startup.failure);
        }
        // While out of sync, check now and then whether Meilisearch is back, and resync it.
        yield* Effect.forkScoped(
          Effect.forever(
            Effect.sleep(`${options.resyncEveryMs ?? 30_000} millis`).pipe(
              Effect.andThen(Effect.suspend(() => (state.stale ? meili.health.pipe(Effect.andThen(resync), Effect.ignore) : Effect.void))),
            ),
          ),
        );

        const fallback = (reason: string, plan: SearchPlan, withFacets: boolean) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeNanos;
            yield* Effect.currentSpan.pipe(
              Effect.tap((span) => Effect.sync(() => span.event("search.fallback", now, { "search.fallback.reason": reason }))),
              Effect.ignore,
            );
            yield* Effect.annotateCurrentSpan({ "search.fallback": true, "search.fallback.reason": reason, "search.engine.used": "embedded" });
            return index.search(plan, withFacets);
          });

        const execute = (plan: SearchPlan, withFacets: boolean): Effect.Effect<EngineResultWithFacets, CatalogSearchError> =>
          Effect.gen(function* () {
            if (state.stale) return yield* fallback("meilisearch out of sync", plan, withFacets);
            if (Date.now() < state.downUntil) return yield* fallback("meilisearch unreachable (recent failure)", plan, withFacets);
            const result = yield* meili.search(plan, withFacets).pipe(Effect.result);
            if (result._tag === "Success") return result.success;
            state.downUntil = Date.now() + retryAfterMs;
            yield* Effect.logWarning(`catalog search: Meilisearch search failed (${result.failure.message}); answering from the embedded index`);
            return yield* fallback(`meilisearch error: ${result.failure.message}`, plan, withFacets);
          });

        /** Embedded first (never fails), then Meilisearch; a stale Meilisearch gets a full sync instead. */
        const write = (apply: () => void, toMeilisearch: Effect.Effect<unknown, CatalogSearchError>) =>
          Effect.gen(function* () {
            apply();
            const synced = yield* (state.stale ? resync : toMeilisearch).pipe(Effect.result);
            if (synced._tag === "Failure") {
              yield* markStale(synced.failure);
              return yield* Effect.fail(synced.failure);
            }
          });

        return CatalogSearch.of({
          search: searchWith(index, execute, "meilisearch"),
          upsert: (cars) => write(() => index.upsert(cars), meili.upsert(cars)),
          remove: (stockIds) => write(() => index.remove(stockIds), meili.remove(stockIds)),
          rebuild: () =>
            all.pipe(
              Effect.tap((cars) => Effect.sync(() => index.replaceAll(cars))),
              Effect.flatMap(syncMeilisearch),
              Effect.tapError(markStale),
            ),
          status: () =>
            Effect.sync(() => ({ engine: "meilisearch" as const, degraded: state.stale || Date.now() < state.downUntil, documents: index.size })),
        });
      }),
    );

  /** Meilisearch when a URL is configured, the embedded engine otherwise. */
  static readonly layerFromConfig = (config: SearchConfig) => {
    if (!config.meiliUrl) return CatalogSearch.layerEmbedded;
    const key = config.meiliMasterKey;
    return CatalogSearch.layerMeilisearch({
      url: config.meiliUrl,
      apiKey: key === undefined ? undefined : typeof key === "string" ? key : Redacted.value(key),
      index: config.meiliIndex,
    });
  };
}
