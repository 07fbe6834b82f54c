/**
 * Where the trace store persists spans: a database with the trace tables (migration 0009_traces
 * and those after it): the app's PostgreSQL, the traces' own PGlite thread (thread-database.ts), or
 * the app's PGlite when it lives in memory (layer.ts picks). Writes are batched by the store;
 * retention deletes whole traces by age and by count. Every query runs with tracing suppressed, so
 * storing spans makes no spans of its own.
 */
import { context, type Context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { sql, type Kysely } from "kysely";
import type { DB } from "../../knowledge/db/schema.ts";
import type { TurnSummary } from "./lineage.ts";
import type { StoredSpan } from "./span.ts";
import { packSpanGroups, unpackSpanGroups } from "./span-batch.ts";

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

/** Milliseconds to the microsecond: the clock's float digits beyond it are noise, and bytes to store. */
const micros = (ms: number) => Math.round(ms * 1_000) / 1_000;

/**
 * A span as its group stores it: without the trace id (the group's), empty events or unset
 * fields, times to the microsecond: about a seventh fewer bytes to serialise and deflate than the
 * span as the store keeps it.
 */
type StoredFormSpan = Omit<StoredSpan, "traceId" | "events"> & { events?: StoredSpan["events"] };

const storedForm = (span: StoredSpan): StoredFormSpan => ({
  spanId: span.spanId,
  parentSpanId: span.parentSpanId,
  name: span.name,
  startTimeMs: micros(span.startTimeMs),
  durationMs: micros(span.durationMs),
  status: span.status,
  statusMessage: span.statusMessage,
  attributes: compactAttributes(span.attributes),
  ...(span.events.length === 0 ? {} : { events: span.events.map((event) => ({ ...event, attributes: compactAttributes(event.attributes) })) }),
});

/** The batch's spans grouped by trace, in their stored form. */
const spanGroups = (spans: ReadonlyArray<StoredSpan>): Array<{ trace_id: string; spans: StoredFormSpan[] }> => {
  const groups = new Map<string, StoredFormSpan[]>();
  for (const span of spans) {
    const group = groups.get(span.traceId);
    if (group) group.push(storedForm(span));
    else groups.set(span.traceId, [storedForm(span)]);
  }
  return [...groups].map(([trace_id, spans]) => ({ trace_id, spans }));
};

const turnRow = (turn: TurnSummary) => ({
  trace_id: turn.traceId,
  span_id: turn.spanId,
  conversation_id: turn.conversationId,
  channel: turn.channel,
  started_at: turn.startedAt.toISOString(),
  duration_ms: turn.durationMs,
  error: turn.error,
  error_message: turn.errorMessage ?? null,
  tool_names: [...turn.toolNames],
});

/** Spans per statement on PGlite (whole traces, so a slice may hold more when one trace does). */
export const PGLITE_SLICE_SPANS = 100;
/** Spans per statement on PostgreSQL or PGlite in its own thread (only the parameters' size bounds it). */
const POSTGRES_SLICE_SPANS = 2_000;

/**
 * A batch cut into slices of whole traces of about `max` spans; each turn goes with its trace's
 * slice (its row references the trace's), and turns of traces written earlier with the last slice.
 */
export const slicesOfWholeTraces = (
  spans: ReadonlyArray<StoredSpan>,
  turns: ReadonlyArray<TurnSummary>,
  max: number,
): Array<{ spans: StoredSpan[]; turns: TurnSummary[] }> => {
  const byTrace = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  const slices: Array<{ spans: StoredSpan[]; turns: TurnSummary[]; traces: Set<string> }> = [];
  for (const [traceId, list] of byTrace) {
    let last = slices.at(-1);
    if (last === undefined || (last.spans.length > 0 && last.spans.length + list.length > max)) slices.push((last = { spans: [], turns: [], traces: new Set() }));
    last.spans.push(...list);
    last.traces.add(traceId);
  }
  for (const turn of turns) (slices.find((slice) => slice.traces.has(turn.traceId)) ?? slices.at(-1)!).turns.push(turn);
  return slices.map(({ spans, turns }) => ({ spans, turns }));
};

/** A group's spans as the store keeps them. A `json` column arrives parsed from PostgreSQL's driver and as text from some others. */
const parsed = (traceId: string, spans: unknown): StoredSpan[] =>
  ((typeof spans === "string" ? JSON.parse(spans) : spans) as Array<Partial<Record<keyof StoredSpan, unknown>> & StoredFormSpan>).map((span) => ({
    ...span,
    traceId,
    // Spans carried over from the per-span table (migration 0013) hold nulls where absent fields are left out.
    parentSpanId: span.parentSpanId ?? undefined,
    statusMessage: span.statusMessage ?? undefined,
    attributes: span.attributes ?? {},
    events: span.events ?? [],
  }));

/**
 * Where the sink writes: PostgreSQL; PGlite on the application's thread (the app's own database,
 * when it lives in memory); or PGlite in a thread of its own (thread-database.ts).
 */
export type SinkKind = "postgres" | "pglite" | "pglite-thread";

export class DatabaseTraceSink {
  constructor(
    readonly db: Kysely<DB>,
    private readonly kind: SinkKind,
  ) {}

  /**
   * Stores a batch of spans and the turns they complete. On PGlite on the application's thread, in
   * slices of whole traces with a yield between them: one transaction of a few hundred spans would
   * hold every request waiting behind it for tens of ms.
   */
  async write(spans: ReadonlyArray<StoredSpan>, turns: ReadonlyArray<TurnSummary>): Promise<void> {
    if (spans.length === 0) return;
    const max = this.kind === "pglite" ? PGLITE_SLICE_SPANS : POSTGRES_SLICE_SPANS;
    for (const [i, slice] of slicesOfWholeTraces(spans, turns, max).entries()) {
      if (i > 0 && this.kind === "pglite") await new Promise((resolve) => setImmediate(resolve));
      await this.writeOne(slice.spans, slice.turns);
    }
  }

  /**
   * One slice, one statement: its traces, its span batch, a span group row per trace and its
   * turns (foreign keys are checked at the statement's end), each table's rows as a single JSON
   * parameter (`json_to_recordset`; binding every value, and Kysely compiling a statement for
   * them, cost more than the rows on PGlite).
   * Each round trip to PGlite costs about as much as writing a few traces, so there is one: the
   * statement is its own transaction (PGlite runs with fsync off). On PostgreSQL the commit need not
   * wait for the WAL flush: traces are diagnostics, and a crash may lose the last second of them.
   */
  private async writeOne(spans: ReadonlyArray<StoredSpan>, turns: ReadonlyArray<TurnSummary>): Promise<void> {
    const groups = spanGroups(spans);
    const packed = await packSpanGroups(groups);
    const statement = (db: Kysely<DB>) => sql`
      with written_traces as (
        insert into traces (trace_id, started_at, ended_at, duration_ms, root_name, span_count, error, conversation_id, channel, tool_names)
        select trace_id, started_at, ended_at, duration_ms, root_name, span_count, error, conversation_id, channel, tool_names
        from json_to_recordset(${JSON.stringify(traceRows(spans, turns))}::json) as x(trace_id text, started_at timestamptz, ended_at timestamptz, duration_ms double precision,
          root_name text, span_count integer, error boolean, conversation_id text, channel text, tool_names text[])
        on conflict (trace_id) do update set
          started_at = least(traces.started_at, excluded.started_at),
          ended_at = greatest(traces.ended_at, excluded.ended_at),
          duration_ms = extract(epoch from greatest(traces.ended_at, excluded.ended_at) - least(traces.started_at, excluded.started_at)) * 1000,
          span_count = traces.span_count + excluded.span_count,
          error = traces.error or excluded.error,
          root_name = coalesce(excluded.root_name, traces.root_name),
          conversation_id = coalesce(traces.conversation_id, excluded.conversation_id),
          channel = coalesce(traces.channel, excluded.channel),
          tool_names = array(select distinct unnest(traces.tool_names || excluded.tool_names))
        returning 1
      ),
      -- The write's spans as one compressed batch (migration 0015), and one row per trace pointing at it (spans are read a trace at a time).
      batch as (
        insert into trace_span_batches (spans) values (decode(${packed}, 'base64'))
        returning id
      ),
      written_groups as (
        insert into trace_span_groups (trace_id, batch_id)
        select x.trace_id, batch.id from json_to_recordset(${JSON.stringify(groups.map((group) => ({ trace_id: group.trace_id })))}::json) as x(trace_id text) cross join batch
        returning 1
      )
      insert into trace_turns (trace_id, span_id, conversation_id, channel, started_at, duration_ms, error, error_message, tool_names)
      select trace_id, span_id, conversation_id, channel, started_at, duration_ms, error, error_message, tool_names
      from json_to_recordset(${JSON.stringify(turns.map(turnRow))}::json) as x(trace_id text, span_id text, conversation_id text, channel text,
        started_at timestamptz, duration_ms double precision, error boolean, error_message text, tool_names text[])
      on conflict (trace_id, span_id) do nothing
    `.execute(db);
    return quietly(async () => {
      if (this.kind !== "postgres") return void (await statement(this.db));
      await this.db.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit = off`.execute(trx);
        await statement(trx);
      });
    });
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
      // A batch goes when the last trace written in it has gone.
      if (deleted > 0) await sql`delete from trace_span_batches b where not exists (select 1 from trace_span_groups g where g.batch_id = b.id)`.execute(this.db);
      // PGlite runs no autovacuum: without this the freed rows' space would never be reused.
      if (deleted > 0 && this.kind !== "postgres") await sql`vacuum trace_span_batches, trace_span_groups, trace_turns, traces`.execute(this.db);
      return deleted;
    });
  }

  /** A stored trace's spans by start time, or undefined when it is unknown (or expired). */
  readTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    return quietly(async () => {
      const groups = await this.db
        .selectFrom("trace_span_groups as g")
        .leftJoin("trace_span_batches as b", "b.id", "g.batch_id")
        .select(["g.spans", "g.batch_id", "b.spans as packed"])
        .where("g.trace_id", "=", traceId)
        .execute();
      if (groups.length === 0) return undefined;
      // A span is stored once; should a write ever repeat one, the first copy stands.
      const byId = new Map<string, StoredSpan>();
      for (const group of groups) {
        const spans = group.spans ?? (group.packed ? this.batch(String(group.batch_id), group.packed).get(traceId) : undefined) ?? [];
        for (const span of parsed(traceId, spans)) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
      }
      return [...byId.values()].sort((a, b) => a.startTimeMs - b.startTimeMs);
    });
  }

  /**
   * The last batch read, unpacked (a batch holds a write's traces, a few hundred KB of JSON once
   * inflated): the turns of one conversation were mostly written together.
   */
  private lastBatch: { id: string; groups: Map<string, ReadonlyArray<unknown>> } | undefined;

  private batch(id: string, packed: Uint8Array): Map<string, ReadonlyArray<unknown>> {
    if (this.lastBatch?.id !== id) this.lastBatch = { id, groups: unpackSpanGroups(packed) };
    return this.lastBatch.groups;
  }
}
