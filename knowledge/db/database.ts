/**
 * The database: PostgreSQL when a URL is configured, PGlite (in process) otherwise. Both speak
 * the same SQL through Kysely, and the same migrations run on both at start.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { Context, Data, Effect, Layer, Redacted } from "effect";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { mkdirSync } from "node:fs";
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

export interface DatabaseShape {
  readonly db: Kysely<DB>;
  readonly kind: "postgres" | "pglite";
  /** Runs a query against the database, mapping failures to a typed error. */
  readonly use: <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) => Effect.Effect<A, DatabaseError>;
}

export class Database extends Context.Service<Database, DatabaseShape>()("Database") {
  static readonly layer = (options: DatabaseOptions) => Layer.effect(Database, makeDatabase(options));
}

const openKysely = (options: DatabaseOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        if (options.url) {
          const pool = new pg.Pool({ connectionString: Redacted.value(options.url), max: 10 });
          return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), kind: "postgres" as const, close: async () => {} };
        }
        const inMemory = options.pgliteDataDir.startsWith("memory://");
        if (!inMemory) mkdirSync(options.pgliteDataDir, { recursive: true });
        const pglite = await PGlite.create(inMemory ? undefined : options.pgliteDataDir, { extensions: { unaccent, pg_trgm } });
        return {
          db: new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) }),
          kind: "pglite" as const,
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

export const migrateToLatest = (db: Kysely<DB>) =>
  Effect.tryPromise({
    try: async () => {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        // Parallel branches may add migrations with lower numbers than ones already applied.
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error;
      return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    },
    catch: (cause) => new DatabaseError({ operation: "migrate", cause }),
  });

const makeDatabase = (options: DatabaseOptions) =>
  Effect.gen(function* () {
    const { db, kind } = yield* openKysely(options);
    if (options.migrate !== false) {
      const applied = yield* migrateToLatest(db);
      if (applied.length > 0) yield* Effect.logInfo(`migrations applied: ${applied.join(", ")}`);
    }
    const use = <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) =>
      Effect.tryPromise({ try: () => run(db), catch: (cause) => new DatabaseError({ operation, cause }) }).pipe(
        Effect.withSpan(`db ${operation}`, { attributes: { "db.system.name": "postgresql", "db.operation.name": operation } }),
      );
    return Database.of({ db, kind, use });
  });

export const ping = (db: Kysely<DB>) => sql`select 1`.execute(db);
