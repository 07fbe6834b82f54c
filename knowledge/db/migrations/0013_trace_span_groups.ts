/**
 * Trace spans stored as groups: one row per trace and write (its spans as one JSON array) instead of
 * one row per span. Spans are only ever read a whole trace at a time (the inspector's waterfall,
 * GET /v1/traces/:id), and searches use `traces` and `trace_turns`; on the embedded PGlite, which
 * runs on the application's thread, a row, its jsonb parsing and its primary-key entry per span
 * were most of what persisting traces cost a turn. Existing spans are carried over.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table trace_span_groups (
      trace_id text not null references traces (trace_id) on delete cascade,
      spans json not null
    )
  `.execute(db);
  await sql`create index trace_span_groups_trace on trace_span_groups (trace_id)`.execute(db);
  await sql`
    insert into trace_span_groups (trace_id, spans)
    select trace_id, json_agg(json_build_object(
      'traceId', trace_id, 'spanId', span_id, 'parentSpanId', parent_span_id, 'name', name, 'startTimeMs', start_ms,
      'durationMs', duration_ms, 'status', status, 'statusMessage', status_message, 'attributes', attributes, 'events', events
    ) order by start_ms)
    from trace_spans group by trace_id
  `.execute(db);
  await sql`drop table trace_spans`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
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
    insert into trace_spans
    select g.trace_id, s->>'spanId', s->>'parentSpanId', s->>'name', (s->>'startTimeMs')::double precision, (s->>'durationMs')::double precision,
      s->>'status', s->>'statusMessage', coalesce((s->'attributes')::jsonb, '{}'), coalesce((s->'events')::jsonb, '[]')
    from trace_span_groups g, json_array_elements(g.spans) s
    on conflict do nothing
  `.execute(db);
  await sql`drop table trace_span_groups`.execute(db);
}
