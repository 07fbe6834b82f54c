/**
 * The database: PostgreSQL when a URL is configured, PGlite (in process) otherwise. Both speak
 * the same SQL through Kysely, and the same migrations run on both at start.
 *
 * Connection faults never take the process down: the pool and every client it opens have 'error'
 * listeners (a restarted or killed server makes idle and checked-out connections emit 'error',
 * which without a listener is an uncaught exception). A query on a broken connection fails as a
 * DatabaseError; the pool drops the broken client and opens new ones once the server is back.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { Context, Data, Effect, Layer, Redacted, type Scope } from "effect";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { withDbSpans, withStoreOperation } from "../../observability/kysely-tracing.ts";
import { migrations } from "./migrations/index.ts";
import type { DB } from "./schema.ts";

export class DatabaseError extends Data.TaggedError("DatabaseError")<{ readonly operation: string; readonly cause: unknown }> {}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  readonly url?: Redacted.Redacted<string> | undefined;
  /** PGlite data directory, or "memory://" for an in-memory database. */
  readonly pgliteDataDir: string;
  /** Apply pending migrations when the layer starts (default true). */
  readonly migrate?: boolean;
}

/** What a LISTEN subscription reports: (re)connected (notifications sent while disconnected are lost), disconnected, or a notification. */
export type ListenEvent = { readonly type: "connected" } | { readonly type: "disconnected" } | { readonly type: "notification"; readonly payload: string };

export interface DatabaseShape {
  readonly db: Kysely<DB>;
  readonly kind: "postgres" | "pglite";
  /** Runs a query against the database, mapping failures to a typed error. */
  readonly use: <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) => Effect.Effect<A, DatabaseError>;
  /** The PostgreSQL connection string, for services that need connections of their own (undefined on PGlite). */
  readonly url: Redacted.Redacted<string> | undefined;
  /** The embedded PGlite instance (undefined on PostgreSQL), for services that speak to it directly (the job queue). */
  readonly pglite: PGlite | undefined;
  /** Where the embedded PGlite keeps its files (undefined on PostgreSQL and for an in-memory PGlite). */
  readonly pgliteDataDir: string | undefined;
  /**
   * LISTEN on a channel for as long as the scope lives. On PostgreSQL a dedicated connection,
   * re-opened after it is lost (with a heartbeat to notice dead ones); "connected" is reported on
   * every (re)connection. On PGlite, in process.
   */
  readonly listen: (channel: string, onEvent: (event: ListenEvent) => void) => Effect.Effect<void, never, Scope.Scope>;
}

export class Database extends Context.Service<Database, DatabaseShape>()("Database") {
  static readonly layer = (options: DatabaseOptions) => Layer.effect(Database, makeDatabase(options));
}

/** Logs connection errors without flooding the log during an outage: the first, then a count every 5 s. */
const connectionErrorLogger = (label: string) => {
  let suppressed = 0;
  let windowStart = 0;
  return (error: unknown) => {
    const now = Date.now();
    if (now - windowStart < 5_000) {
      suppressed += 1;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : "";
    windowStart = now;
    suppressed = 0;
    Effect.runFork(Effect.logWarning(`${label}: connection error: ${error instanceof Error ? error.message : String(error)}${more}`));
  };
};

export interface PgPoolOptions {
  readonly max: number;
  readonly applicationName: string;
  /** How long pool.connect() may wait for a connection (0 = no limit). */
  readonly connectionTimeoutMillis?: number;
  /** Extra server settings sent at connection start, e.g. "-c client_connection_check_interval=1000". */
  readonly serverOptions?: string;
}

/**
 * A pg pool whose connection errors are handled: on the pool (idle clients) and on every client
 * it creates (a checked-out client between queries emits 'error' too; pg-pool removes its own
 * listener while a client is checked out). The broken client is dropped on release.
 */
export const makePgPool = (url: Redacted.Redacted<string>, options: PgPoolOptions) => {
  const logError = connectionErrorLogger(`postgres pool "${options.applicationName}"`);
  const pool = new pg.Pool({
    connectionString: Redacted.value(url),
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...(options.serverOptions ? { options: options.serverOptions } : {}),
  });
  pool.on("error", logError);
  pool.on("connect", (client) => {
    client.on("error", logError);
  });
  return pool;
};

const openKysely = (options: DatabaseOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        if (options.url) {
          const pool = makePgPool(options.url, { max: 10, applicationName: "kavak-agent" });
          return {
            db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
            kind: "postgres" as const,
            pglite: undefined,
            close: async () => {},
          };
        }
        const inMemory = options.pgliteDataDir.startsWith("memory://");
        if (!inMemory) mkdirSync(options.pgliteDataDir, { recursive: true });
        const pglite = await PGlite.create(inMemory ? undefined : options.pgliteDataDir, { extensions: { unaccent, pg_trgm } });
        return {
          // PGlite has no auto-instrumentation: one conventional client span per statement (pg's instrumentation does it on PostgreSQL).
          db: new Kysely<DB>({ dialect: withDbSpans(new PGliteDialect({ pglite }), { system: "postgresql" }) }),
          kind: "pglite" as const,
          pglite,
          close: async () => { if (!pglite.closed) await pglite.close(); },
        };
      },
      catch: (cause) => new DatabaseError({ operation: "connect", cause }),
    }),
    ({ db, close }) => Effect.promise(async () => {
      await db.destroy();
      await close();
    }),
  );

