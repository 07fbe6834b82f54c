/**
 * The fines worker (queue `fines-checks`): one job per check, at least once, one answer per check.
 *  1. Settle the check once: a photo is read first (PlateReader, from the image stored with the
 *     check, so a crash loses nothing): no plate, or a plate below PLATE_CONFIDENCE_MIN, settles it
 *     "unreadable"/"unsure" (the assistant asks the user to type or confirm it; no lookup). Then
 *     look the plate up in the FinesRegistry (one quick retry); a registry that stays down settles
 *     it "failed" (the assistant apologises; nothing is invented). The photo is deleted once the
 *     check is settled (unless FINES_KEEP_IMAGES=true).
 *  2. Delivery, decided once (FinesChecks.claimDelivery): if the check_fines tool still waited and
 *     took the result into its turn ("inline"), nothing more. Otherwise ("async", claimed by the
 *     tool when it stopped waiting, or by this worker once the tool's window has passed):
 *     - the conversation learns the result: a check_fines tool call, its result and the message are
 *       appended under the conversation's lock, once (looked up by the call's id before appending);
 *     - WhatsApp conversations get the message through Twilio's REST API via the outbox (recorded
 *       before it is sent; a part left "sending" by a crash is looked up in Twilio's log first);
 *     - the web widget and the HTTP API read it from the conversation / GET /v1/fines/checks/{id}.
 * Spans join the trace of the turn that started the check; plates appear in them masked only.
 */
import { Cause, Effect, Exit, Layer, Tracer } from "effect";
import { whatsappChannel, type WhatsAppChannel } from "../../channels/whatsapp/channel.ts";
import type { WhatsAppConfig } from "../../channels/whatsapp/config.ts";
import { WhatsAppOutbox } from "../../channels/whatsapp/delivery/outbox.ts";
import { whatsappConversationIds } from "../../channels/whatsapp/inbound.ts";
import { ConversationLock } from "../../core/conversation-lock.ts";
import { ConversationStore } from "../../knowledge/conversations/conversation-store.ts";
import { FinesChecks, type StoredCheck } from "../../knowledge/fines/checks.ts";
import { maskPlate, normalizePlate } from "../../knowledge/fines/plates.ts";
import { FinesRegistry, type FinesRegistryError } from "../../knowledge/fines/registry.ts";
import { JobQueue, type QueueJob } from "../queue.ts";
import { finesAnswerText } from "./answer-text.ts";
import { FINES_QUEUE, type FinesJobData } from "./checks-live.ts";
import { checkFinesResult } from "../../tools/check-fines.ts";
import { PLATE_CONFIDENCE_MIN, PlateReader } from "./ocr/plate-reader.ts";

export interface FinesWorkerOptions {
  readonly whatsapp: WhatsAppConfig;
  readonly concurrency: number;
  /** How long the tool waits inline (FINES_INLINE_WAIT_MS): the worker leaves delivery to it that long. */
  readonly inlineWaitMs: number;
  /** FINES_KEEP_IMAGES: keep plate photos after their check is settled. */
  readonly keepImages?: boolean;
  readonly pollMs?: number;
}

/** Past the tool's window, plus this, the worker takes delivery itself (the tool's process may be gone). */
const DECISION_SLACK_MS = 3_000;

const parentOf = (traceparent: string | undefined) => {
  const match = traceparent === undefined ? null : /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent);
  return match === null ? undefined : Tracer.externalSpan({ traceId: match[1]!, spanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 });
};

/** The call id under which a check's result is stored in its conversation. */
export const toolCallIdOf = (checkId: string) => `check_fines_${checkId}`;

export const finesWorker = (options: FinesWorkerOptions) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const queue = yield* JobQueue;
      const channel = whatsappChannel(options.whatsapp);
      yield* queue.work<FinesJobData, FinesChecks | FinesRegistry | ConversationStore | ConversationLock | WhatsAppOutbox | PlateReader>(
        FINES_QUEUE,
        { concurrency: options.concurrency, pollMs: options.pollMs ?? 1_000 },
        (job) => handleFinesJob(job, { channel, inlineWaitMs: options.inlineWaitMs, keepImages: options.keepImages ?? false }),
      );
      yield* Effect.logInfo(`fines workers: ${options.concurrency} on queue ${FINES_QUEUE}`);
    }),
  );

