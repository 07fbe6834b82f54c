/**
 * Persists the process's traces with bounded retention: the trace store (observability/trace-store.ts)
 * gets a database once it exists and flushes into it until the layer closes. Which database:
 *   - PostgreSQL: the app's;
 *   - PGlite on disk: a PGlite of its own, in a worker thread, in `<PGLITE_DATA_DIR>-traces`
 *     (thread-database.ts), so storing traces does not run on the thread that answers turns;
 *   - PGlite in memory (tests): the app's.
 * Settings (README, Configuration):
 *   TRACE_STORE                 database (default) | memory (only the recent window in memory)
 *   TRACE_RETENTION_HOURS       traces older than this are deleted (default 168, a week)
 *   TRACE_RETENTION_MAX_TRACES  at most this many traces are kept, the newest (default 10,000)
 * With tracing off (OTEL_SDK_DISABLED=true) there is nothing to persist, and no trace database opens.
 */
import { Config, Effect, Layer } from "effect";
import { Database, DatabaseError } from "../../knowledge/db/database.ts";
import { Tracing } from "../tracing.ts";
import { DatabaseTraceSink, type Retention } from "./database-sink.ts";
import { openThreadDatabase } from "./thread-database.ts";

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

/** A sink into the trace database's own thread, closed (after the store's last flush) with the scope. */
const threadSink = (dataDir: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => openThreadDatabase(dataDir),
      catch: (cause) => new DatabaseError({ operation: "open the trace database", cause }),
    }),
    (database) => Effect.promise(database.close),
  ).pipe(Effect.map((database) => new DatabaseTraceSink(database.db, "pglite-thread")));

export const TraceStorage = Layer.effectDiscard(
  Effect.gen(function* () {
    const config = yield* traceStorageConfig;
    const { store, enabled } = yield* Tracing;
    // Nothing to persist: no database (nor, on PGlite, a thread for one) is opened for traces.
    if (config.mode === "memory" || enabled === false) return store.keepInMemoryOnly();
    const database = yield* Database;
    const sink =
      database.pgliteDataDir === undefined
        ? new DatabaseTraceSink(database.db, database.kind)
        : // Traces are diagnostics: when their database cannot open, the app still answers, with recent traces in memory.
          yield* threadSink(`${database.pgliteDataDir}-traces`).pipe(
            Effect.catch((error) =>
              Effect.logError(`trace store: the trace database did not open, traces are kept in memory only: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`).pipe(
                Effect.as(undefined),
              ),
            ),
          );
    if (sink === undefined) return store.keepInMemoryOnly();
    const detach = store.attach(sink, { retention: retentionOf(config), onError: failureLogger() });
    yield* Effect.addFinalizer(() => Effect.promise(detach));
  }),
);
