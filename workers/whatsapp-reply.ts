/**
 * The WhatsApp reply worker: one job per inbound message (queue `whatsapp-replies`, strict FIFO per
 * conversation), at least once, with exactly one delivered answer per message. Its relay enqueues the
 * jobs of messages the webhooks stored (WhatsAppInbox.relay).
 *
 * A job answers its conversation's oldest unanswered message first, then the next, until its own is
 * done: the inbox's order (arrival) is what counts, whichever job runs. For each message:
 *  1. The turn (Agent.reply, which takes the conversation's lock). A turn that crashed after it was
 *     stored is not run again: its reply is read back from the conversation. An agent failure is
 *     retried with back-off (the job's retries); after `maxTurnAttempts` turns, or on the job's last
 *     attempt, the message gets the kind apology instead.
 *  2. The reply is stored (status "replied"), and whoever waits for it is notified.
 *  3. Delivery, decided once: inline if the webhook takes it within its window; otherwise REST through
 *     the outbox, part by part, in order. A part left "sending" by a crash is looked up in Twilio's log
 *     before it is sent again. Twilio failures are retried (a few times at once, then with the job's
 *     back-off); on the job's last attempt the message is marked failed (a retried webhook then gets
 *     the apology inline).
 * Without REST credentials the reply stays for the webhook (or Twilio's retry of it) to answer inline.
 */
import { Cause, Data, Effect, Layer, Result } from "effect";
import { Agent } from "../core/agent.ts";
import { withContinuedSpan } from "../observability/trace-context.ts";
import { answerInbound, recoveredAnswer } from "../channels/whatsapp/answer.ts";
import { CHANNEL, whatsappChannel, type WhatsAppChannel } from "../channels/whatsapp/channel.ts";
import { MAX_INLINE_WAIT_MS, type WhatsAppConfig } from "../channels/whatsapp/config.ts";
import { ChannelEventStore } from "../channels/whatsapp/delivery/channel-event-store.ts";
import { WhatsAppInbox, type Delivery, type InboxRecord, type ReplyJobData } from "../channels/whatsapp/delivery/inbox.ts";
import { WhatsAppOutbox, type OutboxPart } from "../channels/whatsapp/delivery/outbox.ts";
import { ReplySignals } from "../channels/whatsapp/delivery/reply-signals.ts";
import { whatsappConversationIds } from "../channels/whatsapp/inbound.ts";
import { REPLIES } from "../channels/whatsapp/replies.ts";
import type { TwilioRestError } from "../channels/whatsapp/twilio-rest.ts";
import { Headroom } from "./headroom.ts";
import { JobQueue, type QueueJob } from "./queue.ts";

export interface WhatsAppReplyWorkerOptions {
  readonly config: WhatsAppConfig;
  /** Reply jobs run at most this many at a time in this process (different conversations). */
  readonly concurrency: number;
  /** Idle workers look for due retries at least this often (new jobs wake them at once). */
  readonly pollMs?: number;
  /** Turns tried for one message before it is answered with the apology. Default 3. */
  readonly maxTurnAttempts?: number;
}

/** Sends of one part tried at once before the job is left to its back-off. */
const IMMEDIATE_SEND_TRIES = 3;
/** Twilio's log has second-precision times on another clock than ours. */
const CLOCK_SLACK_MS = 120_000;

const describeError = (error: unknown) =>
  typeof error === "object" && error !== null && "message" in error ? String((error as { message: unknown }).message) : String(error);

export const whatsappReplyWorker = (options: WhatsAppReplyWorkerOptions) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const queue = yield* JobQueue;
      const inbox = yield* WhatsAppInbox;
      const outbox = yield* WhatsAppOutbox;
      const signals = yield* ReplySignals;
      const events = yield* ChannelEventStore;
      const channel = whatsappChannel(options.config);
      const maxTurnAttempts = options.maxTurnAttempts ?? 3;
      const headroom = yield* Effect.serviceOption(Headroom);
      const admit = headroom._tag === "Some" ? headroom.value.admit : undefined;
      yield* inbox.runRelay;
      yield* queue.work<ReplyJobData, Agent>(inbox.queue, { concurrency: options.concurrency, pollMs: options.pollMs ?? 1_000, admit }, (job) =>
        handleReplyJob(job, { inbox, outbox, signals, events, channel, maxTurnAttempts }),
      );
      yield* Effect.logInfo(
        `WhatsApp reply workers: ${options.concurrency} on queue ${inbox.queue} (${channel.canDeliver ? "REST delivery" : "inline delivery only"})`,
      );
    }),
  );

interface Deps {
  readonly inbox: WhatsAppInbox["Service"];
  readonly outbox: WhatsAppOutbox["Service"];
  readonly signals: ReplySignals["Service"];
  readonly events: ChannelEventStore["Service"];
  readonly channel: WhatsAppChannel;
  readonly maxTurnAttempts: number;
}

