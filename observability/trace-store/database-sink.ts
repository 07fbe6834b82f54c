/**
 * Where the trace store persists spans: the app's database (PGlite or PostgreSQL, migration
 * 0009_traces). Writes are batched by the store; retention deletes whole traces by age and by
 * count. Every query runs with tracing suppressed, so storing spans makes no spans of its own.
 */
import { context, type Context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { sql, type Kysely } from "kysely";
import type { DB } from "../../knowledge/db/schema.ts";
import type { TurnSummary } from "./lineage.ts";
import type { StoredSpan } from "./span.ts";

/** Longest string attribute kept in the database; the prompt and tool list repeat in every model call, so they get less. */
export const ATTRIBUTE_LIMIT = 8_000;
const REPEATED_ATTRIBUTE_LIMIT = 1_000;
const REPEATED_ATTRIBUTES = new Set(["gen_ai.system_instructions", "gen_ai.tool.definitions"]);

const truncate = (value: string, limit: number) => (value.length <= limit ? value : `${value.slice(0, limit)}… [truncated, ${value.length} characters]`);

export const compactAttributes = (attributes: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes))
    out[key] = typeof value === "string" ? truncate(value, REPEATED_ATTRIBUTES.has(key) ? REPEATED_ATTRIBUTE_LIMIT : ATTRIBUTE_LIMIT) : value;
  return out;
};

export interface Retention {
  /** Traces older than this are deleted. */
  readonly maxAgeMs: number;
  /** At most this many traces are kept (the newest). */
  readonly maxTraces: number;
}

const suppressed = (): Context => suppressTracing(context.active());
/** Runs a query with tracing suppressed (the pg instrumentation would trace the store's own writes). */
export const quietly = <A>(run: () => Promise<A>): Promise<A> => context.with(suppressed(), run);

interface TraceRow {
  trace_id: string;
  started_at: Date;
  ended_at: Date;
  duration_ms: number;
  root_name: string | null;
  span_count: number;
  error: boolean;
  conversation_id: string | null;
  channel: string | null;
  tool_names: string[];
}

const traceRows = (spans: ReadonlyArray<StoredSpan>, turns: ReadonlyArray<TurnSummary>): TraceRow[] => {
  const rows = new Map<string, TraceRow>();
  for (const span of spans) {
    const end = span.startTimeMs + span.durationMs;
    let row = rows.get(span.traceId);
    if (!row) {
      row = { trace_id: span.traceId, started_at: new Date(span.startTimeMs), ended_at: new Date(end), duration_ms: span.durationMs, root_name: null, span_count: 0, error: false, conversation_id: null, channel: null, tool_names: [] };
      rows.set(span.traceId, row);
    }
    if (span.startTimeMs < row.started_at.getTime()) row.started_at = new Date(span.startTimeMs);
    if (end > row.ended_at.getTime()) row.ended_at = new Date(end);
    row.duration_ms = row.ended_at.getTime() - row.started_at.getTime();
    row.span_count += 1;
    if (span.status === "error") row.error = true;
    if (span.parentSpanId === undefined) row.root_name = span.name;
    if (span.name.startsWith("execute_tool ")) {
      const tool = typeof span.attributes["gen_ai.tool.name"] === "string" ? (span.attributes["gen_ai.tool.name"] as string) : span.name.slice(13);
      if (!row.tool_names.includes(tool)) row.tool_names.push(tool);
    }
  }
  for (const turn of turns) {
    const row = rows.get(turn.traceId);
    if (row && row.conversation_id === null) {
      row.conversation_id = turn.conversationId;
      row.channel = turn.channel;
    }
  }
  return [...rows.values()];
};

