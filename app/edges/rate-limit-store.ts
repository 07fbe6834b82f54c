/**
 * An express-rate-limit store on the application's database (PostgreSQL, or PGlite in process), so
 * every instance sharing one database counts against the same limits. One upsert per hit: a key's
 * window starts at its first hit and its row is reset when the window has passed.
 */
import type { Effect } from "effect";
import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import { sql } from "kysely";
import { Database } from "../../knowledge/db/database.ts";

export type RunDatabase = <A, E>(effect: Effect.Effect<A, E, Database>) => Promise<A>;

/** Expired rows are deleted after this many hits of one store (any instance's prune covers all keys). */
const PRUNE_EVERY = 500;

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private hitsSincePrune = 0;

  /** The row's key: this store's prefix and the client's key, without NUL (PostgreSQL text cannot hold it). */
  private rowKey(key: string): string {
    return (this.prefix + key).replaceAll("\u0000", "\\0").slice(0, 512);
  }

  constructor(
    private readonly run: RunDatabase,
    prefix: string,
  ) {
    this.prefix = `${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.run(
      Database.use((database) =>
        database.use("rate_limit.get", (db) =>
          sql<{ hits: number; reset_at: Date }>`select hits, reset_at from rate_limits where key = ${this.rowKey(key)} and reset_at > now()`.execute(db),
        ),
      ),
    );
    const row = rows.rows[0];
    return row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (++this.hitsSincePrune >= PRUNE_EVERY) {
      this.hitsSincePrune = 0;
      void this.prune().catch(() => undefined);
    }
    const result = await this.run(
      Database.use((database) =>
        database.use("rate_limit.increment", (db) =>
          sql<{ hits: number; reset_at: Date }>`
            insert into rate_limits as r (key, hits, reset_at)
            values (${this.rowKey(key)}, 1, now() + make_interval(secs => ${this.windowMs / 1000}))
            on conflict (key) do update set
              hits = case when r.reset_at <= now() then 1 else r.hits + 1 end,
              reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
            returning hits, reset_at
          `.execute(db),
        ),
      ),
    );
    const row = result.rows[0]!;
    return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.run(
      Database.use((database) =>
        database.use("rate_limit.decrement", (db) => sql`update rate_limits set hits = greatest(hits - 1, 0) where key = ${this.rowKey(key)}`.execute(db)),
      ),
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.run(Database.use((database) => database.use("rate_limit.reset", (db) => sql`delete from rate_limits where key = ${this.rowKey(key)}`.execute(db))));
  }

  private async prune(): Promise<void> {
    await this.run(Database.use((database) => database.use("rate_limit.prune", (db) => sql`delete from rate_limits where reset_at < now()`.execute(db))));
  }
}
