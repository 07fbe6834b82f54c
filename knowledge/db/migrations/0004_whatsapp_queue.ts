/**
 * Durable WhatsApp messages (issue 12): an inbound message is stored with everything needed to answer
 * it before the webhook answers Twilio, and its reply goes through an outbox.
 *
 * - channel_inbound_messages gains the message itself (`payload`), a per-table sequence (`seq`, the
 *   order a conversation's messages are answered in), the inline window the webhook may still answer
 *   in (`inline_until`), the number of turns started for it (`attempts`, `turn_started_at`) and the
 *   last error. Statuses: queued -> processing (turn running) -> replied (reply stored, not yet
 *   delivered) -> answered, or failed (nothing more can be done).
 * - channel_outbox: one row per WhatsApp message a REST reply is made of. A part is "sending" before
 *   the Messages API is called and "sent" with Twilio's SID once it answered, so a crash in between is
 *   resolved against Twilio's message log instead of sending twice.
 * The job queue (pg-boss) keeps its own tables in the `pgboss` schema; it installs them itself.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table channel_inbound_messages drop constraint if exists channel_inbound_messages_status_check`.execute(db);
  // Rows of the in-process design that never finished have no payload to answer from.
  await sql`update channel_inbound_messages set status = 'failed' where status = 'processing'`.execute(db);
  await sql`
    alter table channel_inbound_messages
      add column seq bigserial,
      add column payload jsonb,
      add column inline_until timestamptz,
      add column attempts integer not null default 0,
      add column turn_started_at timestamptz,
      add column error text,
      alter column status set default 'queued',
      add constraint channel_inbound_messages_status_check check (status in ('queued', 'processing', 'replied', 'answered', 'failed'))
  `.execute(db);
  await sql`
    create index channel_inbound_messages_pending on channel_inbound_messages (conversation_id, seq)
    where status in ('queued', 'processing', 'replied')
  `.execute(db);

  await sql`
    create table channel_outbox (
      channel text not null,
      inbound_external_id text not null,
      part_index integer not null,
      conversation_id text not null,
      recipient text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
      external_id text,
      attempts integer not null default 0,
      error text,
      sending_at timestamptz,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (channel, inbound_external_id, part_index)
    )
  `.execute(db);
  await sql`create unique index channel_outbox_external_id on channel_outbox (channel, external_id) where external_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists channel_outbox`.execute(db);
  await sql`drop index if exists channel_inbound_messages_pending`.execute(db);
  await sql`alter table channel_inbound_messages drop constraint if exists channel_inbound_messages_status_check`.execute(db);
  await sql`update channel_inbound_messages set status = 'processing' where status in ('queued', 'replied', 'failed')`.execute(db);
  await sql`
    alter table channel_inbound_messages
      drop column seq, drop column payload, drop column inline_until, drop column attempts,
      drop column turn_started_at, drop column error,
      alter column status set default 'processing',
      add constraint channel_inbound_messages_status_check check (status in ('processing', 'answered'))
  `.execute(db);
}
