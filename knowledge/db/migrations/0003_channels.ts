/** Channel bookkeeping: inbound messages by their provider id (idempotency) and outbound delivery statuses. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("channel_inbound_messages")
    .addColumn("channel", "text", (c) => c.notNull())
    /** The provider's id of the message, e.g. Twilio's MessageSid. */
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("processing").check(sql`status in ('processing', 'answered')`))
    /** The reply as sent, one entry per outbound message, so a retried webhook gets the same answer. */
    .addColumn("reply_parts", "jsonb")
    .addColumn("delivery", "text", (c) => c.check(sql`delivery in ('inline', 'rest')`))
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("answered_at", "timestamptz")
    .addPrimaryKeyConstraint("channel_inbound_messages_pk", ["channel", "external_id"])
    .execute();
  await db.schema
    .createIndex("channel_inbound_messages_conversation")
    .on("channel_inbound_messages")
    .columns(["conversation_id", "received_at"])
    .execute();

  await db.schema
    .createTable("channel_outbound_messages")
    .addColumn("channel", "text", (c) => c.notNull())
    /** The provider's id of the sent message, e.g. Twilio's SM/MM sid. */
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("inbound_external_id", "text")
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("part_index", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("error_code", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("channel_outbound_messages_pk", ["channel", "external_id"])
    .execute();
  await db.schema
    .createIndex("channel_outbound_messages_inbound")
    .on("channel_outbound_messages")
    .columns(["channel", "inbound_external_id"])
    .execute();

  /** Every status callback as received; callbacks can arrive out of order, so the log keeps them all. */
  await db.schema
    .createTable("channel_delivery_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("error_code", "text")
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("channel_delivery_events_message")
    .on("channel_delivery_events")
    .columns(["channel", "external_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["channel_delivery_events", "channel_outbound_messages", "channel_inbound_messages"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