export const handleReplyJob = (job: QueueJob<ReplyJobData>, deps: Deps) =>
  Effect.gen(function* () {
    const lastAttempt = job.retryCount >= job.retryLimit;
    // Earlier messages of the conversation first (normally there are none: the queue keeps order).
    for (let answered = 0; answered < 1_000; answered++) {
      const head = yield* deps.inbox.head(job.data.conversationId);
      if (!head) return;
      yield* answerMessage(head, lastAttempt, deps);
      if (head.externalId === job.data.externalId) return;
    }
    return yield* Effect.die(new Error(`whatsapp ${job.data.externalId}: its conversation's messages did not settle`));
  });

const answerMessage = (record: InboxRecord, lastAttempt: boolean, deps: Deps) =>
  Effect.gen(function* () {
    const { inbox } = deps;
    if (!record.message) {
      yield* inbox.finish(record.externalId, { status: "failed", error: "stored before migration 0004: nothing to answer from" });
      return;
    }
    let current = record;
    if (current.status === "queued" || current.status === "processing") {
      const parts = yield* produceReply(current, lastAttempt, deps);
      yield* inbox.saveReply(current.externalId, parts);
      current = (yield* inbox.get(current.externalId)) ?? current;
    }
    if (current.status !== "replied") return;
    if (!deps.channel.canDeliver) {
      // Only the webhook can answer (inline); a retried webhook gets this reply.
      yield* inbox.finish(current.externalId, { status: "answered", deliveryIfUndecided: "inline" });
      return;
    }
    const delivery = current.delivery ?? (yield* awaitDeliveryDecision(current, deps));
    if (delivery === "inline") {
      yield* inbox.finish(current.externalId, { status: "answered" });
      return;
    }
    yield* deliverByRest(current, lastAttempt, deps);
  }).pipe(
    // The webhook's trace: its child when the job runs soon after the message arrived, else linked to it.
    withContinuedSpan("whatsapp.reply", {
      traceparent: record.message?.traceparent,
      enqueuedAt: record.receivedAt,
      attributes: { "messaging.message.id": record.externalId, "chat.conversation_id": record.conversationId },
    }),
  );

/** The reply's parts: the turn's, recovered after a crash, or the apology once the turn kept failing. */
const produceReply = (record: InboxRecord, lastAttempt: boolean, deps: Deps) =>
  Effect.gen(function* () {
    const message = record.message!;
    const turn = yield* deps.inbox.beginTurn(record.externalId);
    if (!turn) return record.replyParts ? [...record.replyParts] : [REPLIES.agentFailed];
    if (turn.attempts > 1) {
      const agent = yield* Agent;
      const history = yield* agent.history(message.conversationId).pipe(Effect.orElseSucceed(() => undefined));
      const recovered = recoveredAnswer(message, turn.firstStartedAt, history);
      if (recovered) {
        yield* Effect.logInfo(`whatsapp ${record.externalId}: the turn finished before a crash; its stored reply is used`);
        return recovered;
      }
    }
    if (turn.attempts > deps.maxTurnAttempts) return [REPLIES.agentFailed];
    const giveUp = lastAttempt || turn.attempts >= deps.maxTurnAttempts;
    return yield* answerInbound(message, deps.channel.mediaOptions(message)).pipe(
      Effect.catchCauseIf(
        (cause) => !Cause.hasInterrupts(cause),
        (cause) =>
          Effect.gen(function* () {
            yield* deps.inbox.recordError(record.externalId, `turn ${turn.attempts} failed`).pipe(Effect.ignore);
            if (!giveUp) return yield* Effect.failCause(cause);
            yield* Effect.logError(`whatsapp ${record.externalId}: turn failed ${turn.attempts} times (last: ${describeError(Cause.squash(cause))}); answering with the apology`);
            return [REPLIES.agentFailed];
          }),
      ),
    );
  });

/**
 * The webhook may still be waiting to answer inline: wait for its decision until the inline window
 * closes (it notifies), then take REST delivery. The window is stored by the database's clock.
 */
const awaitDeliveryDecision = (record: InboxRecord, deps: Deps) =>
  Effect.gen(function* () {
    const giveUpAt = Date.now() + MAX_INLINE_WAIT_MS + 5_000;
    for (;;) {
      const decided: Delivery | null = yield* deps.inbox.claimDelivery(record.externalId, "rest");
      if (decided) return decided;
      if (Date.now() > giveUpAt) return (yield* deps.inbox.claimDelivery(record.externalId, "rest", { force: true })) ?? "rest";
      yield* deps.signals.wait(record.externalId, 250);
    }
  });