interface Deps {
  readonly channel: WhatsAppChannel;
  readonly inlineWaitMs: number;
  readonly keepImages?: boolean;
}

export const handleFinesJob = (job: QueueJob<FinesJobData>, deps: Deps) => {
  const work = Effect.gen(function* () {
    const checks = yield* FinesChecks;
    let check = yield* checks.get(job.data.checkId);
    if (check === undefined) return;
    if (check.status === "pending") {
      yield* settle(check);
      check = (yield* checks.get(check.id))!;
    }
    // Settled: the photo has served its purpose (again after a crash: deleting is idempotent).
    if (check.imageRef !== null && deps.keepImages !== true) yield* checks.discardImage(check.id);
    if (check.deliveredAt !== null) return;
    const delivery = check.delivery ?? (yield* awaitDecision(check, deps));
    if (delivery === "async") yield* deliverAsync((yield* checks.get(check.id))!, deps);
    yield* checks.markDelivered(check.id);
  }).pipe(Effect.withSpan("fines.check", { attributes: { "fines.check_id": job.data.checkId, "job.retry_count": job.retryCount } }));
  const parent = parentOf(job.data.traceparent);
  return parent === undefined ? work : Effect.withParentSpan(work, parent);
};

const settle = (check: StoredCheck) =>
  Effect.gen(function* () {
    const checks = yield* FinesChecks;
    const registry = yield* FinesRegistry;
    let plate = check.plate;
    if (plate === null) {
      const read = yield* readPhoto(check);
      if (read.status !== "confident") {
        yield* checks.complete(check.id, read.status === "unsure" ? { status: "unsure", error: read.detail, plate: read.plate } : { status: "unreadable", error: read.detail });
        return;
      }
      plate = read.plate;
    }
    const looked = yield* registry.lookup(plate).pipe(
      Effect.catchTag("FinesRegistryError", () => Effect.sleep("300 millis").pipe(Effect.andThen(registry.lookup(plate)))),
      Effect.result,
    );
    if (looked._tag === "Success") {
      yield* checks.complete(check.id, { status: "done", result: looked.success });
      return;
    }
    const error: FinesRegistryError = looked.failure;
    yield* Effect.logWarning(`fines check ${check.id} (plate ${maskPlate(plate)}): the registry failed (${error.reason}: ${error.message}); answering with the apology`);
    yield* checks.complete(check.id, { status: "failed", error: "registry_unavailable" });
  });

type PhotoRead =
  | { readonly status: "confident"; readonly plate: string }
  | { readonly status: "unsure"; readonly plate: string; readonly detail: string }
  | { readonly status: "unreadable"; readonly detail: string };

/** The plate in the check's photo, and whether it is sure enough to look fines up with. */
const readPhoto = (check: StoredCheck) =>
  Effect.gen(function* () {
    const checks = yield* FinesChecks;
    const reader = yield* PlateReader;
    const image = yield* checks.image(check.id);
    if (image === undefined) return { status: "unreadable", detail: "the photo is gone" } as PhotoRead;
    // Any failure of the reading (a typed error or a crash of the OCR engine) is a photo it could not read.
    const reading = yield* reader.read(image.data).pipe(Effect.exit);
    if (Exit.isFailure(reading)) {
      yield* Effect.logWarning(`fines check ${check.id}: the photo could not be read (${Cause.pretty(reading.cause).split("\n")[0]})`);
      return { status: "unreadable", detail: "ocr_failed" } as PhotoRead;
    }
    const { plate: text, confidence, durationMs } = reading.value;
    const plate = text === null ? undefined : normalizePlate(text)?.plate;
    yield* Effect.annotateCurrentSpan({ "fines.ocr.confidence": confidence, "fines.ocr.duration_ms": durationMs, "fines.ocr.found": plate !== undefined });
    if (plate === undefined) return { status: "unreadable", detail: `no plate read (confidence ${confidence.toFixed(2)})` } as PhotoRead;
    if (confidence < PLATE_CONFIDENCE_MIN) return { status: "unsure", plate, detail: `confidence ${confidence.toFixed(2)} < ${PLATE_CONFIDENCE_MIN}` } as PhotoRead;
    return { status: "confident", plate } as PhotoRead;
  }).pipe(Effect.withSpan("fines.photo.read"));

