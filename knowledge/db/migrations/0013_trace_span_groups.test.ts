/** Migration 0013 carries stored spans over from one row per span to one group per trace, and back. */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { DatabaseTraceSink } from "../../../observability/trace-store/database-sink.ts";
import { migrationTestDatabase } from "./testing.ts";

const { db, migrator } = await migrationTestDatabase();

it("keeps every stored span, its parent, status, attributes and events, across 0013 up and down", async () => {
  expect((await migrator.migrateTo("0012_fines_images")).error).toBeUndefined();
  const traceId = "a".repeat(32);
  await sql`insert into traces (trace_id, started_at, ended_at, duration_ms, span_count) values (${traceId}, now(), now(), 12, 2)`.execute(db);
  await sql`
    insert into trace_spans (trace_id, span_id, parent_span_id, name, start_ms, duration_ms, status, status_message, attributes, events) values
      (${traceId}, '00000000000000b2', '00000000000000b1', 'db messages.append', 1002, 4, 'error', 'connection lost', '{"db.system.name":"postgresql"}', '[]'),
      (${traceId}, '00000000000000b1', null, 'chat.turn', 1000, 12, 'ok', null, '{"chat.channel":"http"}', '[{"name":"exception","attributes":{"exception.type":"Error"}}]')
  `.execute(db);

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const sink = new DatabaseTraceSink(db, "pglite");
  const spans = await sink.readTrace(traceId);
  expect(spans).toEqual([
    { traceId, spanId: "00000000000000b1", parentSpanId: undefined, name: "chat.turn", startTimeMs: 1000, durationMs: 12, status: "ok", statusMessage: undefined, attributes: { "chat.channel": "http" }, events: [{ name: "exception", attributes: { "exception.type": "Error" } }] },
    { traceId, spanId: "00000000000000b2", parentSpanId: "00000000000000b1", name: "db messages.append", startTimeMs: 1002, durationMs: 4, status: "error", statusMessage: "connection lost", attributes: { "db.system.name": "postgresql" }, events: [] },
  ]);

  expect((await migrator.migrateTo("0012_fines_images")).error).toBeUndefined();
  const rows = await sql<{ span_id: string; parent_span_id: string | null; status_message: string | null }>`select span_id, parent_span_id, status_message from trace_spans order by start_ms`.execute(db);
  expect(rows.rows).toEqual([
    { span_id: "00000000000000b1", parent_span_id: null, status_message: null },
    { span_id: "00000000000000b2", parent_span_id: "00000000000000b1", status_message: "connection lost" },
  ]);
});
