/**
 * What channels remember about provider messages: each inbound message by the provider's id (read
 * here; written by the WhatsApp inbox, delivery/inbox.ts) and each outbound message's delivery status.
 */
import { Context, Effect, Layer } from "effect";
import type { Expression, Selectable, SqlBool } from "kysely";
import { Database, type DatabaseError } from "../../../knowledge/db/database.ts";
import type { ChannelInboundMessagesTable, ChannelOutboundMessagesTable, InboundStatus } from "../../../knowledge/db/schema.ts";
import { laterStatus } from "./delivery-status.ts";

export interface InboundRecord {
  readonly channel: string;
  readonly externalId: string;
  readonly conversationId: string;
  readonly status: InboundStatus;
  readonly replyParts: ReadonlyArray<string> | null;
  readonly delivery: "inline" | "rest" | null;
  readonly receivedAt: Date;
  readonly answeredAt: Date | null;
}

export interface OutboundRecord {
  readonly channel: string;
  readonly externalId: string;
  readonly inboundExternalId: string | null;
  readonly conversationId: string;
  readonly partIndex: number;
  readonly status: string;
  readonly errorCode: string | null;
}

export interface DeliveryEvent {
  readonly status: string;
  readonly errorCode: string | null;
  readonly receivedAt: Date;
}

export interface ChannelEventStoreShape {
  readonly getInbound: (channel: string, externalId: string) => Effect.Effect<InboundRecord | undefined, DatabaseError>;
  readonly recordOutbound: (input: {
    readonly channel: string;
    readonly externalId: string;
    readonly inboundExternalId: string | null;
    readonly conversationId: string;
    readonly partIndex: number;
    readonly status: string;
  }) => Effect.Effect<void, DatabaseError>;
  /** Logs one status callback and advances the message's status; returns whether the message is known. */
  readonly recordDeliveryStatus: (input: {
    readonly channel: string;
    readonly externalId: string;
    readonly status: string;
    readonly errorCode: string | null;
  }) => Effect.Effect<{ readonly known: boolean }, DatabaseError>;
  readonly outboundFor: (channel: string, inboundExternalId: string) => Effect.Effect<ReadonlyArray<OutboundRecord>, DatabaseError>;
  readonly deliveryEvents: (channel: string, externalId: string) => Effect.Effect<ReadonlyArray<DeliveryEvent>, DatabaseError>;
}

/** Filter on a message's identity: its channel and the provider's id for it. */
const sameMessage = (channel: string, externalId: string) => (eb: { and: (filter: { channel: string; external_id: string }) => Expression<SqlBool> }) =>
  eb.and({ channel, external_id: externalId });

export class ChannelEventStore extends Context.Service<ChannelEventStore, ChannelEventStoreShape>()("ChannelEventStore") {
  static readonly layer = Layer.effect(
    ChannelEventStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return ChannelEventStore.of({
        getInbound: (channel, externalId) =>
          use("channel_inbound.get", (db) =>
            db
              .selectFrom("channel_inbound_messages")
              .selectAll()
              .where(sameMessage(channel, externalId))
              .executeTakeFirst(),
          ).pipe(Effect.map((row) => (row ? inboundFromRow(row) : undefined))),
        recordOutbound: (input) =>
          use("channel_outbound.record", (db) =>
            db.transaction().execute(async (trx) => {
              // A status callback may have beaten the provider's API response here.
              const events = await trx
                .selectFrom("channel_delivery_events")
                .select("status")
                .where(sameMessage(input.channel, input.externalId))
                .orderBy("id")
                .execute();
              const status = events.reduce<string>((current, event) => laterStatus(current, event.status), input.status);
              await trx
                .insertInto("channel_outbound_messages")
                .values({
                  channel: input.channel,
                  external_id: input.externalId,
                  inbound_external_id: input.inboundExternalId,
                  conversation_id: input.conversationId,
                  part_index: input.partIndex,
                  status,
                })
                .onConflict((oc) => oc.columns(["channel", "external_id"]).doNothing())
                .execute();
            }),
          ),
        recordDeliveryStatus: ({ channel, externalId, status, errorCode }) =>
          use("channel_outbound.status", (db) =>
            db.transaction().execute(async (trx) => {
              await trx.insertInto("channel_delivery_events").values({ channel, external_id: externalId, status, error_code: errorCode }).execute();
              const current = await trx
                .selectFrom("channel_outbound_messages")
                .select(["status", "error_code"])
                .where(sameMessage(channel, externalId))
                .forUpdate()
                .executeTakeFirst();
              if (!current) return { known: false };
              if (laterStatus(current.status, status) === status) {
                await trx
                  .updateTable("channel_outbound_messages")
                  .set({ status, error_code: errorCode ?? current.error_code, updated_at: new Date() })
                  .where(sameMessage(channel, externalId))
                  .execute();
              }
              return { known: true };
            }),
          ),
        outboundFor: (channel, inboundExternalId) =>
          use("channel_outbound.for_inbound", (db) =>
            db
              .selectFrom("channel_outbound_messages")
              .selectAll()
              .where("channel", "=", channel)
              .where("inbound_external_id", "=", inboundExternalId)
              .orderBy("part_index")
              .execute(),
          ).pipe(Effect.map((rows) => rows.map(outboundFromRow))),
        deliveryEvents: (channel, externalId) =>
          use("channel_outbound.events", (db) =>
            db
              .selectFrom("channel_delivery_events")
              .select(["status", "error_code", "received_at"])
              .where(sameMessage(channel, externalId))
              .orderBy("id")
              .execute(),
          ).pipe(Effect.map((rows) => rows.map((row) => ({ status: row.status, errorCode: row.error_code, receivedAt: row.received_at })))),
      });
    }),
  );
}

const inboundFromRow = (row: Selectable<ChannelInboundMessagesTable>): InboundRecord => ({
  channel: row.channel,
  externalId: row.external_id,
  conversationId: row.conversation_id,
  status: row.status,
  replyParts: row.reply_parts,
  delivery: row.delivery,
  receivedAt: row.received_at,
  answeredAt: row.answered_at,
});

const outboundFromRow = (row: Selectable<ChannelOutboundMessagesTable>): OutboundRecord => ({
  channel: row.channel,
  externalId: row.external_id,
  inboundExternalId: row.inbound_external_id,
  conversationId: row.conversation_id,
  partIndex: row.part_index,
  status: row.status,
  errorCode: row.error_code,
});
