/**
 * The embedded fines registry: the `traffic_fines` table (migration 0008), filled with the shipped
 * SAMPLE dataset (sample-fines.csv, invented fines) when empty, or with any CSV through
 * `npm run fines:import`. For demos and tests; a real deployment configures FINES_REGISTRY_URL.
 */
import { Effect, Layer } from "effect";
import { sql } from "kysely";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Database } from "../db/database.ts";
import { importFines, parseFinesCsv } from "./csv.ts";
import { sumCents } from "./money.ts";
import { FinesRegistry, FinesRegistryError, type Fine } from "./registry.ts";

export const SAMPLE_FINES_PATH = fileURLToPath(new URL("./sample-fines.csv", import.meta.url));

/** Loads the sample dataset when the table is empty; answers how many fines were loaded. */
export const seedSampleFinesIfEmpty = Effect.fn("fines.seed_if_empty")(function* (csvPath: string = SAMPLE_FINES_PATH) {
  const { use } = yield* Database;
  const existing = yield* use("traffic_fines.count", (db) => db.selectFrom("traffic_fines").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow());
  if (Number(existing.n) > 0) return 0;
  const rows = parseFinesCsv(yield* Effect.promise(() => readFile(csvPath, "utf8")));
  return yield* importFines(rows, "sample");
});

export const makeEmbeddedRegistry = Effect.gen(function* () {
  const { use } = yield* Database;
  return FinesRegistry.of({
    kind: "embedded",
    lookup: (plate) =>
      use("traffic_fines.lookup", (db) =>
        db
          .selectFrom("traffic_fines")
          .select(["folio", "description", "authority", "amount_cents", sql<string>`to_char(issued_on, 'YYYY-MM-DD')`.as("issued_on")])
          .where("plate", "=", plate)
          .where("status", "=", "unpaid")
          .orderBy("issued_on")
          .orderBy("folio")
          .execute(),
      ).pipe(
        Effect.map((rows) => {
          const fines: Fine[] = rows.map((row) => ({
            folio: row.folio,
            description: row.description,
            authority: row.authority,
            issuedOn: row.issued_on,
            amountCents: Number(row.amount_cents),
          }));
          return { plate, fines, totalCents: sumCents(fines.map((f) => f.amountCents)), source: "sample" as const };
        }),
        Effect.mapError((error) => new FinesRegistryError({ reason: "unavailable", message: "the fines table could not be read", cause: error })),
        Effect.withSpan("fines.registry.lookup", { attributes: { "fines.registry": "embedded" } }),
      ),
  });
});

export const embeddedRegistryLayer = (options: { readonly seedSample: boolean }) =>
  Layer.effect(
    FinesRegistry,
    Effect.gen(function* () {
      if (options.seedSample) yield* seedSampleFinesIfEmpty();
      return yield* makeEmbeddedRegistry;
    }),
  );