const CHUNK = 400;
const chunks = <A>(items: ReadonlyArray<A>): A[][] => {
  const out: A[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

export class DatabaseTraceSink {
  constructor(
    readonly db: Kysely<DB>,
    private readonly kind: "postgres" | "pglite",
  ) {}

  /** Stores a batch of spans and the turns they complete (one transaction). */
  write(spans: ReadonlyArray<StoredSpan>, turns: ReadonlyArray<TurnSummary>): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    return quietly(() =>
      this.db.transaction().execute(async (trx) => {
        for (const rows of chunks(traceRows(spans, turns)))
          await trx
            .insertInto("traces")
            .values(rows)
            .onConflict((oc) =>
              oc.column("trace_id").doUpdateSet({
                started_at: sql`least(traces.started_at, excluded.started_at)`,
                ended_at: sql`greatest(traces.ended_at, excluded.ended_at)`,
                duration_ms: sql`extract(epoch from greatest(traces.ended_at, excluded.ended_at) - least(traces.started_at, excluded.started_at)) * 1000`,
                span_count: sql`traces.span_count + excluded.span_count`,
                error: sql`traces.error or excluded.error`,
                root_name: sql`coalesce(excluded.root_name, traces.root_name)`,
                conversation_id: sql`coalesce(traces.conversation_id, excluded.conversation_id)`,
                channel: sql`coalesce(traces.channel, excluded.channel)`,
                tool_names: sql`array(select distinct unnest(traces.tool_names || excluded.tool_names))`,
              }),
            )
            .execute();
        for (const rows of chunks(spans))
          await trx
            .insertInto("trace_spans")
            .values(
              rows.map((span) => ({
                trace_id: span.traceId,
                span_id: span.spanId,
                parent_span_id: span.parentSpanId ?? null,
                name: span.name,
                start_ms: span.startTimeMs,
                duration_ms: span.durationMs,
                status: span.status,
                status_message: span.statusMessage ?? null,
                attributes: JSON.stringify(compactAttributes(span.attributes)),
                events: JSON.stringify(span.events.map((event) => ({ name: event.name, attributes: compactAttributes(event.attributes) }))),
              })),
            )
            .onConflict((oc) => oc.columns(["trace_id", "span_id"]).doNothing())
            .execute();
        if (turns.length > 0)
          await trx
            .insertInto("trace_turns")
            .values(
              turns.map((turn) => ({
                trace_id: turn.traceId,
                span_id: turn.spanId,
                conversation_id: turn.conversationId,
                channel: turn.channel,
                started_at: turn.startedAt,
                duration_ms: turn.durationMs,
                error: turn.error,
                error_message: turn.errorMessage ?? null,
                tool_names: [...turn.toolNames],
              })),
            )
            .onConflict((oc) => oc.columns(["trace_id", "span_id"]).doNothing())
            .execute();
      }),
    );
  }

  /** Deletes traces beyond the retention (their spans and turns go with them); returns how many. */
  prune(retention: Retention, now = Date.now()): Promise<number> {
    return quietly(async () => {
      const old = await this.db.deleteFrom("traces").where("started_at", "<", new Date(now - retention.maxAgeMs)).executeTakeFirst();
      const beyond = await sql`
        delete from traces where trace_id in (
          select trace_id from traces order by started_at desc offset ${Math.max(0, Math.floor(retention.maxTraces))}
        )`.execute(this.db);
      const deleted = Number(old.numDeletedRows) + Number(beyond.numAffectedRows ?? 0n);
      // PGlite runs no autovacuum: without this the freed rows' space would never be reused.
      if (deleted > 0 && this.kind === "pglite") await sql`vacuum trace_spans, trace_turns, traces`.execute(this.db);
      return deleted;
    });
  }

  /** A stored trace's spans by start time, or undefined when it is unknown (or expired). */
  readTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    return quietly(async () => {
      const rows = await this.db.selectFrom("trace_spans").selectAll().where("trace_id", "=", traceId).orderBy("start_ms").execute();
      if (rows.length === 0) return undefined;
      return rows.map((row) => ({
        traceId: row.trace_id,
        spanId: row.span_id,
        parentSpanId: row.parent_span_id ?? undefined,
        name: row.name,
        startTimeMs: row.start_ms,
        durationMs: row.duration_ms,
        status: row.status,
        statusMessage: row.status_message ?? undefined,
        attributes: row.attributes,
        events: row.events,
      }));
    });
  }
}
