/**
 * Persists the process's traces in the app's database (PGlite or PostgreSQL) with bounded
 * retention: the trace store (observability/trace-store.ts) gets the Database once it exists and
 * flushes into it until the layer closes. Settings (README, Configuration):
 *   TRACE_STORE                 database (default) | memory (only the recent window in memory)
 *   TRACE_RETENTION_HOURS       traces older than this are deleted (default 168, a week)
 *   TRACE_RETENTION_MAX_TRACES  at most this many traces are kept, the newest (default 10,000)
 */
import { Config, Effect, Layer } from "effect";
import { Database } from "../../knowledge/db/database.ts";
import { Tracing } from "../tracing.ts";
import { DatabaseTraceSink, type Retention } from "./database-sink.ts";

export const traceStorageConfig = Config.all({
  mode: Config.Literals(["database", "memory"], "TRACE_STORE").pipe(Config.withDefault("database" as const)),
  retentionHours: Config.Number("TRACE_RETENTION_HOURS").pipe(Config.withDefault(168)),
  maxTraces: Config.Int("TRACE_RETENTION_MAX_TRACES").pipe(Config.withDefault(10_000)),
});

export const retentionOf = (config: { readonly retentionHours: number; readonly maxTraces: number }): Retention => ({
  maxAgeMs: config.retentionHours * 3_600_000,
  maxTraces: config.maxTraces,
});

/** Logs store failures without flooding: the first, then one in a hundred. */
const failureLogger = () => {
  let failures = 0;
  return (error: unknown) => {
    failures += 1;
    if (failures === 1 || failures % 100 === 0)
      Effect.runFork(Effect.logWarning(`trace store: writing traces failed (${failures} so far): ${error instanceof Error ? error.message : String(error)}`));
  };
};

export const TraceStorage = Layer.effectDiscard(
  Effect.gen(function* () {
    const config = yield* traceStorageConfig;
    if (config.mode === "memory") return;
    const { store } = yield* Tracing;
    const database = yield* Database;
    const detach = store.attach(new DatabaseTraceSink(database.db, database.kind), { retention: retentionOf(config), onError: failureLogger() });
    yield* Effect.addFinalizer(() => Effect.promise(detach));
  }),
);
