/**
 * The Meilisearch engine: index settings (applied only when they differ), document sync, and
 * search translated from the same SearchPlan the embedded engine runs. Every Meilisearch task is
 * awaited; a failed or timed-out task is a CatalogSearchError naming the task and its error.
 */
import { Effect } from "effect";
import { Meilisearch, type EnqueuedTaskPromise, type MultiSearchQuery, type Settings, type Task } from "meilisearch";
import type { Car } from "../car.ts";
import { meilisearchSynonyms } from "./aliases.ts";
import { carOfDoc, SEARCHABLE_FIELDS, type SearchDoc, toSearchDoc } from "./documents.ts";
import { sortMakeCounts } from "./embedded-index.ts";
import { CatalogSearchError } from "./errors.ts";
import { meilisearchFilter, type EngineResultWithFacets, type SearchPlan } from "./plan.ts";
import type { CarSearchFacets, SortOrder } from "./query.ts";

export interface MeilisearchOptions {
  readonly url: string;
  readonly apiKey?: string | undefined;
  readonly index: string;
  /** Per HTTP request (default 2,000 ms). */
  readonly requestTimeoutMs?: number;
  /** How long to wait for one indexing task (default 60,000 ms). */
  readonly taskTimeoutMs?: number;
}

/** Meilisearch document: the search document plus the sync generation that wrote it. */
type MeiliDoc = SearchDoc & { readonly generation: number };

const BATCH_SIZE = 10_000;

export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: [...SEARCHABLE_FIELDS],
  filterableAttributes: ["bluetooth", "bodyType", "carPlay", "generation", "km", "make", "makeKey", "modelKey", "needs", "price", "transmission", "year"],
  sortableAttributes: ["km", "price", "year"],
  // "sort" right after "words": an explicit sort orders the matches; relevance breaks its ties.
  rankingRules: ["words", "sort", "typo", "proximity", "attribute", "exactness", "year:desc", "price:asc"],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 4, twoTypos: 7 },
    disableOnNumbers: true,
    disableOnAttributes: [],
    disableOnWords: [],
  },
  synonyms: meilisearchSynonyms(),
  // Filler words are removed before the query is sent (text-query.ts), on both engines alike.
  stopWords: [],
  faceting: { maxValuesPerFacet: 500, sortFacetValuesBy: { "*": "count" } },
  pagination: { maxTotalHits: 1_000_000 },
  distinctAttribute: null,
};

const SORTS: Record<SortOrder, string[] | undefined> = {
  relevance: undefined,
  price_asc: ["price:asc"],
  price_desc: ["price:desc"],
  year_desc: ["year:desc"],
  year_asc: ["year:asc"],
  km_asc: ["km:asc"],
};

/** Settings equal up to the order of set-like lists and of object keys. */
const canonical = (value: unknown, setLike: boolean): unknown => {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, false));
    return setLike ? [...items].sort() : items;
  }
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key], key === "synonyms" || key === "disableOnWords" || key === "disableOnAttributes")]),
    );
  return value;
};

const SET_LIKE = new Set(["filterableAttributes", "sortableAttributes", "stopWords"]);

/** The settings keys whose current value differs from the wanted one. */
export const settingsDiff = (current: Settings, wanted: Settings = MEILISEARCH_SETTINGS): string[] =>
  Object.keys(wanted).filter((key) => {
    const k = key as keyof Settings;
    return JSON.stringify(canonical(current[k] ?? null, SET_LIKE.has(key))) !== JSON.stringify(canonical(wanted[k] ?? null, SET_LIKE.has(key)));
  });

