/**
 * The WhatsApp inbox: every inbound message is stored, with what is needed to answer it, before the
 * webhook answers Twilio (one INSERT: the acknowledgement waits for nothing else). The relay (run by
 * the worker side, any number of processes) then enqueues the reply jobs of stored messages in batches,
 * in one transaction with marking them (`job_enqueued_at`), so a message whose process died right
 * after storing it still gets its job: the row is the durable record, the job its trigger. The row records
 * where the message is (queued -> processing -> replied -> answered | failed), the reply, and who
 * delivers it: the webhook inline ("inline") or the worker by REST ("rest"), decided once by a
 * conditional update so both can never send it.
 *
 * Every change a waiter cares about (reply stored, delivery decided, finished) NOTIFYs
 * `whatsapp_replies` with the MessageSid, in the same statement.
 */
import { Context, Effect, Layer, type Scope } from "effect";
import { sql, type Selectable } from "kysely";
import { Database, DatabaseError } from "../../../knowledge/db/database.ts";
import type { ChannelInboundMessagesTable, InboundStatus } from "../../../knowledge/db/schema.ts";
import { warnOncePerOutage } from "../../../workers/outage.ts";
import { JobQueue, type QueueError, type QueueSettings } from "../../../workers/queue.ts";
import { CHANNEL } from "../channel.ts";
import type { WhatsAppMessage } from "../inbound.ts";

/** The reply jobs' queue. */
export const WHATSAPP_REPLY_QUEUE = "whatsapp-replies";
/** Announced when a message is stored: wakes the relay that enqueues reply jobs (here and in other processes). */
export const INBOX_RELAY = "whatsapp-inbox";
/** NOTIFY channel for changes of an inbound message; the payload is its MessageSid. */
export const REPLY_SIGNAL_CHANNEL = "whatsapp_replies";

/** The message as stored: Twilio's fields plus where delivery statuses go. */
export interface StoredMessage extends WhatsAppMessage {
  readonly statusCallback: string | undefined;
  /** W3C traceparent of the webhook that received it: the reply's spans continue that trace. */
  readonly traceparent?: string | undefined;
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

/** Messages a relay transaction enqueues at most. */
const RELAY_BATCH = 100;
/** The relay looks for stored messages without a job at least this often (a lost wake-up costs this much). */
const RELAY_POLL_MS = 1_000;

export interface ReplyJobData {
  readonly externalId: string;
  readonly conversationId: string;
}

export interface WhatsAppInboxShape {
  readonly queue: string;
  /**
   * Stores the message (one statement; `relay` enqueues its reply job). A MessageSid seen before is
   * not stored again (`created: false`, with the stored record). `inlineMs`: how long the webhook
   * may answer inline; `delivery: "rest"` decides REST delivery right away (no inline wait).
   */
  readonly accept: (
    message: StoredMessage,
    options: { readonly inlineMs: number; readonly delivery: Delivery | null },
  ) => Effect.Effect<{ readonly created: boolean; readonly record: InboxRecord }, DatabaseError>;
  /**
   * Enqueues the reply jobs of up to `limit` stored messages that have none yet (oldest first), in
   * one transaction with marking them; answers how many. Safe to run in several processes at once.
   */
  readonly relay: (limit: number) => Effect.Effect<number, DatabaseError>;
  /** Runs the relay in this process for as long as the scope lives (beside the reply workers). */
  readonly runRelay: Effect.Effect<void, never, Scope.Scope>;
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

    /**
     * A stored message wakes this process's relay when it runs one (its jobs then tend to run here,
     * next to the webhook waiting for the reply), otherwise the other processes' relays (NOTIFY).
     */
    let relaysHere = 0;
    const wakeRelay = () => (relaysHere > 0 ? queue.wakeHere(INBOX_RELAY) : queue.announce(INBOX_RELAY));

    const get: WhatsAppInboxShape["get"] = (externalId) =>
      use("whatsapp_inbox.get", (db) =>
        db.selectFrom("channel_inbound_messages").selectAll().where("channel", "=", CHANNEL).where("external_id", "=", externalId).executeTakeFirst(),
      ).pipe(Effect.map((row) => (row ? fromRow(row) : undefined)));

    const relay: WhatsAppInboxShape["relay"] = (limit) =>
      use("whatsapp_inbox.relay", (db) =>
        db.transaction().execute(async (trx) => {
          // Oldest first; rows another relay holds are skipped (it enqueues them).
          const { rows } = await sql<{ external_id: string; conversation_id: string }>`
            select external_id, conversation_id from channel_inbound_messages
            where job_enqueued_at is null and channel = ${CHANNEL}
            order by seq limit ${limit}
            for update skip locked
          `.execute(trx);
          if (rows.length === 0) return 0;
          await queue.insertInTransaction(
            trx,
            queueName,
            rows.map((row) => ({ data: { externalId: row.external_id, conversationId: row.conversation_id } satisfies ReplyJobData, singletonKey: row.conversation_id })),
          );
          await trx
            .updateTable("channel_inbound_messages")
            .set({ job_enqueued_at: sql<Date>`now()` })
            .where("channel", "=", CHANNEL)
            .where("external_id", "in", rows.map((row) => row.external_id))
            .execute();
          return rows.length;
        }),
      ).pipe(Effect.tap((relayed) => Effect.sync(() => relayed > 0 && queue.announce(queueName))));

    /**
     * Drains stored messages into reply jobs in batches until none is left, then waits to be woken (a
     * message stored here, or a NOTIFY from another process) or for the poll. A failing database is
     * retried at the poll.
     */
    const relayLoop = Effect.gen(function* () {
      const guarded = warnOncePerOutage();
      for (;;) {
        const relayed = yield* guarded(relay(RELAY_BATCH), (error) => `whatsapp relay: enqueueing reply jobs fails (${String(error.cause)}); retrying`, 0);
        // One stored meanwhile ends the wait at once (the wake-up is kept for the next wait).
        if (relayed === 0) yield* queue.waitForAnnouncement(INBOX_RELAY, RELAY_POLL_MS);
      }
    });

    return WhatsAppInbox.of({
      queue: queueName,
      accept: (message, options) =>
        Effect.gen(function* () {
          // One statement on the acknowledgement's path; the relay enqueues the reply job.
          const inserted = yield* use("whatsapp_inbox.accept", (db) =>
            db
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
              .executeTakeFirst(),
          );
          if (inserted) {
            wakeRelay();
            return { created: true, record: fromRow(inserted) };
          }
          // A retried MessageSid: the message stored the first time.
          const existing = yield* get(message.messageSid);
          if (existing) return { created: false, record: existing };
          return yield* new DatabaseError({ operation: "whatsapp_inbox.accept", cause: new Error(`message ${message.messageSid} was neither stored nor found`) });
        }),
      relay,
      runRelay: Effect.gen(function* () {
        relaysHere++;
        yield* Effect.addFinalizer(() => Effect.sync(() => relaysHere--));
        // Once a second on every worker process: not traced (a trace per poll would crowd out the real ones).
        yield* Effect.forkScoped(relayLoop.pipe(Effect.withTracerEnabled(false)));
      }),
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
