/** Migration 0015 stores a write's spans as one compressed batch; JSON groups written before still read, and down turns batches back into JSON groups. */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { DatabaseTraceSink } from "../../../observability/trace-store/database-sink.ts";
import type { StoredSpan } from "../../../observability/trace-store/span.ts";
import { migrationTestDatabase } from "./testing.ts";

const { db, migrator } = await migrationTestDatabase();

const span = (traceId: string, spanId: string, name: string, parentSpanId?: string): StoredSpan => ({
  traceId,
  spanId,
  parentSpanId,
  name,
  startTimeMs: 1_000 + Number.parseInt(spanId, 16),
  durationMs: 3,
  status: "unset",
  statusMessage: undefined,
  attributes: { "db.system.name": "postgresql" },
  events: [],
});

it("reads JSON groups and batches side by side, and keeps every span across 0015 down and up", async () => {
  expect((await migrator.migrateTo("0014_trace_turn_indexes")).error).toBeUndefined();
  const before = "b".repeat(32);
  await sql`insert into traces (trace_id, started_at, ended_at, duration_ms, span_count) values (${before}, now(), now(), 3, 1)`.execute(db);
  await sql`insert into trace_span_groups (trace_id, spans) values (${before}, ${JSON.stringify([{ spanId: "0000000000000001", name: "chat.turn", startTimeMs: 1001, durationMs: 3, status: "unset", attributes: {} }])}::json)`.execute(db);

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const sink = new DatabaseTraceSink(db, "pglite");
  const [a, b] = ["a".repeat(32), "c".repeat(32)];
  const written = [span(a, "0000000000000002", "chat.turn"), span(a, "0000000000000003", "SELECT messages", "0000000000000002"), span(b, "0000000000000004", "chat.turn")];
  await sink.write(written, []);
  const batches = await sql<{ n: number; bytes: number }>`select count(*)::int as n, sum(octet_length(spans))::int as bytes from trace_span_batches`.execute(db);
  expect(batches.rows[0]!.n).toBe(1);
  expect((await sql<{ spans: unknown }>`select spans from trace_span_groups where trace_id = ${a}`.execute(db)).rows).toEqual([{ spans: null }]);
  expect((await sink.readTrace(a))?.map((s) => [s.spanId, s.parentSpanId, s.name])).toEqual([
    ["0000000000000002", undefined, "chat.turn"],
    ["0000000000000003", "0000000000000002", "SELECT messages"],
  ]);
  expect((await sink.readTrace(b))?.map((s) => s.name)).toEqual(["chat.turn"]);
  expect((await sink.readTrace(before))?.map((s) => s.name)).toEqual(["chat.turn"]);

  expect((await migrator.migrateTo("0014_trace_turn_indexes")).error).toBeUndefined();
  const groups = await sql<{ trace_id: string; spans: Array<{ spanId: string }> }>`select trace_id, spans from trace_span_groups order by trace_id`.execute(db);
  expect(groups.rows.map((g) => [g.trace_id, (typeof g.spans === "string" ? JSON.parse(g.spans) : g.spans).map((s: { spanId: string }) => s.spanId)])).toEqual([
    [a, ["0000000000000002", "0000000000000003"]],
    [before, ["0000000000000001"]],
    [b, ["0000000000000004"]],
  ]);

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect((await new DatabaseTraceSink(db, "pglite").readTrace(a))?.map((s) => s.name)).toEqual(["chat.turn", "SELECT messages"]);
});

it("a span group holds either JSON or a batch, never both or neither", async () => {
  const traceId = "d".repeat(32);
  await sql`insert into traces (trace_id, started_at, ended_at, duration_ms, span_count) values (${traceId}, now(), now(), 3, 1)`.execute(db);
  await expect(sql`insert into trace_span_groups (trace_id) values (${traceId})`.execute(db)).rejects.toThrow(/trace_span_groups_spans_or_batch/);
});
