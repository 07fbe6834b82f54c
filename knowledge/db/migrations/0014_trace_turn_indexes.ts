/**
 * Fewer indexes on trace_turns: every stored turn updated seven of them, and on the embedded PGlite
 * that runs on the application's thread, in every turn's time. The ones kept serve what the
 * inspector does most: a conversation's turns (conversation_id, started_at) and the newest turns
 * first (started_at desc), which the channel, tool, error and latency filters then scan. With the
 * store's retention (TRACE_RETENTION_MAX_TRACES, 10,000 by default) that scan reads at most that many
 * rows; a deployment that keeps far more traces on PostgreSQL can add the filter's index back.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of ["trace_turns_channel", "trace_turns_duration", "trace_turns_errors", "trace_turns_tools"]) await sql`drop index if exists ${sql.id(index)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index trace_turns_channel on trace_turns (channel, started_at desc)`.execute(db);
  await sql`create index trace_turns_duration on trace_turns (duration_ms desc)`.execute(db);
  await sql`create index trace_turns_errors on trace_turns (started_at desc) where error`.execute(db);
  await sql`create index trace_turns_tools on trace_turns using gin (tool_names)`.execute(db);
}
