/** npm run db:migrate — applies pending migrations to the configured database. */
import { Effect } from "effect";
import { Database } from "../knowledge/db/database.ts";
import { databaseFromConfig, runScript } from "./run-script.ts";

await runScript(
  Effect.gen(function* () {
    const { kind } = yield* Database;
    console.log(`migrations are up to date (${kind})`);
  }).pipe(Effect.provide(databaseFromConfig), Effect.scoped),
);