const deliverByRest = (record: InboxRecord, lastAttempt: boolean, deps: Deps) =>
  Effect.gen(function* () {
    const message = record.message!;
    const thread = whatsappConversationIds.decode(record.conversationId)!;
    const parts = yield* deps.outbox.prepare({ externalId: record.externalId, conversationId: record.conversationId, recipient: message.from }, record.replyParts ?? [REPLIES.agentFailed]);
    const failures: string[] = [];
    for (const part of parts) {
      if (part.status === "sent") continue;
      if (part.status === "failed") {
        failures.push(`part ${part.partIndex} refused`);
        continue;
      }
      const outcome = yield* sendPart(part, thread, message.statusCallback, deps).pipe(Effect.result);
      if (Result.isFailure(outcome)) {
        const error = outcome.failure;
        // Another attempt is sending this part: leave the message to it (this job is retried later, and then finds it settled).
        if (!lastAttempt || error._tag === "PartTaken") {
          yield* deps.inbox.recordError(record.externalId, `REST send: ${describeError(error)}`).pipe(Effect.ignore);
          return yield* Effect.fail(error);
        }
        failures.push(`part ${part.partIndex}: ${describeError(error)}`);
        yield* Effect.logError(`whatsapp ${record.externalId}: part ${part.partIndex} could not be sent on the last attempt: ${describeError(error)}`);
        break;
      }
      if (outcome.success === "refused") failures.push(`part ${part.partIndex} refused`);
    }
    yield* deps.inbox.finish(
      record.externalId,
      failures.length === 0 ? { status: "answered" } : { status: "failed", error: `REST delivery: ${failures.join("; ")}` },
    );
  });

/** Another attempt changed the part since this one read it (a job whose claim lapsed): this one stops. */
class PartTaken extends Data.TaggedError("PartTaken")<{ readonly inboundExternalId: string; readonly partIndex: number }> {}

/** Sends one part exactly once: answers "sent" or "refused" (Twilio refused it for good), or fails (try later). */
const sendPart = (read: OutboxPart, thread: string, statusCallback: string | undefined, deps: Deps) =>
  Effect.gen(function* () {
    let part = read;
    // A part left "sending" may have been accepted just before a crash.
    let uncertainSince: Date | null = part.status === "sending" ? (part.sendingAt ?? new Date(0)) : null;
    for (let attempt = 1; ; attempt++) {
      if (uncertainSince) {
        const accepted = yield* findAccepted(part, thread, uncertainSince, deps);
        if (accepted) {
          yield* Effect.logInfo(`whatsapp ${part.inboundExternalId}: part ${part.partIndex} had been accepted (${accepted}); not sent again`);
          yield* recordSent(part, accepted, "accepted", deps);
          return "sent" as const;
        }
      }
      // Compare-and-set: only the attempt that read the part as it is may send it.
      const marked = yield* deps.outbox.markSending(part);
      if (!marked) return yield* new PartTaken({ inboundExternalId: part.inboundExternalId, partIndex: part.partIndex });
      part = marked;
      const sent = yield* deps.channel.deliver(thread, { body: part.body, statusCallback }).pipe(Effect.result);
      if (Result.isSuccess(sent)) {
        yield* recordSent(part, sent.success.sid, sent.success.status, deps);
        return "sent" as const;
      }
      const error: TwilioRestError = sent.failure;
      if (!error.retryable) {
        yield* deps.outbox.markFailed(part, error.message);
        yield* Effect.logError(`whatsapp ${part.inboundExternalId}: Twilio refused part ${part.partIndex}: ${error.status ?? ""} ${error.code ?? ""} ${error.message}`);
        return "refused" as const;
      }
      if (error.ambiguous) uncertainSince = part.sendingAt ?? new Date();
      else {
        uncertainSince = null;
        const pending = yield* deps.outbox.markPending(part, error.message);
        if (!pending) return yield* new PartTaken({ inboundExternalId: part.inboundExternalId, partIndex: part.partIndex });
        part = pending;
      }
      if (attempt >= IMMEDIATE_SEND_TRIES) return yield* Effect.fail(error);
      yield* Effect.sleep(`${250 * 2 ** (attempt - 1) * (0.5 + Math.random())} millis`);
    }
  });

/** Twilio's log entry for this part if it was accepted after `since` and is not recorded for another part. */
const findAccepted = (part: OutboxPart, thread: string, since: Date, deps: Deps) =>
  Effect.gen(function* () {
    const recent = yield* deps.channel.recentlySent(thread);
    for (const message of recent) {
      if (message.body !== part.body) continue;
      if (message.dateCreated && message.dateCreated.getTime() < since.getTime() - CLOCK_SLACK_MS) continue;
      if (yield* deps.outbox.isRecorded(message.sid)) continue;
      return message.sid;
    }
    return undefined;
  });

const recordSent = (part: OutboxPart, sid: string, status: string, deps: Deps) =>
  Effect.gen(function* () {
    yield* deps.outbox.markSent(part, sid);
    // For delivery statuses (POST /status); the outbox row above is what prevents a second send.
    yield* deps.events
      .recordOutbound({ channel: CHANNEL, externalId: sid, inboundExternalId: part.inboundExternalId, conversationId: part.conversationId, partIndex: part.partIndex, status })
      .pipe(Effect.catch((error) => Effect.logWarning(`whatsapp: outbound ${sid} not recorded for status callbacks: ${String(error.cause)}`)));
  });
