/**
 * WhatsApp (Twilio) as a harness channel (core/channel.ts): its conversations are "wa:<number>";
 * `receive` checks Twilio's signature and reads the webhook into one inbound message whose
 * externalId is the MessageSid; `deliver` sends one WhatsApp message with Twilio's Messages API.
 * The webhook (router.ts) uses `receive`; the reply worker (workers/whatsapp-reply.ts) `deliver`s
 * through the outbox (delivery/outbox.ts). Turn order and locking stay in the harness.
 */
import { Effect, Redacted } from "effect";
import { ChannelRejection, type ChannelAdapter, type InboundMessage } from "../../core/channel.ts";
import type { WhatsAppConfig } from "./config.ts";
import { addressOf, parseInbound, whatsappConversationIds, type WhatsAppMessage } from "./inbound.ts";
import type { MediaDownloadOptions } from "./media.ts";
import { verifySignature } from "./signature.ts";
import { createMessage, listMessages, TwilioRestError, type ListedMessage, type SentMessage, type TwilioRestCredentials } from "./twilio-rest.ts";

export const CHANNEL = "whatsapp";

/** A webhook as the router hands it over: the URL Twilio called (and signed), its signature, its form fields. */
export interface WebhookRequest {
  readonly url: string;
  readonly signature: string | undefined;
  readonly params: Record<string, unknown>;
}

/** The harness's inbound message, with what Twilio said about it. */
export interface WhatsAppInbound extends InboundMessage {
  readonly externalId: string;
  readonly message: WhatsAppMessage;
}

/** One WhatsApp message to send. */
export interface OutgoingMessage {
  readonly body: string;
  /** Where Twilio reports its delivery statuses. */
  readonly statusCallback: string | undefined;
}

export interface WhatsAppChannel extends ChannelAdapter<WebhookRequest, OutgoingMessage, TwilioRestError> {
  readonly receive: (request: WebhookRequest) => Effect.Effect<WhatsAppInbound, ChannelRejection>;
  /** Sends one message to the thread (the number's digits), one attempt; answers Twilio's SID. */
  readonly deliver: (thread: string, message: OutgoingMessage) => Effect.Effect<SentMessage, TwilioRestError>;
  /** Twilio's recent messages to the thread, newest first (to settle a send whose outcome is unknown). */
  readonly recentlySent: (thread: string) => Effect.Effect<ReadonlyArray<ListedMessage>, TwilioRestError>;
  /** Whether replies can be sent by REST at all (credentials and sender configured). */
  readonly canDeliver: boolean;
  /** How media of inbound messages are downloaded. */
  readonly mediaOptions: (message: WhatsAppMessage) => MediaDownloadOptions;
}

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

const notConfigured = () =>
  new TwilioRestError({ status: undefined, code: undefined, message: "Twilio REST credentials are not configured", retryable: false, ambiguous: false });

export const whatsappChannel = (config: WhatsAppConfig): WhatsAppChannel => {
  const credentials = restCredentials(config);
  const authToken = config.authToken ? Redacted.value(config.authToken) : undefined;
  return {
    name: CHANNEL,
    conversationIds: whatsappConversationIds,
    canDeliver: credentials !== undefined,
    receive: (request) =>
      Effect.gen(function* () {
        if (config.validateSignature && (authToken === undefined || !verifySignature(authToken, request.signature, request.url, request.params))) {
          return yield* new ChannelRejection({ status: 403, code: "forbidden", message: "Invalid or missing Twilio signature." });
        }
        const parsed = parseInbound(request.params);
        if (!parsed.ok) return yield* new ChannelRejection({ status: 400, code: "invalid_request", message: parsed.reason });
        const inbound: WhatsAppInbound = {
          conversationId: parsed.message.conversationId,
          text: parsed.message.body,
          externalId: parsed.message.messageSid,
          message: parsed.message,
        };
        return inbound;
      }),
    deliver: (thread, message) =>
      credentials ? createMessage(credentials, { to: addressOf(thread), body: message.body, statusCallback: message.statusCallback }) : Effect.fail(notConfigured()),
    recentlySent: (thread) => (credentials ? listMessages(credentials, addressOf(thread)) : Effect.fail(notConfigured())),
    mediaOptions: (message) => {
      const accountSid = config.accountSid ?? message.accountSid;
      const basicAuth =
        config.apiKeySid && config.apiKeySecret
          ? { username: config.apiKeySid, password: Redacted.value(config.apiKeySecret) }
          : accountSid && authToken
            ? { username: accountSid, password: authToken }
            : undefined;
      return { allowedOrigin: config.apiBaseUrl, basicAuth };
    },
  };
};
