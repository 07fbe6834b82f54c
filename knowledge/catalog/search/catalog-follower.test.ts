/**
 * The search index follows the catalog version: on PGlite (one process, NOTIFY in process) and
 * on PostgreSQL with two "instances" (two runtimes, each with its own pool, listener and index)
 * on one database: a change through either, or straight in SQL, reaches the other's index
 * within a second, also after the listener's connection is cut.
 */
import { Effect, Layer, ManagedRuntime, Redacted } from "effect";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Car } from "../car.ts";
import { CarStore } from "../car-store.ts";
import { Database, type DatabaseOptions } from "../../db/database.ts";
import { postgresForTest, postgresForTestUnavailable } from "../../db/testing/throwaway-postgres.ts";
import { CatalogAdmin } from "./catalog-admin.ts";
import { followingCatalog } from "./catalog-follower.ts";
import { CatalogSearch } from "./catalog-search.ts";
import { sampleCars } from "./testing/sample-catalog.ts";

const sample = sampleCars();
const car = sample.find((c) => c.make === "Nissan" && c.model === "Versa")!;

const instance = (options: DatabaseOptions, seed: boolean) => {
  const seeded = seed ? Layer.effectDiscard(CarStore.use((store) => store.upsertMany(sample))) : Layer.empty;
  return ManagedRuntime.make(
    CatalogAdmin.layer.pipe(
      Layer.provideMerge(followingCatalog(CatalogSearch.layerEmbedded)),
      Layer.provideMerge(seeded),
      Layer.provideMerge(CarStore.layer),
      Layer.provideMerge(Database.layer(options)),
    ),
  );
};
type Instance = ReturnType<typeof instance>;

const priceInSearch = async (runtime: Instance, target: Car) => {
  const result = await runtime.runPromise(
    CatalogSearch.use((search) => search.search({ make: target.make, model: target.model, minYear: target.year, maxYear: target.year, limit: 50 })),
  );
  return result.cars.find((c) => c.stockId === target.stockId)?.price;
};

const inSearch = async (runtime: Instance, stockId: number, target: Car) => {
  const result = await runtime.runPromise(CatalogSearch.use((search) => search.search({ make: target.make, model: target.model, limit: 50 })));
  return result.cars.some((c) => c.stockId === stockId);
};

/** Polls until `check` holds; returns how long it took (ms), or fails after `withinMs`. */
const within = async (withinMs: number, check: () => Promise<boolean>) => {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
};

const syncOf = async (runtime: Instance) => (await runtime.runPromise(CatalogSearch.use((search) => search.status()))).sync!;
const databaseVersion = (runtime: Instance) =>
  runtime.runPromise(
    Database.use(({ use }) => use("test.version", (db) => db.selectFrom("catalog_state").select("version").executeTakeFirstOrThrow())).pipe(
      Effect.map((row) => Number(row.version)),
    ),
  );

describe("catalog follower on PGlite (one process)", () => {
  let runtime: Instance;
  beforeAll(async () => {
    runtime = instance({ pgliteDataDir: "memory://" }, true);
    await runtime.runPromise(Effect.void);
  });
  afterAll(() => runtime?.dispose());

  it("an admin change is searchable at once, and the index knows the catalog version", async () => {
    await runtime.runPromise(CatalogAdmin.use((admin) => admin.update(car.stockId, { price: car.price + 1 })));
    expect(await priceInSearch(runtime, car)).toBe(car.price + 1);
    expect((await syncOf(runtime)).indexedVersion).toBe(await databaseVersion(runtime));
  });

  it("a change made straight in SQL (no admin call) reaches the index through NOTIFY", async () => {
    await runtime.runPromise(Database.use(({ use }) => use("test.update", (db) => sql`update cars set price = ${car.price + 2} where stock_id = ${car.stockId}`.execute(db))));
    await within(1_000, async () => (await priceInSearch(runtime, car)) === car.price + 2);
    await within(1_000, async () => (await syncOf(runtime)).indexedVersion === (await databaseVersion(runtime)));
  });
});

const pgSkip = postgresForTestUnavailable();
describe.skipIf(pgSkip !== undefined)(`catalog follower: two instances on one PostgreSQL database${pgSkip ? ` (skipped: ${pgSkip})` : ""}`, () => {
  let a: Instance;
  let b: Instance;
  let release: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const database = await postgresForTest();
    release = database.release;
    const options = { url: Redacted.make(database.url), pgliteDataDir: "" };
    a = instance(options, true);
    await a.runPromise(Effect.void);
    b = instance(options, false);
    await b.runPromise(Effect.void);
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await release();
  });

  it("a price change on A is in B's search within a second, at the same catalog version", async () => {
    await a.runPromise(CatalogAdmin.use((admin) => admin.update(car.stockId, { price: car.price + 10 })));
    expect(await priceInSearch(a, car)).toBe(car.price + 10);
    const ms = await within(1_000, async () => (await priceInSearch(b, car)) === car.price + 10);
    console.log(`catalog propagation A -> B: ${ms.toFixed(0)} ms`);
    await within(1_000, async () => (await syncOf(b)).indexedVersion === (await syncOf(a)).indexedVersion);
    expect((await syncOf(b)).indexedVersion).toBe(await databaseVersion(b));
    expect((await syncOf(b)).behindSince).toBeUndefined();
  });

  it("creations and deletions travel too, both ways", async () => {
    const extra: Car = { ...car, stockId: 990_001, price: 123_456 };
    await b.runPromise(CatalogAdmin.use((admin) => admin.create(extra)));
    await within(1_000, () => inSearch(a, extra.stockId, extra));
    await a.runPromise(CatalogAdmin.use((admin) => admin.remove(extra.stockId)));
    await within(1_000, async () => !(await inSearch(b, extra.stockId, extra)));
  });

  it("with the listeners' connections cut, the change still arrives (reconnect and poll)", async () => {
    await a.runPromise(
      Database.use(({ use }) =>
        use("test.kill_listeners", (db) => sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kavak-agent-listen' and datname = current_database()`.execute(db)),
      ),
    );
    await a.runPromise(CatalogAdmin.use((admin) => admin.update(car.stockId, { price: car.price + 20 })));
    const ms = await within(1_500, async () => (await priceInSearch(b, car)) === car.price + 20);
    console.log(`catalog propagation with listeners cut: ${ms.toFixed(0)} ms`);
    await within(3_000, async () => (await syncOf(b)).listening);
  });

  it("a bulk import on A (many statements, one transaction) ends at the same version on B", async () => {
    const bulk = sample.slice(0, 60).map((c) => ({ ...c, price: c.price + 7 }));
    await a.runPromise(CatalogAdmin.use((admin) => admin.importCars(bulk)));
    await within(1_000, async () => (await syncOf(b)).indexedVersion === (await databaseVersion(b)));
    for (const changed of bulk.slice(0, 5)) expect(await priceInSearch(b, changed)).toBe(changed.price);
  });
});
