/** The 100-car sample shipped with the project, loaded on first start when the catalog is empty. */
import { Effect } from "effect";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CarStore } from "./car-store.ts";
import { parseCatalogCsv } from "./csv-import.ts";

export const SAMPLE_CATALOG_PATH = fileURLToPath(new URL("./data/catalog.csv", import.meta.url));

export const seedCatalogIfEmpty = Effect.fn("catalog.seed_if_empty")(function* (csvPath: string = SAMPLE_CATALOG_PATH) {
  const store = yield* CarStore;
  if ((yield* store.count()) > 0) return 0;
  const text = yield* Effect.promise(() => readFile(csvPath, "utf8"));
  const { cars, errors } = parseCatalogCsv(text);
  if (errors.length > 0) return yield* Effect.die(new Error(`the shipped sample catalog has invalid rows: ${JSON.stringify(errors)}`));
  yield* store.upsertMany(cars);
  yield* Effect.logInfo(`catalog seeded with ${cars.length} cars`);
  return cars.length;
});