export const makeMeilisearchEngine = (options: MeilisearchOptions) => {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: options.requestTimeoutMs ?? 2_000 });
  const index = client.index<MeiliDoc>(options.index);
  const taskTimeout = options.taskTimeoutMs ?? 60_000;
  let generation = Date.now();

  const fail = (operation: string) => (cause: unknown) =>
    new CatalogSearchError({ engine: "meilisearch", operation, message: cause instanceof Error ? cause.message : String(cause), cause });

  const request = <A>(operation: string, run: () => Promise<A>) =>
    Effect.tryPromise({ try: run, catch: fail(operation) }).pipe(Effect.withSpan(`meilisearch ${operation}`, { attributes: { "db.system.name": "meilisearch", "meilisearch.index": options.index } }));

  /** Enqueues a task, waits for it, and fails unless it succeeded. */
  const task = (operation: string, enqueue: () => EnqueuedTaskPromise, accept: (task: Task) => boolean = () => false) =>
    request(operation, () => enqueue().waitTask({ timeout: taskTimeout, interval: 50 })).pipe(
      Effect.flatMap((done) =>
        done.status === "succeeded" || accept(done)
          ? Effect.succeed(done)
          : Effect.fail(
              new CatalogSearchError({
                engine: "meilisearch",
                operation,
                message: `task ${done.uid} ${done.status}${done.error ? `: ${done.error.code}: ${done.error.message}` : ""}`,
                cause: done.error,
              }),
            ),
      ),
    );

  const ensureIndex = task("create_index", () => client.createIndex(options.index, { primaryKey: "id" }), (t) => t.error?.code === "index_already_exists");

  const applySettings = Effect.gen(function* () {
    const current = yield* request("get_settings", () => index.getSettings());
    const differing = settingsDiff(current);
    if (differing.length === 0) return [] as string[];
    yield* Effect.logInfo(`meilisearch settings differ (${differing.join(", ")}): updating index ${options.index}`);
    yield* task("update_settings", () => index.updateSettings(MEILISEARCH_SETTINGS));
    return differing;
  });

  const toMeiliDocs = (cars: ReadonlyArray<Car>): MeiliDoc[] => cars.map((car) => ({ ...toSearchDoc(car), generation }));

  const upsert = (cars: ReadonlyArray<Car>) =>
    Effect.gen(function* () {
      const docs = toMeiliDocs(cars);
      for (let i = 0; i < docs.length; i += BATCH_SIZE) yield* task("add_documents", () => index.addDocuments(docs.slice(i, i + BATCH_SIZE)));
    });

  const remove = (stockIds: ReadonlyArray<number>) =>
    stockIds.length === 0 ? Effect.void : task("delete_documents", () => index.deleteDocuments([...stockIds])).pipe(Effect.asVoid);

  /**
 * Index, settings, every car written with a new generation, then older generations deleted
 * ("<" rather than "!=": another instance syncing at the same time keeps its newer documents).
 */
  const replaceAll = (cars: ReadonlyArray<Car>) =>
    Effect.gen(function* () {
      yield* ensureIndex;
      const changedSettings = yield* applySettings;
      generation = Date.now();
      yield* upsert(cars);
      yield* task("delete_stale_documents", () => index.deleteDocuments({ filter: `generation < ${generation}` }));
      return { documents: cars.length, changedSettings };
    });

  const facetsFrom = (response: { facetDistribution?: Record<string, Record<string, number>>; facetStats?: Record<string, { min: number; max: number }> }): CarSearchFacets => {
    const makes = Object.entries(response.facetDistribution?.make ?? {}).map(([make, count]) => ({ make, count }));
    if (makes.length === 0) return { makes: [], price: null, year: null };
    const price = response.facetStats?.price;
    const year = response.facetStats?.year;
    return {
      makes: sortMakeCounts(makes),
      price: price ? { min: price.min, max: price.max } : null,
      year: year ? { min: year.min, max: year.max } : null,
    };
  };

  const search = (plan: SearchPlan, withFacets: boolean) =>
    Effect.gen(function* () {
      const q = plan.terms.join(" ");
      const aligned = plan.offset % plan.limit === 0;
      const main: MultiSearchQuery = {
        indexUid: options.index,
        q,
        filter: meilisearchFilter(plan.filters),
        ...(SORTS[plan.sort] ? { sort: SORTS[plan.sort] } : {}),
        matchingStrategy: "all",
        // Page-based pagination gives an exact total; an unaligned offset fetches from the start.
        hitsPerPage: aligned ? plan.limit : plan.offset + plan.limit,
        page: aligned ? plan.offset / plan.limit + 1 : 1,
      };
      const facetQuery = (text: string): MultiSearchQuery => ({
        indexUid: options.index,
        q: text,
        matchingStrategy: "all",
        facets: ["make", "price", "year"],
        hitsPerPage: 0,
        page: 1,
      });
      const queries = withFacets ? [main, facetQuery(q), ...(q ? [facetQuery("")] : [])] : [main];
      const response = yield* request("search", () => client.multiSearch<{ queries: MultiSearchQuery[] }, MeiliDoc>({ queries }));
      const [hits, textFacets, catalogFacets] = response.results;
      const total = (hits as { totalHits?: number }).totalHits ?? 0;
      const cars = (hits?.hits ?? []).slice(aligned ? 0 : plan.offset).map((hit) => carOfDoc(hit));
      let facets: CarSearchFacets = { makes: [], price: null, year: null };
      if (withFacets && textFacets) {
        const textTotal = (textFacets as { totalHits?: number }).totalHits ?? 0;
        facets = facetsFrom(textTotal > 0 || !catalogFacets ? textFacets : catalogFacets);
      }
      return { cars, total, facets } satisfies EngineResultWithFacets;
    });

  const health = request("health", () => client.health());

  return { search, upsert, remove, replaceAll, applySettings, ensureIndex, health };
};

export type MeilisearchEngine = ReturnType<typeof makeMeilisearchEngine>;
