/**
 * The outbox of REST replies: each WhatsApp message a reply is made of is recorded before it is sent.
 * A part is "pending", then "sending" just before the Messages API is called, then "sent" with the
 * SID Twilio answered (or "failed" when Twilio refused it for good). After a crash a part with a SID
 * is never sent again; a part left "sending" may or may not have been accepted, so the sender first
 * looks for it in Twilio's message log (see workers/whatsapp-reply.ts).
 */
import { Context, Effect, Layer } from "effect";
import { sql, type Selectable } from "kysely";
import { Database, type DatabaseError } from "../../../knowledge/db/database.ts";
import type { ChannelOutboxTable } from "../../../knowledge/db/schema.ts";
import { CHANNEL } from "../channel.ts";

export interface OutboxPart {
  readonly inboundExternalId: string;
  readonly partIndex: number;
  readonly conversationId: string;
  /** e.g. "whatsapp:+5215512345678" */
  readonly recipient: string;
  readonly body: string;
  readonly status: "pending" | "sending" | "sent" | "failed";
  readonly externalId: string | null;
  readonly attempts: number;
  readonly sendingAt: Date | null;
}

export interface WhatsAppOutboxShape {
  /** Records the reply's parts (once; a second call keeps the first record) and answers them in order. */
  readonly prepare: (
    inbound: { readonly externalId: string; readonly conversationId: string; readonly recipient: string },
    parts: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyArray<OutboxPart>, DatabaseError>;
  /**
   * The part is about to be sent: answers it as marked (with the database's time), or undefined when
   * it changed since it was read (another attempt is at it: this one must not send).
   */
  readonly markSending: (part: OutboxPart) => Effect.Effect<OutboxPart | undefined, DatabaseError>;
  readonly markSent: (part: OutboxPart, sid: string) => Effect.Effect<void, DatabaseError>;
  /** Twilio certainly did not accept it (e.g. 429): back to pending. Answers the part as it now is. */
  readonly markPending: (part: OutboxPart, error: string) => Effect.Effect<OutboxPart | undefined, DatabaseError>;
  readonly markFailed: (part: OutboxPart, error: string) => Effect.Effect<void, DatabaseError>;
  /** Whether a provider message id is already recorded for some part. */
  readonly isRecorded: (sid: string) => Effect.Effect<boolean, DatabaseError>;
}

const fromRow = (row: Selectable<ChannelOutboxTable>): OutboxPart => ({
  inboundExternalId: row.inbound_external_id,
  partIndex: row.part_index,
  conversationId: row.conversation_id,
  recipient: row.recipient,
  body: row.body,
  status: row.status,
  externalId: row.external_id,
  attempts: row.attempts,
  sendingAt: row.sending_at ? new Date(row.sending_at) : null,
});

export class WhatsAppOutbox extends Context.Service<WhatsAppOutbox, WhatsAppOutboxShape>()("WhatsAppOutbox") {
  static readonly layer = Layer.effect(
    WhatsAppOutbox,
    Effect.gen(function* () {
      const { use } = yield* Database;
      const thePart = (part: OutboxPart) => sql`channel = ${CHANNEL} and inbound_external_id = ${part.inboundExternalId} and part_index = ${part.partIndex}`;
      return WhatsAppOutbox.of({
        prepare: (inbound, parts) =>
          use("whatsapp_outbox.prepare", async (db) => {
            if (parts.length > 0) {
              await db
                .insertInto("channel_outbox")
                .values(
                  parts.map((body, partIndex) => ({
                    channel: CHANNEL,
                    inbound_external_id: inbound.externalId,
                    part_index: partIndex,
                    conversation_id: inbound.conversationId,
                    recipient: inbound.recipient,
                    body,
                  })),
                )
                .onConflict((oc) => oc.columns(["channel", "inbound_external_id", "part_index"]).doNothing())
                .execute();
            }
            return db
              .selectFrom("channel_outbox")
              .selectAll()
              .where("channel", "=", CHANNEL)
              .where("inbound_external_id", "=", inbound.externalId)
              .orderBy("part_index")
              .execute();
          }).pipe(Effect.map((rows) => rows.map(fromRow))),
        markSending: (part) =>
          use("whatsapp_outbox.sending", (db) =>
            sql<Selectable<ChannelOutboxTable>>`
              update channel_outbox set status = 'sending', sending_at = now(), attempts = attempts + 1
              where ${thePart(part)} and status = ${part.status} and attempts = ${part.attempts} and status in ('pending', 'sending')
              returning *
            `.execute(db),
          ).pipe(Effect.map(({ rows: [row] }) => (row ? fromRow(row) : undefined))),
        markSent: (part, sid) =>
          use("whatsapp_outbox.sent", (db) =>
            sql`
              update channel_outbox set status = 'sent', external_id = ${sid}, sent_at = now(), error = null
              where ${thePart(part)} and status <> 'sent'
            `.execute(db),
          ).pipe(Effect.asVoid),
        markPending: (part, error) =>
          use("whatsapp_outbox.pending", (db) =>
            sql<Selectable<ChannelOutboxTable>>`
              update channel_outbox set status = 'pending', error = ${error.slice(0, 2_000)}
              where ${thePart(part)} and status = 'sending' and attempts = ${part.attempts}
              returning *
            `.execute(db),
          ).pipe(Effect.map(({ rows: [row] }) => (row ? fromRow(row) : undefined))),
        markFailed: (part, error) =>
          use("whatsapp_outbox.failed", (db) =>
            sql`update channel_outbox set status = 'failed', error = ${error.slice(0, 2_000)} where ${thePart(part)} and status <> 'sent'`.execute(db),
          ).pipe(Effect.asVoid),
        isRecorded: (sid) =>
          use("whatsapp_outbox.is_recorded", (db) =>
            db.selectFrom("channel_outbox").select("part_index").where("channel", "=", CHANNEL).where("external_id", "=", sid).executeTakeFirst(),
          ).pipe(Effect.map((row) => row !== undefined)),
      });
    }),
  );
}
