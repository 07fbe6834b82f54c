/**
 * The WhatsApp inbox: every inbound message is stored, with what is needed to answer it, in the same
 * transaction that enqueues its reply job, before the webhook answers Twilio. The row then records
 * where the message is (queued -> processing -> replied -> answered | failed), the reply, and who
 * delivers it: the webhook inline ("inline") or the worker by REST ("rest"), decided once by a
 * conditional update so both can never send it.
 *
 * Every change a waiter cares about (reply stored, delivery decided, finished) NOTIFYs
 * `whatsapp_replies` with the MessageSid, in the same statement.
 */
import { Context, Effect, Layer } from "effect";
import { sql, type Selectable } from "kysely";
import { Database, type DatabaseError } from "../../../knowledge/db/database.ts";
import type { ChannelInboundMessagesTable, InboundStatus } from "../../../knowledge/db/schema.ts";
import { JobQueue, type QueueError, type QueueSettings } from "../../../workers/queue.ts";
import { CHANNEL } from "../channel.ts";
import type { WhatsAppMessage } from "../inbound.ts";

/** The reply jobs' queue. */
export const WHATSAPP_REPLY_QUEUE = "whatsapp-replies";
/** NOTIFY channel for changes of an inbound message; the payload is its MessageSid. */
export const REPLY_SIGNAL_CHANNEL = "whatsapp_replies";

/** The message as stored: Twilio's fields plus where delivery statuses go. */
export interface StoredMessage extends WhatsAppMessage {
  readonly statusCallback: string | undefined;
}

export type Delivery = "inline" | "rest";

export interface InboxRecord {
  readonly externalId: string;
  readonly conversationId: string;
  readonly status: InboundStatus;
  /** Null only for rows stored before migration 0004. */
  readonly message: StoredMessage | null;
  readonly replyParts: ReadonlyArray<string> | null;
  readonly delivery: Delivery | null;
  readonly inlineUntil: Date | null;
  /** Turns started for this message. */
  readonly attempts: number;
  readonly turnStartedAt: Date | null;
  readonly receivedAt: Date;
  readonly error: string | null;
}

export interface ReplyRetry {
  /** Retries of a reply job (turn, then sends) before its message is given up. */
  readonly limit: number;
  /** First back-off; it doubles (with jitter) up to maxDelaySeconds. */
  readonly delaySeconds: number;
  readonly maxDelaySeconds: number;
}

/** About 15 minutes of retries: 2, 4, 8 ... 120 s. */
export const DEFAULT_REPLY_RETRY: ReplyRetry = { limit: 12, delaySeconds: 2, maxDelaySeconds: 120 };
/** A worker that stops refreshing a job's heartbeat (a dead process) loses the job after this. pg-boss's minimum. */
export const REPLY_HEARTBEAT_SECONDS = 10;

/**
 * Strict FIFO per conversation (pg-boss `key_strict_fifo` with the conversation id as the key): a
 * conversation's next job is not handed out while one of its jobs is active, waiting for a retry or
 * failed, on any instance. Other conversations run in parallel.
 */
export const replyQueueSettings = (retry: ReplyRetry): QueueSettings => ({
  policy: "key_strict_fifo",
  heartbeatSeconds: REPLY_HEARTBEAT_SECONDS,
  // A backstop only: the heartbeat notices dead workers; a live one ends a job within minutes.
  expireInSeconds: 15 * 60,
  retryLimit: retry.limit,
  retryDelay: retry.delaySeconds,
  retryBackoff: true,
  retryDelayMax: retry.maxDelaySeconds,
  // Jobs are only triggers (the inbox row is the record): keep finished ones a day.
  deleteAfterSeconds: 24 * 60 * 60,
});

export interface ReplyJobData {
  readonly externalId: string;
  readonly conversationId: string;
}

