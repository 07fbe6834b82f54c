/** Migration 0014 drops trace_turns' filter indexes, keeps the conversation and recency ones, and puts them back on the way down. */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { migrationTestDatabase } from "./testing.ts";

const { db, migrator } = await migrationTestDatabase();

const indexes = async () =>
  (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'trace_turns' order by indexname`.execute(db)).rows.map((row) => row.indexname);

it("keeps the primary key, conversation and recency indexes; down restores the filter indexes", async () => {
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect(await indexes()).toEqual(["trace_turns_conversation", "trace_turns_pkey", "trace_turns_started_at"]);
  expect((await migrator.migrateTo("0013_trace_span_groups")).error).toBeUndefined();
  expect(await indexes()).toEqual(["trace_turns_channel", "trace_turns_conversation", "trace_turns_duration", "trace_turns_errors", "trace_turns_pkey", "trace_turns_started_at", "trace_turns_tools"]);
});
