/**
 * The WhatsApp channel (Twilio): POST /webhook for inbound messages, POST /status for delivery
 * statuses. Mounted by the app at /channels/whatsapp. See README.md for inline vs REST replies.
 */
import { Effect, Redacted } from "effect";
import express, { type Request, type Response, Router } from "express";
import type { Agent } from "../../core/agent.ts";
import { ChannelEventStore, type InboundRecord } from "./delivery/channel-event-store.ts";
import { answerInbound } from "./answer.ts";
import type { WhatsAppConfig } from "./config.ts";
import { type InboundMessage, parseInbound } from "./inbound.ts";
import { KeyedQueue } from "./arrival-order.ts";
import type { MediaDownloadOptions } from "./media.ts";
import { REPLIES } from "./replies.ts";
import { hasValidSignature, publicOrigin, type SignatureOptions } from "./signature.ts";
import { sendMessage, type TwilioRestCredentials } from "./twilio-rest.ts";
import { twimlReply } from "./twiml.ts";

export const CHANNEL = "whatsapp";
/** Twilio gives up on a webhook after 15 s; without REST credentials the answer must come before that. */
export const MAX_INLINE_WAIT_MS = 13_000;
/** A message still "processing" this long after it arrived belongs to a process that died mid-turn. */
const ORPHAN_AFTER_MS = 90_000;

export interface WhatsAppRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Agent | ChannelEventStore>) => Promise<A>;
  readonly config: WhatsAppConfig;
}

type Decision = "inline" | "rest";

/** REST credentials when everything needed to send is configured; otherwise replies go inline only. */
export const restCredentials = (config: WhatsAppConfig): TwilioRestCredentials | undefined => {
  if (!config.accountSid || !config.whatsappFrom) return undefined;
  const auth =
    config.apiKeySid && config.apiKeySecret
      ? { username: config.apiKeySid, password: Redacted.value(config.apiKeySecret) }
      : config.authToken
        ? { username: config.accountSid, password: Redacted.value(config.authToken) }
        : undefined;
  if (!auth) return undefined;
  return { apiBaseUrl: config.apiBaseUrl, accountSid: config.accountSid, from: config.whatsappFrom, ...auth };
};

const mediaOptions = (config: WhatsAppConfig, message: InboundMessage): MediaDownloadOptions => {
  const accountSid = config.accountSid ?? message.accountSid;
  const basicAuth =
    config.apiKeySid && config.apiKeySecret
      ? { username: config.apiKeySid, password: Redacted.value(config.apiKeySecret) }
      : accountSid && config.authToken
        ? { username: accountSid, password: Redacted.value(config.authToken) }
        : undefined;
  return { allowedOrigin: config.apiBaseUrl, basicAuth };
};

const deferred = <A>() => {
  let resolve!: (value: A) => void;
  const promise = new Promise<A>((r) => (resolve = r));
  return { promise, resolve };
};

/** Resolves with the promise's value, or undefined after `ms`; the timer never outlives the race. */
const within = <A>(promise: Promise<A>, ms: number): Promise<A | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

const errorBody = (code: string, message: string) => ({ error: { code, message } });