export interface WhatsAppInboxShape {
  readonly queue: string;
  /**
   * Stores the message and enqueues its reply job in one transaction. A MessageSid seen before is
   * not stored again (`created: false`, with the stored record). `inlineMs`: how long the webhook
   * may answer inline; `delivery: "rest"` decides REST delivery right away (no inline wait).
   */
  readonly accept: (
    message: StoredMessage,
    options: { readonly inlineMs: number; readonly delivery: Delivery | null },
  ) => Effect.Effect<{ readonly created: boolean; readonly record: InboxRecord }, DatabaseError>;
  readonly get: (externalId: string) => Effect.Effect<InboxRecord | undefined, DatabaseError>;
  /** The conversation's oldest message not yet answered (or failed). */
  readonly head: (conversationId: string) => Effect.Effect<InboxRecord | undefined, DatabaseError>;
  /** A turn starts: status processing, one more attempt. Answers the attempt's number and when the first began. */
  readonly beginTurn: (externalId: string) => Effect.Effect<{ readonly attempts: number; readonly firstStartedAt: Date } | undefined, DatabaseError>;
  /** Records the reply (once: only while queued or processing). */
  readonly saveReply: (externalId: string, parts: ReadonlyArray<string>) => Effect.Effect<void, DatabaseError>;
  /**
   * Decides who delivers the reply, if nobody has: "inline" only once the reply is stored, "rest"
   * only after the inline window unless `force`. Answers the delivery now in force (null: undecided).
   */
  readonly claimDelivery: (externalId: string, mode: Delivery, options?: { readonly force?: boolean }) => Effect.Effect<Delivery | null, DatabaseError>;
  /** The message is done: answered, or failed (nothing more can be done). */
  readonly finish: (
    externalId: string,
    outcome: { readonly status: "answered" | "failed"; readonly error?: string; readonly deliveryIfUndecided?: Delivery },
  ) => Effect.Effect<void, DatabaseError>;
  readonly recordError: (externalId: string, error: string) => Effect.Effect<void, DatabaseError>;
}

const fromRow = (row: Selectable<ChannelInboundMessagesTable>): InboxRecord => ({
  externalId: row.external_id,
  conversationId: row.conversation_id,
  status: row.status,
  message: (row.payload as StoredMessage | null) ?? null,
  replyParts: row.reply_parts,
  delivery: row.delivery,
  inlineUntil: row.inline_until ? new Date(row.inline_until) : null,
  attempts: row.attempts,
  turnStartedAt: row.turn_started_at ? new Date(row.turn_started_at) : null,
  receivedAt: new Date(row.received_at),
  error: row.error,
});


