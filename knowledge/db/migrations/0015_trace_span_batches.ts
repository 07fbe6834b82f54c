/**
 * Stored spans written as one compressed batch per write instead of one JSON group per trace.
 * A write's span groups ([{ trace_id, spans }], the form 0013 stores per row) are deflated together
 * (raw deflate): a batch of about 150 turns shrinks to a twelfth, and the database stores a tenth of
 * the bytes per turn it parsed, compressed and logged before (npm run bench:trace-store).
 * trace_span_groups keeps one row per trace and write, now pointing at its batch; rows written
 * before keep their JSON. Down puts every batched trace's spans back into its rows as JSON.
 */
import { sql, type Kysely } from "kysely";
import { inflateRawSync } from "node:zlib";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table trace_span_batches (id bigserial primary key, spans bytea not null)`.execute(db);
  // Already compressed: stored as it is, out of line, without PostgreSQL trying to compress it again.
  await sql`alter table trace_span_batches alter column spans set storage external`.execute(db);
  await sql`alter table trace_span_groups add column batch_id bigint references trace_span_batches (id)`.execute(db);
  await sql`alter table trace_span_groups alter column spans drop not null`.execute(db);
  await sql`alter table trace_span_groups add constraint trace_span_groups_spans_or_batch check ((spans is null) <> (batch_id is null))`.execute(db);
  await sql`create index trace_span_groups_batch on trace_span_groups (batch_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const batches = await sql<{ id: string; spans: Uint8Array }>`select id::text as id, spans from trace_span_batches`.execute(db);
  for (const batch of batches.rows) {
    const groups = JSON.parse(inflateRawSync(batch.spans).toString("utf8")) as Array<{ trace_id: string; spans: unknown[] }>;
    for (const group of groups)
      await sql`update trace_span_groups set spans = ${JSON.stringify(group.spans)}::json, batch_id = null where batch_id = ${batch.id}::bigint and trace_id = ${group.trace_id}`.execute(db);
  }
  await sql`delete from trace_span_groups where spans is null`.execute(db);
  await sql`alter table trace_span_groups drop constraint trace_span_groups_spans_or_batch`.execute(db);
  await sql`alter table trace_span_groups alter column spans set not null`.execute(db);
  await sql`alter table trace_span_groups drop column batch_id`.execute(db);
  await sql`drop table trace_span_batches`.execute(db);
}
