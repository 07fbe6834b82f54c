/**
 * The WhatsApp channel's routes (Twilio): POST /webhook for inbound messages, POST /status for
 * delivery statuses. Mounted by the app at /channels/whatsapp. See README.md.
 *
 * The webhook stores the message and enqueues its reply job (one transaction) before it answers,
 * then waits up to the inline budget for the job's reply: ready in time, it answers inline (TwiML);
 * otherwise it acknowledges with an empty answer and the worker sends the reply by REST. Which of the
 * two delivers is decided once, in the database, so a reply is never delivered both ways.
 */
import { Effect, Redacted, Result } from "effect";
import express, { type Request, type Response, Router } from "express";
import { currentTraceparent } from "../../observability/trace-context.ts";
import { sendError, sendRejection } from "../errors.ts";
import { whatsappChannel } from "./channel.ts";
import { inlineWaitMs, type WhatsAppConfig } from "./config.ts";
import { ChannelEventStore } from "./delivery/channel-event-store.ts";
import { WhatsAppInbox, type InboxRecord, type StoredMessage } from "./delivery/inbox.ts";
import { ReplySignals } from "./delivery/reply-signals.ts";
import { statusFormSchema } from "./inbound.ts";
import { REPLIES } from "./replies.ts";
import { hasValidSignature, publicOrigin, signedUrl, type SignatureOptions } from "./signature.ts";
import { twimlReply } from "./twiml.ts";

export { CHANNEL, restCredentials } from "./channel.ts";
export { MAX_INLINE_WAIT_MS } from "./config.ts";

/** What the webhook needs from the application. */
export type WhatsAppWebhookServices = WhatsAppInbox | ReplySignals | ChannelEventStore;

export interface WhatsAppRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, WhatsAppWebhookServices>) => Promise<A>;
  readonly config: WhatsAppConfig;
}

/** Waiters re-read the row at least this often (notifications normally wake them first). */
const POLL_MS = 250;

export const whatsappRouter = (deps: WhatsAppRouterDeps): Router => {
  const { run, config } = deps;
  const channel = whatsappChannel(config);
  const signature: SignatureOptions = { publicBaseUrl: config.publicBaseUrl, trustForwardedHeaders: config.trustForwardedHeaders };
  const waitMs = inlineWaitMs(config, channel.canDeliver);
  const log = (effect: Effect.Effect<void>) => void run(effect).catch(() => undefined);

  if (!config.validateSignature) {
    log(Effect.logWarning("TWILIO_VALIDATE_SIGNATURE=false: WhatsApp webhooks are NOT authenticated. Use this only for local development."));
  } else if (!config.authToken) {
    log(Effect.logWarning("TWILIO_AUTH_TOKEN is not set: every WhatsApp webhook will be rejected with 403."));
  }
  log(
    Effect.logInfo(
      channel.canDeliver
        ? `WhatsApp replies: inline TwiML when ready within ${waitMs} ms, otherwise through Twilio's Messages API`
        : "WhatsApp replies: inline TwiML only (no Twilio REST credentials configured)",
    ),
  );

  /**
   * The webhook's answer for a stored message: its reply inline when this request gets to deliver it,
   * nothing when the reply goes (or went) by REST, "still working" when neither is possible in time.
   */
  const answerFor = (initial: InboxRecord, deadline: number) =>
    Effect.gen(function* () {
      const inbox = yield* WhatsAppInbox;
      const signals = yield* ReplySignals;
      let record = initial;
      for (;;) {
        if (record.delivery === "inline") return [...(record.replyParts ?? [])];
        // By REST: nothing inline, unless REST delivery failed for good (a retried webhook is then the only way to reach the user).
        if (record.delivery === "rest") return record.status === "failed" ? [REPLIES.agentFailed] : [];
        if (record.replyParts) {
          yield* inbox.claimDelivery(record.externalId, "inline");
        } else if (record.status === "failed") {
          return [REPLIES.agentFailed];
        } else if (Date.now() >= deadline) {
          if (!channel.canDeliver) return [REPLIES.stillWorking];
          yield* inbox.claimDelivery(record.externalId, "rest", { force: true });
        } else {
          yield* signals.wait(record.externalId, Math.min(POLL_MS, deadline - Date.now()));
        }
        record = (yield* inbox.get(record.externalId)) ?? record;
      }
    });

  const handleWebhook = (message: StoredMessage) =>
    Effect.gen(function* () {
      const deadline = Date.now() + waitMs;
      const inbox = yield* WhatsAppInbox;
      // The reply is produced by a job: it continues this request's trace (observability/trace-context.ts).
      const traceparent = yield* currentTraceparent;
      const accepted = yield* inbox.accept({ ...message, traceparent }, { inlineMs: waitMs, delivery: channel.canDeliver && waitMs === 0 ? "rest" : null }).pipe(Effect.result);
      if (Result.isFailure(accepted)) {
        // Not stored, so nobody will answer it: say so now.
        yield* Effect.logError(`whatsapp ${message.messageSid} could not be stored`, accepted.failure);
        return [REPLIES.agentFailed];
      }
      return yield* answerFor(accepted.success.record, deadline).pipe(
        Effect.catch((error) =>
          // Stored: the worker answers it (by REST once the inline window closes), or a retried webhook does.
          Effect.logError(`whatsapp ${message.messageSid}: waiting for the reply failed`, error).pipe(
            Effect.as(channel.canDeliver ? [] : [REPLIES.stillWorking]),
          ),
        ),
      );
    }).pipe(Effect.withSpan("whatsapp.webhook", { attributes: { "messaging.message.id": message.messageSid } }));

  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "100kb" });

  router.post("/webhook", form, async (req: Request, res: Response) => {
    const statusCallback = channel.canDeliver ? `${publicOrigin(req, signature)}${req.baseUrl}/status` : undefined;
    const request = { url: signedUrl(req, signature), signature: req.get("x-twilio-signature"), params: (req.body ?? {}) as Record<string, unknown> };
    const answer = await run(
      channel.receive(request).pipe(
        Effect.flatMap((inbound) => handleWebhook({ ...inbound.message, statusCallback })),
        Effect.result,
      ),
    ).catch(() => Result.succeed([REPLIES.agentFailed]));
    if (Result.isFailure(answer)) sendRejection(res, answer.failure);
    else res.type("text/xml").send(twimlReply(answer.success));
  });

  router.post("/status", form, async (req: Request, res: Response) => {
    if (config.validateSignature && (config.authToken === undefined || !hasValidSignature(req, authTokenOf(config), signature))) {
      sendError(res, 403, "forbidden", "Invalid or missing Twilio signature.");
      return;
    }
    const form = statusFormSchema.safeParse(req.body ?? {});
    const sid = form.success ? form.data.MessageSid : undefined;
    const status = form.success ? (form.data.MessageStatus ?? form.data.SmsStatus) : undefined;
    if (!form.success || !sid || !status) {
      sendError(res, 400, "invalid_request", "MessageSid and MessageStatus are required.");
      return;
    }
    const errorCode = form.data.ErrorCode ? form.data.ErrorCode.slice(0, 16) : null;
    try {
      await run(ChannelEventStore.use((store) => store.recordDeliveryStatus({ channel: "whatsapp", externalId: sid, status, errorCode })));
      res.status(204).end();
    } catch (error) {
      log(Effect.logError("whatsapp status callback not recorded", error));
      sendError(res, 503, "storage_unavailable", "The status could not be recorded right now.");
    }
  });

  return router;
};

const authTokenOf = (config: WhatsAppConfig): string => {
  const token = config.authToken;
  return token ? Redacted.value(token) : "";
};
