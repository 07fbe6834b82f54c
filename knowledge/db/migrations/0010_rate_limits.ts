/**
 * Rate-limit counters shared by every instance on one database (app/edges/rate-limits.ts):
 * one row per limited key (e.g. "chat-ip:203.0.113.7"), its hits in the current window and when
 * that window ends. Expired rows are pruned by the instances as they go.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limits (
      key text primary key,
      hits integer not null,
      reset_at timestamptz not null
    )
  `.execute(db);
  await sql`create index rate_limits_reset_at on rate_limits (reset_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists rate_limits`.execute(db);
}