/** Applies the pending migrations of `set` (all of them by default); returns the names applied. */
export const migrateToLatest = (db: Kysely<DB>, set: Record<string, Migration> = migrations) =>
  Effect.tryPromise({
    try: async () => {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => set },
        // Parallel branches may add migrations with lower numbers than ones already applied.
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error;
      return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    },
    catch: (cause) => new DatabaseError({ operation: "migrate", cause }),
  });

/** How often a LISTEN connection proves it is alive, and how long it may take to answer. */
const HEARTBEAT_EVERY_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const RECONNECT_AFTER_MS = 500;

/** One LISTEN session on its own connection: resolves when the connection is lost. */
const pgListenSession = (url: Redacted.Redacted<string>, channel: string, onEvent: (event: ListenEvent) => void) =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: async () => {
        const client = new pg.Client({ connectionString: Redacted.value(url), keepAlive: true, connectionTimeoutMillis: 5_000, application_name: "kavak-agent-listen" });
        // Errors end the session (see below); this listener only keeps them from being uncaught.
        client.on("error", () => {});
        try {
          await client.connect();
          await client.query(`listen ${client.escapeIdentifier(channel)}`);
        } catch (error) {
          await client.end().catch(() => {});
          throw error;
        }
        return client;
      },
      catch: (cause) => new DatabaseError({ operation: `listen ${channel}`, cause }),
    }),
    (client) =>
      Effect.callback<void>((resume) => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          onEvent({ type: "disconnected" });
          resume(Effect.void);
        };
        client.on("notification", (message) => {
          if (message.channel === channel) onEvent({ type: "notification", payload: message.payload ?? "" });
        });
        client.on("error", end);
        client.on("end", end);
        const heartbeat = setInterval(() => {
          const timer = setTimeout(end, HEARTBEAT_TIMEOUT_MS);
          client.query("select 1").then(() => clearTimeout(timer), () => { clearTimeout(timer); end(); });
        }, HEARTBEAT_EVERY_MS);
        onEvent({ type: "connected" });
        return Effect.sync(() => {
          ended = true;
          clearInterval(heartbeat);
        });
      }),
    (client) => Effect.promise(() => client.end().catch(() => {})),
  );

const makeDatabase = (options: DatabaseOptions) =>
  Effect.gen(function* () {
    const { db, kind, pglite } = yield* openKysely(options);
    if (options.migrate !== false) {
      const applied = yield* migrateToLatest(db);
      if (applied.length > 0) yield* Effect.logInfo(`migrations applied: ${applied.join(", ")}`);
    }
    const use = <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) =>
      // The store's logical operation ("cars.get") goes on the spans of its statements (`store.operation`).
      Effect.tryPromise({ try: () => withStoreOperation(operation, () => run(db)), catch: (cause) => new DatabaseError({ operation, cause }) });
    const listen = (channel: string, onEvent: (event: ListenEvent) => void): Effect.Effect<void, never, Scope.Scope> => {
      if (pglite) {
        return Effect.acquireRelease(
          Effect.promise(async () => {
            const unsubscribe = await pglite.listen(channel, (payload) => onEvent({ type: "notification", payload }));
            onEvent({ type: "connected" });
            return unsubscribe;
          }),
          (unsubscribe) => Effect.promise(() => (pglite.closed ? Promise.resolve() : unsubscribe().catch(() => {}))),
        ).pipe(Effect.asVoid);
      }
      const url = options.url!;
      let loggedDown = false;
      const reporting = (event: ListenEvent) => {
        if (event.type === "connected" && loggedDown) {
          loggedDown = false;
          Effect.runFork(Effect.logInfo(`listen ${channel}: reconnected`));
        }
        if (event.type === "disconnected" && !loggedDown) {
          loggedDown = true;
          Effect.runFork(Effect.logWarning(`listen ${channel}: connection lost; reconnecting`));
        }
        onEvent(event);
      };
      const session = pgListenSession(url, channel, reporting).pipe(
        Effect.catch((error) =>
          loggedDown
            ? Effect.void
            : Effect.sync(() => (loggedDown = true)).pipe(Effect.andThen(Effect.logWarning(`listen ${channel}: cannot connect (${String(error.cause)}); retrying`))),
        ),
        Effect.andThen(Effect.sleep(`${RECONNECT_AFTER_MS} millis`)),
      );
      return Effect.forkScoped(Effect.forever(session)).pipe(Effect.asVoid);
    };

    const pgliteDataDir = kind === "pglite" && !options.pgliteDataDir.startsWith("memory://") ? options.pgliteDataDir : undefined;
    return Database.of({ db, kind, use, url: kind === "postgres" ? options.url : undefined, pglite, pgliteDataDir, listen });
  });

