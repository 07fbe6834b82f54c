/**
 * npm run fines:import -- <file.csv> [source]
 * Loads fines into the embedded registry (traffic_fines), upserting by folio in one transaction,
 * only when every row is valid. `source` labels the rows (default "import"; the shipped demo rows are "sample").
 */
import { Effect } from "effect";
import { readFile } from "node:fs/promises";
import { databaseFromConfig, runScript } from "../../scripts/run-script.ts";
import { importFines, parseFinesCsv } from "./csv.ts";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run fines:import -- <file.csv> [source]");
  process.exit(2);
}

await runScript(
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({ try: () => readFile(file, "utf8"), catch: (cause) => new Error(`cannot read ${file}: ${String(cause)}`) });
    const rows = yield* Effect.try({ try: () => parseFinesCsv(text), catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause))) });
    const count = yield* importFines(rows, process.argv[3] ?? "import");
    console.log(`imported ${count} fines (inserted or updated by folio)`);
  }).pipe(Effect.provide(databaseFromConfig), Effect.scoped),
);
