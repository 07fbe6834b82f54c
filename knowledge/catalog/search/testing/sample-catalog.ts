/** Test and benchmark support: the shipped 100-car sample, and a runtime over in-memory PGlite. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { readFileSync } from "node:fs";
import type { Car } from "../../car.ts";
import { CarStore } from "../../car-store.ts";
import { parseCatalogCsv } from "../../csv-import.ts";
import { SAMPLE_CATALOG_PATH } from "../../seed.ts";
import { Database } from "../../../db/database.ts";
import { CatalogAdmin } from "../catalog-admin.ts";
import type { CatalogSearch } from "../catalog-search.ts";
import type { CatalogSearchError } from "../errors.ts";

export const sampleCars = (): ReadonlyArray<Car> => {
  const { cars, errors } = parseCatalogCsv(readFileSync(SAMPLE_CATALOG_PATH, "utf8"));
  if (errors.length > 0) throw new Error(`sample catalog rows rejected: ${JSON.stringify(errors)}`);
  return cars;
};

/** CatalogAdmin + CatalogSearch (the given engine) + CarStore on a fresh in-memory PGlite holding `cars`. */
export const catalogRuntime = (searchLayer: Layer.Layer<CatalogSearch, CatalogSearchError, CarStore>, cars: ReadonlyArray<Car> = sampleCars()) => {
  const seeded = Layer.effectDiscard(CarStore.use((store) => store.upsertMany(cars)));
  return ManagedRuntime.make(
    CatalogAdmin.layer.pipe(
      Layer.provideMerge(searchLayer),
      Layer.provideMerge(seeded),
      Layer.provideMerge(CarStore.layer),
      Layer.provideMerge(Database.layer({ pgliteDataDir: "memory://" })),
    ),
  );
};

export type CatalogRuntime = ReturnType<typeof catalogRuntime>;

/** Runs an effect and returns its failure (or throws when it succeeds). */
export const failureOf = <A, E, R>(runtime: ManagedRuntime.ManagedRuntime<R, unknown>, effect: Effect.Effect<A, E, R>) =>
  runtime.runPromise(Effect.flip(effect));

/**
 * One in-memory database for a whole test file (PGlite takes seconds to start), with runtimes
 * for different search layers on top, and `reset` to put the sample back between tests.
 */
export const sharedCatalog = async (cars: ReadonlyArray<Car> = sampleCars()) => {
  const base = ManagedRuntime.make(CarStore.layer.pipe(Layer.provideMerge(Database.layer({ pgliteDataDir: "memory://" }))));
  const store = await base.runPromise(CarStore.use((service) => Effect.succeed(service)));
  await base.runPromise(store.upsertMany(cars));
  const ids = new Set(cars.map((car) => car.stockId));
  return {
    store,
    runtimeWith: (searchLayer: Layer.Layer<CatalogSearch, CatalogSearchError, CarStore>) =>
      ManagedRuntime.make(CatalogAdmin.layer.pipe(Layer.provideMerge(searchLayer), Layer.provideMerge(Layer.succeed(CarStore, store)))),
    reset: () =>
      base.runPromise(
        Effect.gen(function* () {
          for (const car of yield* store.all()) if (!ids.has(car.stockId)) yield* store.remove(car.stockId);
          yield* store.upsertMany(cars);
        }),
      ),
    dispose: () => base.dispose(),
  };
};