/** Waits while the tool may still take the result inline; then takes delivery. */
const awaitDecision = (check: StoredCheck, deps: Deps) =>
  Effect.gen(function* () {
    const checks = yield* FinesChecks;
    const deadline = check.createdAt.getTime() + deps.inlineWaitMs + DECISION_SLACK_MS;
    for (;;) {
      const now = yield* checks.get(check.id);
      if (now?.delivery) return now.delivery;
      if (Date.now() > deadline) {
        const claimed = yield* checks.claimDelivery(check.id, "async");
        if (claimed) return "async" as const;
      }
      yield* Effect.sleep("100 millis");
    }
  });

const deliverAsync = (check: StoredCheck, deps: Deps) =>
  Effect.gen(function* () {
    if (check.conversationId === null) return;
    const text = finesAnswerText(check);
    yield* rememberInConversation(check, check.conversationId, text);
    const thread = whatsappConversationIds.decode(check.conversationId);
    if (thread !== undefined && deps.channel.canDeliver) yield* sendOnWhatsApp(check, check.conversationId, thread, text, deps);
  });

/** The result as a check_fines call of the conversation, so the next turn can talk about it; once. */
const rememberInConversation = (check: StoredCheck, conversationId: string, text: string) =>
  Effect.gen(function* () {
    const store = yield* ConversationStore;
    const lock = yield* ConversationLock;
    const callId = toolCallIdOf(check.id);
    yield* lock.withLock(
      conversationId,
      Effect.gen(function* () {
        const recent = yield* store.recentContent(conversationId, 60);
        if (JSON.stringify(recent).includes(callId)) return;
        const input = check.imageRef !== null ? { photo: 1 } : { plate: check.plate ?? "" };
        yield* store.append(conversationId, check.channel, [
          { role: "assistant", text: null, content: { role: "assistant", content: [{ type: "tool-call", toolCallId: callId, toolName: "check_fines", input }] } },
          { role: "tool", text: null, content: { role: "tool", content: [{ type: "tool-result", toolCallId: callId, toolName: "check_fines", output: { type: "json", value: checkFinesResult(check) } }] } },
          { role: "assistant", text, content: { role: "assistant", content: [{ type: "text", text }] } },
        ]);
      }),
    );
  });

const sendOnWhatsApp = (check: StoredCheck, conversationId: string, thread: string, text: string, deps: Deps) =>
  Effect.gen(function* () {
    const outbox = yield* WhatsAppOutbox;
    const [part] = yield* outbox.prepare({ externalId: `fines:${check.id}`, conversationId, recipient: `whatsapp:+${thread}` }, [text]);
    if (part === undefined || part.status === "sent" || part.status === "failed") return;
    if (part.status === "sending") {
      // A crash may have come after Twilio accepted it: look in its log before sending again.
      const recent = yield* deps.channel.recentlySent(thread);
      for (const message of recent) {
        if (message.body !== part.body || (yield* outbox.isRecorded(message.sid))) continue;
        yield* outbox.markSent(part, message.sid);
        return;
      }
    }
    const marked = yield* outbox.markSending(part);
    if (marked === undefined) return yield* Effect.fail(new Error(`fines ${check.id}: another attempt is sending the answer`));
    const sent = yield* deps.channel.deliver(thread, { body: marked.body, statusCallback: undefined }).pipe(Effect.result);
    if (sent._tag === "Success") return yield* outbox.markSent(marked, sent.success.sid);
    if (!sent.failure.retryable) return yield* outbox.markFailed(marked, sent.failure.message);
    if (!sent.failure.ambiguous) yield* outbox.markPending(marked, sent.failure.message);
    return yield* Effect.fail(sent.failure);
  });