const makeInbox = (queueName: string, retry: ReplyRetry): Effect.Effect<WhatsAppInboxShape, QueueError, Database | JobQueue> =>
  Effect.gen(function* () {
    const { use } = yield* Database;
    const queue = yield* JobQueue;
    yield* queue.define(queueName, replyQueueSettings(retry));

    const byId = (externalId: string) => sql`channel = ${CHANNEL} and external_id = ${externalId}`;
    const notify = (externalId: string) => sql`pg_notify(${REPLY_SIGNAL_CHANNEL}, ${externalId})`;

    const get: WhatsAppInboxShape["get"] = (externalId) =>
      use("whatsapp_inbox.get", (db) =>
        db.selectFrom("channel_inbound_messages").selectAll().where("channel", "=", CHANNEL).where("external_id", "=", externalId).executeTakeFirst(),
      ).pipe(Effect.map((row) => (row ? fromRow(row) : undefined)));

    return WhatsAppInbox.of({
      queue: queueName,
      accept: (message, options) =>
        use("whatsapp_inbox.accept", (db) =>
          db.transaction().execute(async (trx) => {
            const inserted = await trx
              .insertInto("channel_inbound_messages")
              .values({
                channel: CHANNEL,
                external_id: message.messageSid,
                conversation_id: message.conversationId,
                status: "queued",
                payload: JSON.stringify(message),
                delivery: options.delivery,
                inline_until: sql<Date>`now() + ${Math.max(0, Math.round(options.inlineMs))}::integer * interval '1 millisecond'`,
              })
              .onConflict((oc) => oc.columns(["channel", "external_id"]).doNothing())
              .returningAll()
              .executeTakeFirst();
            if (inserted) {
              const job: ReplyJobData = { externalId: message.messageSid, conversationId: message.conversationId };
              await queue.sendInTransaction(trx, queueName, job, { singletonKey: message.conversationId });
              return { created: true, record: fromRow(inserted) };
            }
            const existing = await trx
              .selectFrom("channel_inbound_messages")
              .selectAll()
              .where("channel", "=", CHANNEL)
              .where("external_id", "=", message.messageSid)
              .executeTakeFirstOrThrow();
            return { created: false, record: fromRow(existing) };
          }),
        ).pipe(Effect.tap(({ created }) => Effect.sync(() => created && queue.announce(queueName)))),
      get,
      head: (conversationId) =>
        use("whatsapp_inbox.head", (db) =>
          db
            .selectFrom("channel_inbound_messages")
            .selectAll()
            .where("conversation_id", "=", conversationId)
            .where("status", "in", ["queued", "processing", "replied"])
            .where("channel", "=", CHANNEL)
            .orderBy("seq")
            .limit(1)
            .executeTakeFirst(),
        ).pipe(Effect.map((row) => (row ? fromRow(row) : undefined))),
      beginTurn: (externalId) =>
        use("whatsapp_inbox.begin_turn", (db) =>
          sql<{ attempts: number; turn_started_at: Date }>`
            update channel_inbound_messages
            set status = 'processing', attempts = attempts + 1, turn_started_at = coalesce(turn_started_at, now())
            where ${byId(externalId)} and status in ('queued', 'processing')
            returning attempts, turn_started_at
          `.execute(db),
        ).pipe(
          Effect.map(({ rows: [row] }) => (row ? { attempts: row.attempts, firstStartedAt: new Date(row.turn_started_at) } : undefined)),
        ),
      saveReply: (externalId, parts) =>
        use("whatsapp_inbox.save_reply", (db) =>
          sql`
            with saved as (
              update channel_inbound_messages set status = 'replied', reply_parts = ${JSON.stringify(parts)}::jsonb, error = null
              where ${byId(externalId)} and status in ('queued', 'processing')
              returning external_id
            )
            select ${notify(externalId)} from saved
          `.execute(db),
        ).pipe(Effect.asVoid),
      claimDelivery: (externalId, mode, options = {}) =>
        Effect.gen(function* () {
          const condition =
            mode === "inline"
              ? sql`reply_parts is not null`
              : options.force
                ? sql`true`
                : sql`(inline_until is null or inline_until <= now())`;
          const claimed = yield* use("whatsapp_inbox.claim_delivery", (db) =>
            sql<{ delivery: Delivery }>`
              with claimed as (
                update channel_inbound_messages set delivery = ${mode}
                where ${byId(externalId)} and delivery is null and ${condition}
                returning delivery
              )
              select delivery, ${notify(externalId)} from claimed
            `.execute(db),
          );
          if (claimed.rows[0]) return claimed.rows[0].delivery;
          return (yield* get(externalId))?.delivery ?? null;
        }),
      finish: (externalId, outcome) =>
        use("whatsapp_inbox.finish", (db) =>
          sql`
            with finished as (
              update channel_inbound_messages
              set status = ${outcome.status}, answered_at = now(), error = ${outcome.error ?? null},
                  delivery = coalesce(delivery, ${outcome.deliveryIfUndecided ?? null})
              where ${byId(externalId)} and status not in ('answered', 'failed')
              returning external_id
            )
            select ${notify(externalId)} from finished
          `.execute(db),
        ).pipe(Effect.asVoid),
      recordError: (externalId, error) =>
        use("whatsapp_inbox.record_error", (db) =>
          db
            .updateTable("channel_inbound_messages")
            .set({ error: error.slice(0, 2_000) })
            .where("channel", "=", CHANNEL)
            .where("external_id", "=", externalId)
            .execute(),
        ).pipe(Effect.asVoid),
    });
  });

export class WhatsAppInbox extends Context.Service<WhatsAppInbox, WhatsAppInboxShape>()("WhatsAppInbox") {
  /** Defines the reply queue (so any instance can enqueue, with or without workers) and serves the inbox. */
  static readonly layerWith = (options: { readonly queue?: string; readonly retry?: ReplyRetry } = {}) =>
    Layer.effect(WhatsAppInbox, makeInbox(options.queue ?? WHATSAPP_REPLY_QUEUE, options.retry ?? DEFAULT_REPLY_RETRY));
  static readonly layer = WhatsAppInbox.layerWith();
}
