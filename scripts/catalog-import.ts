/**
 * npm run catalog:import -- <file.csv>
 * Validates every row; upserts by stock id in one transaction only when the whole file is valid.
 */
import { Effect, Layer } from "effect";
import { readFile } from "node:fs/promises";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { parseCatalogCsv } from "../knowledge/catalog/csv-import.ts";
import { databaseFromConfig, runScript } from "./run-script.ts";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run catalog:import -- <file.csv>");
  process.exit(2);
}

await runScript(
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({ try: () => readFile(file, "utf8"), catch: (cause) => new Error(`cannot read ${file}: ${String(cause)}`) });
    const { cars, errors } = parseCatalogCsv(text);
    if (errors.length > 0) {
      for (const error of errors) console.error(`line ${error.line}: ${error.reason}`);
      return yield* Effect.fail(new Error(`${errors.length} invalid row(s); nothing was imported`));
    }
    yield* (yield* CarStore).upsertMany(cars);
    console.log(`imported ${cars.length} cars (inserted or updated by stock id)`);
    console.log("note: a running server with the embedded search engine picks the changes up at its next start; use the admin API for live updates");
  }).pipe(Effect.provide(CarStore.layer.pipe(Layer.provide(databaseFromConfig))), Effect.scoped),
);
