/**
 * The WhatsApp inbox relays its reply jobs (issue 12, acknowledgement latency): the webhook stores a
 * message with one INSERT, and a relay on the worker side enqueues the reply jobs of stored messages
 * in batches, in one transaction with marking them. `job_enqueued_at` is null until then; the partial
 * index keeps the relay's scan to the messages still waiting for a job.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table channel_inbound_messages add column job_enqueued_at timestamptz`.execute(db);
  // Messages stored before this migration had their job enqueued with them.
  await sql`update channel_inbound_messages set job_enqueued_at = received_at`.execute(db);
  await sql`create index channel_inbound_messages_unrelayed on channel_inbound_messages (seq) where job_enqueued_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists channel_inbound_messages_unrelayed`.execute(db);
  await sql`alter table channel_inbound_messages drop column if exists job_enqueued_at`.execute(db);
}
