/**
 * Trace storage for the embedded mode (observability/trace-store): spans persisted in the app's
 * database with bounded retention, searchable per turn.
 * - traces: one row per trace (the unit of retention): when it started and ended, whether any span
 *   failed, the tools it called, and the conversation and channel of its first turn.
 * - trace_spans: every span, its attributes and events as JSON (long values truncated on write).
 * - trace_turns: one row per `chat.turn` span (a trace may hold several, e.g. an eval conversation
 *   played in one trace): conversation, channel, latency, error and the tools called under it.
 * Spans and turns go with their trace (on delete cascade).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table traces (
      trace_id text primary key,
      started_at timestamptz not null,
      ended_at timestamptz not null,
      duration_ms double precision not null default 0,
      root_name text,
      span_count integer not null default 0,
      error boolean not null default false,
      conversation_id text,
      channel text,
      tool_names text[] not null default '{}'
    )
  `.execute(db);
  await sql`create index traces_started_at on traces (started_at desc)`.execute(db);
  await sql`
    create table trace_spans (
      trace_id text not null references traces (trace_id) on delete cascade,
      span_id text not null,
      parent_span_id text,
      name text not null,
      start_ms double precision not null,
      duration_ms double precision not null,
      status text not null,
      status_message text,
      attributes jsonb not null default '{}',
      events jsonb not null default '[]',
      primary key (trace_id, span_id)
    )
  `.execute(db);
  await sql`
    create table trace_turns (
      trace_id text not null references traces (trace_id) on delete cascade,
      span_id text not null,
      conversation_id text not null,
      channel text not null,
      started_at timestamptz not null,
      duration_ms double precision not null,
      error boolean not null default false,
      error_message text,
      tool_names text[] not null default '{}',
      primary key (trace_id, span_id)
    )
  `.execute(db);
  await sql`create index trace_turns_conversation on trace_turns (conversation_id, started_at)`.execute(db);
  await sql`create index trace_turns_channel on trace_turns (channel, started_at desc)`.execute(db);
  await sql`create index trace_turns_started_at on trace_turns (started_at desc)`.execute(db);
  await sql`create index trace_turns_duration on trace_turns (duration_ms desc)`.execute(db);
  await sql`create index trace_turns_errors on trace_turns (started_at desc) where error`.execute(db);
  await sql`create index trace_turns_tools on trace_turns using gin (tool_names)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists trace_turns`.execute(db);
  await sql`drop table if exists trace_spans`.execute(db);
  await sql`drop table if exists traces`.execute(db);
}
