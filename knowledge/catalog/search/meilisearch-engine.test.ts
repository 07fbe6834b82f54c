/**
 * The Meilisearch side without a Meilisearch server (none can run here): sync, settings, task
 * failures and the fallback, against FakeMeilisearch, which speaks the real HTTP wire format.
 * Ranking on a real server is covered by the contract suite when MEILI_URL is set.
 */
import { Effect, type ManagedRuntime, Tracer } from "effect";
import type { CarStore } from "../car-store.ts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CatalogAdmin } from "./catalog-admin.ts";
import { CatalogSearch } from "./catalog-search.ts";
import { MEILISEARCH_SETTINGS, settingsDiff } from "./meilisearch-engine.ts";
import type { CatalogSearchError } from "./errors.ts";
import { sampleCars, sharedCatalog } from "./testing/sample-catalog.ts";
import { FakeMeilisearch } from "./testing/fake-meilisearch.ts";

const sample = sampleCars();

const recordingTracer = () => {
  const spans: Tracer.NativeSpan[] = [];
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options);
      spans.push(span);
      return span;
    },
  });
  return { spans, tracer };
};

describe("Meilisearch engine against a wire-format fake", () => {
  let fake: FakeMeilisearch;
  let url: string;
  let runtime: ManagedRuntime.ManagedRuntime<CatalogAdmin | CatalogSearch | CarStore, CatalogSearchError> | undefined;
  let catalog: Awaited<ReturnType<typeof sharedCatalog>>;

  beforeAll(async () => {
    catalog = await sharedCatalog();
  });
  afterAll(() => catalog.dispose());

  beforeEach(async () => {
    fake = new FakeMeilisearch();
    url = await fake.start();
  });
  afterEach(async () => {
    await runtime?.dispose();
    runtime = undefined;
    await fake.stop();
    await catalog.reset();
  });

  const start = async (options: { index?: string; requireAtStart?: boolean; url?: string; resyncEveryMs?: number } = {}) => {
    const started = catalog.runtimeWith(
      CatalogSearch.layerMeilisearch({ url: options.url ?? url, index: options.index ?? "cars", requireAtStart: options.requireAtStart ?? false, resyncEveryMs: options.resyncEveryMs ?? 3_600_000 }),
    );
    runtime = started;
    await started.runPromise(Effect.void);
    return started;
  };

  it("syncs at start: index with primary key, settings, every car; awaits each task", async () => {
    await start();
    const index = fake.indexes.get("cars")!;
    expect(index.primaryKey).toBe("id");
    expect(index.docs.size).toBe(sample.length);
    expect(index.docs.get(322722)).toMatchObject({ make: "Nissan", model: "Versa", price: 265_999, makeKey: "nissan", needs: [] });
    expect(settingsDiff(index.settings)).toEqual([]);
    expect(index.settings.synonyms.vocho).toContain("beetle");
    expect(index.settings.typoTolerance.minWordSizeForTypos).toEqual({ oneTypo: 4, twoTypos: 7 });
    // Every enqueued task was polled until it finished.
    const enqueued = [...fake.tasks.keys()];
    for (const uid of enqueued) expect(fake.requestsTo("GET", new RegExp(`^/tasks/${uid}$`)).length).toBeGreaterThan(0);
    expect(await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).toEqual({ engine: "meilisearch", degraded: false, documents: 100 });
  });

  it("applies settings idempotently: a second start with equal settings sends no settings update", async () => {
    await start();
    expect(fake.requestsTo("PATCH", /\/settings$/)).toHaveLength(1);
    await runtime!.dispose();
    runtime = undefined;
    await start();
    expect(fake.requestsTo("PATCH", /\/settings$/)).toHaveLength(1);
    expect(fake.indexes.get("cars")!.docs.size).toBe(sample.length);
  });

  it("a rebuild drops documents of cars no longer in the database", async () => {
    await start();
    fake.indexes.get("cars")!.docs.set(1, { id: 1, make: "Ghost", generation: 0 });
    await runtime!.runPromise(CatalogSearch.use((s) => s.rebuild()));
    expect(fake.indexes.get("cars")!.docs.has(1)).toBe(false);
    expect(fake.indexes.get("cars")!.docs.size).toBe(sample.length);
  });

  it("writes reach Meilisearch: an admin price change and a deletion", async () => {
    await start();
    await runtime!.runPromise(CatalogAdmin.use((a) => a.update(322722, { price: 199_999 })));
    expect(fake.indexes.get("cars")!.docs.get(322722)).toMatchObject({ price: 199_999 });
    await runtime!.runPromise(CatalogAdmin.use((a) => a.remove(322722)));
    expect(fake.indexes.get("cars")!.docs.has(322722)).toBe(false);
  });

  it("a failed task is a typed error naming it; the change is saved and searches use the embedded index", async () => {
    await start();
    fake.failTasks.add("documentAdditionOrUpdate");
    const error = await runtime!.runPromise(Effect.flip(CatalogAdmin.use((a) => a.update(322722, { price: 199_999 }))));
    expect(error).toMatchObject({ _tag: "CatalogAdminError", code: "search_sync_failed" });
    expect(error.message).toMatch(/task \d+ failed: internal/);
    const status = await runtime!.runPromise(CatalogSearch.use((s) => s.status()));
    expect(status.degraded).toBe(true);
    const result = await runtime!.runPromise(CatalogSearch.use((s) => s.search({ text: "versa", maxPrice: 200_000 })));
    expect(result.cars.map((car) => [car.stockId, car.price])).toEqual([[322722, 199_999]]);
    // Once Meilisearch accepts writes again, the next write re-syncs everything.
    fake.failTasks.clear();
    await runtime!.runPromise(CatalogAdmin.use((a) => a.update(322722, { price: 265_999 })));
    expect(fake.indexes.get("cars")!.docs.get(322722)).toMatchObject({ price: 265_999 });
    expect((await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).degraded).toBe(false);
  });

  it("translates a search into one multi-search request and maps hits, total and facets back", async () => {
    await start();
    const versa = fake.indexes.get("cars")!.docs.get(322722)!;
    fake.multiSearch = (body) => ({
      status: 200,
      body: {
        results: body.queries.map((query: Record<string, unknown>, i: number) =>
          i === 0
            ? { indexUid: "cars", hits: [versa], query: query.q, processingTimeMs: 1, hitsPerPage: 5, page: 1, totalPages: 1, totalHits: 1 }
            : {
                indexUid: "cars",
                hits: [],
                query: query.q,
                processingTimeMs: 1,
                hitsPerPage: 0,
                page: 1,
                totalPages: 0,
                totalHits: 2,
                facetDistribution: { make: { Nissan: 2 } },
                facetStats: { price: { min: 220_999, max: 265_999 }, year: { min: 2018, max: 2020 } },
              },
        ),
      },
    });
    const result = await runtime!.runPromise(
      CatalogSearch.use((s) => s.search({ text: "nisan vesra con carplay", minYear: 2019, sort: "price_asc", bodyTypes: ["sedan"] })),
    );
    expect(result.cars.map((car) => car.stockId)).toEqual([322722]);
    expect(result.total).toBe(1);
    expect(result.facets).toEqual({ makes: [{ make: "Nissan", count: 2 }], price: { min: 220_999, max: 265_999 }, year: { min: 2018, max: 2020 } });
    const sent = fake.requestsTo("POST", /^\/multi-search$/).at(-1)!.body as { queries: Array<Record<string, unknown>> };
    expect(sent.queries[0]).toEqual({
      indexUid: "cars",
      q: "nisan vesra",
      filter: ["year >= 2019", "carPlay = true", 'bodyType IN ["sedan"]'],
      sort: ["price:asc"],
      matchingStrategy: "all",
      hitsPerPage: 5,
      page: 1,
    });
    expect(sent.queries[1]).toMatchObject({ q: "nisan vesra", facets: ["make", "price", "year"], hitsPerPage: 0 });
    expect(sent.queries[2]).toMatchObject({ q: "" });
  });

  it("when Meilisearch fails, the user still gets an answer, with a warning on the span", async () => {
    await start();
    const { spans, tracer } = recordingTracer();
    const result = await runtime!.runPromise(CatalogSearch.use((s) => s.search({ text: "nisan vesra" })).pipe(Effect.withTracer(tracer)));
    expect(result.cars.map((car) => car.model)).toEqual(["Versa", "Versa"]);
    const span = spans.find((s) => s.name === "catalog_search.search")!;
    expect(span.attributes.get("search.fallback")).toBe(true);
    expect(String(span.attributes.get("search.fallback.reason"))).toMatch(/meilisearch error/);
    expect(span.events.map(([name]) => name)).toContain("search.fallback");
    expect((await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).degraded).toBe(true);
  });

  it("unreachable at start: the layer starts degraded and answers from the embedded index", async () => {
    await fake.stop();
    await start({ url: "http://127.0.0.1:9" });
    const result = await runtime!.runPromise(CatalogSearch.use((s) => s.search({ text: "toyta corola 2020" })));
    expect(result.cars.map((car) => car.stockId)).toEqual([305016]);
    expect(await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).toMatchObject({ engine: "meilisearch", degraded: true });
  });

  it("failing at start, then back: the background resync brings Meilisearch in sync", async () => {
    fake.failTasks.add("indexCreation");
    await start({ resyncEveryMs: 100 });
    expect((await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).degraded).toBe(true);
    expect(fake.indexes.get("cars")).toBeUndefined();
    fake.failTasks.clear();
    await expect.poll(() => fake.indexes.get("cars")?.docs.size, { timeout: 5_000, interval: 50 }).toBe(sample.length);
    await expect.poll(async () => (await runtime!.runPromise(CatalogSearch.use((s) => s.status()))).degraded, { timeout: 5_000, interval: 50 }).toBe(false);
  });

  it("unreachable at start with requireAtStart: the layer fails with a typed error", async () => {
    await fake.stop();
    const failing = catalog.runtimeWith(CatalogSearch.layerMeilisearch({ url: "http://127.0.0.1:9", index: "cars", requireAtStart: true }));
    const error = await failing.runPromise(Effect.void).then(
      () => undefined,
      (e: unknown) => e,
    );
    await failing.dispose();
    expect(String(error)).toMatch(/CatalogSearchError|meilisearch/i);
  });
});

describe("settingsDiff", () => {
  it("ignores the order of set-like lists and keys, and notices real differences", () => {
    const reordered = {
      ...MEILISEARCH_SETTINGS,
      filterableAttributes: [...(MEILISEARCH_SETTINGS.filterableAttributes as string[])].reverse(),
    };
    expect(settingsDiff(reordered)).toEqual([]);
    expect(settingsDiff({ ...MEILISEARCH_SETTINGS, rankingRules: ["words", "typo"] })).toEqual(["rankingRules"]);
    expect(settingsDiff({ ...MEILISEARCH_SETTINGS, typoTolerance: { enabled: true } })).toEqual(["typoTolerance"]);
  });
});