export const whatsappRouter = (deps: WhatsAppRouterDeps): Router => {
  const { run, config } = deps;
  const credentials = restCredentials(config);
  const signature: SignatureOptions = { publicBaseUrl: config.publicBaseUrl, trustForwardedHeaders: config.trustForwardedHeaders };
  // One number at a time, in arrival order: the queue is taken synchronously when the webhook arrives.
  const lanes = new KeyedQueue();
  const inlineWaitMs = credentials ? Math.min(Math.max(config.inlineBudgetMs, 0), MAX_INLINE_WAIT_MS) : MAX_INLINE_WAIT_MS;
  const log = (effect: Effect.Effect<void>) => void run(effect).catch(() => undefined);

  if (!config.validateSignature) {
    log(Effect.logWarning("TWILIO_VALIDATE_SIGNATURE=false: WhatsApp webhooks are NOT authenticated. Use this only for local development."));
  } else if (!config.authToken) {
    log(Effect.logWarning("TWILIO_AUTH_TOKEN is not set: every WhatsApp webhook will be rejected with 403."));
  }
  log(
    Effect.logInfo(
      credentials
        ? `WhatsApp replies: inline TwiML when ready within ${inlineWaitMs} ms, otherwise through Twilio's Messages API`
        : "WhatsApp replies: inline TwiML only (no Twilio REST credentials configured)",
    ),
  );

  const authentic = (req: Request): boolean =>
    !config.validateSignature || (config.authToken !== undefined && hasValidSignature(req, Redacted.value(config.authToken), signature));

  const sendAll = async (message: InboundMessage, parts: ReadonlyArray<string>, statusCallback: string) => {
    if (!credentials) return;
    for (const [partIndex, body] of parts.entries()) {
      const sent = await run(sendMessage(credentials, { to: message.from, body, statusCallback }));
      await run(
        ChannelEventStore.use((store) =>
          store.recordOutbound({
            channel: CHANNEL,
            externalId: sent.sid,
            inboundExternalId: message.messageSid,
            conversationId: message.conversationId,
            partIndex,
            status: sent.status,
          }),
        ),
      );
    }
  };

  /** What a repeated MessageSid gets: the stored inline answer, or nothing when it went (or goes) by REST. */
  const replayOf = (existing: InboundRecord): string[] =>
    existing.status === "answered" && existing.delivery === "inline" ? [...(existing.replyParts ?? [])] : [];

  const isOrphan = (existing: InboundRecord) =>
    existing.status === "processing" && Date.now() - existing.receivedAt.getTime() > ORPHAN_AFTER_MS;

  /**
   * Queues the message in its number's lane right away (keeping arrival order). `ready` resolves with
   * the messages to send; the webhook then decides whether they go inline or by REST.
   */
  const startTurn = (message: InboundMessage, statusCallback: string) => {
    const ready = deferred<string[]>();
    const decision = deferred<Decision>();
    const done = lanes.run(message.conversationId, async () => {
      let parts: string[] = [REPLIES.agentFailed];
      let isNew = false;
      try {
        const claim = await run(
          ChannelEventStore.use((store) =>
            store.claimInbound({ channel: CHANNEL, externalId: message.messageSid, conversationId: message.conversationId }),
          ),
        );
        isNew = claim.claimed || isOrphan(claim.existing);
        parts = claim.claimed || isNew ? await run(answerInbound(message, mediaOptions(config, message))) : replayOf(claim.existing);
      } catch (error) {
        log(Effect.logError("whatsapp turn failed before answering", error));
      }
      ready.resolve(parts);
      const mode = await decision.promise;
      try {
        if (mode === "rest" && parts.length > 0) await sendAll(message, parts, statusCallback);
      } catch (error) {
        log(Effect.logError(`whatsapp REST send failed for ${message.messageSid}`, error));
      }
      if (isNew) {
        await run(
          ChannelEventStore.use((store) =>
            store.completeInbound({ channel: CHANNEL, externalId: message.messageSid, replyParts: parts, delivery: mode }),
          ),
        ).catch((error: unknown) => log(Effect.logError(`whatsapp could not store the reply of ${message.messageSid}`, error)));
      }
    });
    return { ready: ready.promise, decide: decision.resolve, done };
  };

  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "100kb" });

  router.post("/webhook", form, async (req: Request, res: Response) => {
    if (!authentic(req)) {
      res.status(403).json(errorBody("forbidden", "Invalid or missing Twilio signature."));
      return;
    }
    const parsed = parseInbound((req.body ?? {}) as Record<string, unknown>);
    if (!parsed.ok) {
      res.status(400).json(errorBody("invalid_request", parsed.reason));
      return;
    }
    const statusCallback = `${publicOrigin(req, signature)}${req.baseUrl}/status`;
    const turn = startTurn(parsed.message, statusCallback);
    const parts = await within(turn.ready, inlineWaitMs);
    if (parts !== undefined) {
      turn.decide("inline");
      res.type("text/xml").send(twimlReply(parts));
    } else if (credentials) {
      turn.decide("rest");
      res.type("text/xml").send(twimlReply([]));
    } else {
      // No way to send later: say so kindly; the late answer is stored for a retried webhook.
      turn.decide("inline");
      res.type("text/xml").send(twimlReply([REPLIES.stillWorking]));
    }
  });

  router.post("/status", form, async (req: Request, res: Response) => {
    if (!authentic(req)) {
      res.status(403).json(errorBody("forbidden", "Invalid or missing Twilio signature."));
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sid = typeof body.MessageSid === "string" ? body.MessageSid : undefined;
    const status = typeof body.MessageStatus === "string" ? body.MessageStatus : typeof body.SmsStatus === "string" ? body.SmsStatus : undefined;
    if (!sid || !status || sid.length > 64 || status.length > 32) {
      res.status(400).json(errorBody("invalid_request", "MessageSid and MessageStatus are required."));
      return;
    }
    const errorCode = typeof body.ErrorCode === "string" && body.ErrorCode !== "" ? body.ErrorCode.slice(0, 16) : null;
    try {
      await run(ChannelEventStore.use((store) => store.recordDeliveryStatus({ channel: CHANNEL, externalId: sid, status, errorCode })));
      res.status(204).end();
    } catch (error) {
      log(Effect.logError("whatsapp status callback not recorded", error));
      res.status(500).json(errorBody("internal", "The status could not be recorded."));
    }
  });

  return router;
};
