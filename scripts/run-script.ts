/** Runs a command-line program's Effect with the configured database and readable failures. */
import { Effect, Layer } from "effect";
import { AppConfig } from "../core/config.ts";
import { Database } from "../knowledge/db/database.ts";

export const databaseFromConfig = Layer.unwrap(
  Effect.gen(function* () {
    const { database } = yield* AppConfig;
    return Database.layer({ url: database.url, pgliteDataDir: database.pgliteDataDir });
  }),
).pipe(Layer.provide(AppConfig.layer));

export const runScript = <A, E>(program: Effect.Effect<A, E, never>) =>
  Effect.runPromise(program).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
