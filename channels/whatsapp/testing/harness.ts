/**
 * Runs the WhatsApp channel on a real HTTP server (router, inbox, job queue and reply workers, over a
 * test database) and sends it webhooks signed the way Twilio signs them.
 */
import { Effect, Layer, Logger, ManagedRuntime, Redacted } from "effect";
import express from "express";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import type { Agent } from "../../../core/agent.ts";
import { ChannelEventStore } from "../delivery/channel-event-store.ts";
import { WhatsAppInbox, type ReplyRetry } from "../delivery/inbox.ts";
import { WhatsAppOutbox } from "../delivery/outbox.ts";
import { ReplySignals } from "../delivery/reply-signals.ts";
import { Database, type DatabaseShape } from "../../../knowledge/db/database.ts";
import { JobQueue } from "../../../workers/queue.ts";
import { whatsappReplyWorker } from "../../../workers/whatsapp-reply.ts";
import type { WhatsAppConfig } from "../config.ts";
import { whatsappRouter } from "../router.ts";

export const AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
export const ACCOUNT_SID = `AC${"a".repeat(32)}`;
export const SANDBOX_FROM = "whatsapp:+14155238886";
/** Deliberately not the address the test server listens on: signatures must be checked against it. */
export const PUBLIC_BASE_URL = "https://bot.example.test";
export const MOUNT = "/channels/whatsapp";

export const testConfig = (overrides: Partial<WhatsAppConfig> = {}): WhatsAppConfig => ({
  authToken: Redacted.make(AUTH_TOKEN),
  accountSid: undefined,
  apiKeySid: undefined,
  apiKeySecret: undefined,
  whatsappFrom: undefined,
  publicBaseUrl: PUBLIC_BASE_URL,
  trustForwardedHeaders: false,
  validateSignature: true,
  apiBaseUrl: "https://api.twilio.com",
  inlineBudgetMs: 3000,
  ...overrides,
});

let sidCounter = 0;
/** A MessageSid shaped like Twilio's (SM + 32 hex). */
export const newMessageSid = () => `SM${(Date.now().toString(16) + (++sidCounter).toString(16).padStart(8, "0")).padStart(32, "0")}`;

/** The form fields Twilio posts for an inbound WhatsApp message. */
export const inboundParams = (input: {
  readonly sid?: string;
  readonly from: string;
  readonly body: string;
  readonly media?: ReadonlyArray<{ readonly url: string; readonly contentType: string }>;
}): Record<string, string> => {
  const sid = input.sid ?? newMessageSid();
  const params: Record<string, string> = {
    SmsMessageSid: sid,
    NumMedia: String(input.media?.length ?? 0),
    ProfileName: "Cliente de Prueba",
    MessageType: input.media?.length ? "image" : "text",
    SmsSid: sid,
    WaId: input.from.replace(/^whatsapp:\+/, ""),
    SmsStatus: "received",
    Body: input.body,
    To: SANDBOX_FROM,
    NumSegments: "1",
    ReferralNumMedia: "0",
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: input.from,
    ApiVersion: "2010-04-01",
  };
  for (const [i, item] of (input.media ?? []).entries()) {
    params[`MediaUrl${i}`] = item.url;
    params[`MediaContentType${i}`] = item.contentType;
  }
  return params;
};

export interface LogLine {
  readonly level: string;
  readonly message: string;
}

export interface PostOptions {
  /** null sends no signature; a string sends that one; by default the request is signed. */
  readonly signature?: string | null;
  /** The origin the signature is computed for (default PUBLIC_BASE_URL). */
  readonly signFor?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs form fields to `{localUrl}{MOUNT}{path}`, signed as Twilio signs for `{signFor}{MOUNT}{path}`. */
export const signedPost = async (localUrl: string, path: string, params: Record<string, string>, options: PostOptions = {}) => {
  const url = `${options.signFor ?? PUBLIC_BASE_URL}${MOUNT}${path}`;
  const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, url, params) : options.signature;
  const started = performance.now();
  const response = await fetch(`${localUrl}${MOUNT}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "TwilioProxy/1.1",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
      ...options.headers,
    },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
};

export type HarnessServices = Agent | ChannelEventStore | WhatsAppInbox | WhatsAppOutbox | ReplySignals | JobQueue;

export interface WhatsAppHarness {
  readonly localUrl: string;
  readonly logs: LogLine[];
  readonly runtime: ManagedRuntime.ManagedRuntime<HarnessServices, unknown>;
  /** The reply queue of this harness (each harness has its own, so tests never pick up each other's jobs). */
  readonly queue: string;
  /** POSTs to `path` (e.g. "/webhook"), signed for PUBLIC_BASE_URL unless told otherwise. */
  readonly post: (path: string, params: Record<string, string>, options?: PostOptions) => Promise<{ status: number; text: string; ms: number }>;
  readonly close: () => Promise<void>;
}

/** Retries right away: tests do not wait for back-off. */
export const TEST_RETRY: ReplyRetry = { limit: 4, delaySeconds: 0, maxDelaySeconds: 0 };

export const startWhatsApp = async (input: {
  readonly config: WhatsAppConfig;
  readonly agent: Layer.Layer<Agent>;
  readonly database: DatabaseShape;
  readonly retry?: ReplyRetry;
  readonly concurrency?: number;
  /** Share another harness's reply queue (two instances of one deployment); by default a queue of its own. */
  readonly queue?: string;
}): Promise<WhatsAppHarness> => {
  const logs: LogLine[] = [];
  const capture = Logger.make<unknown, void>(({ logLevel, message }) => {
    logs.push({ level: logLevel, message: (Array.isArray(message) ? message : [message]).map(String).join(" ") });
  });
  const queue = input.queue ?? `whatsapp-replies-test-${randomBytes(4).toString("hex")}`;
  const database = Layer.succeed(Database, input.database);
  const services = Layer.mergeAll(WhatsAppInbox.layerWith({ queue, retry: input.retry ?? TEST_RETRY }), WhatsAppOutbox.layer, ReplySignals.layer, ChannelEventStore.layer).pipe(
    Layer.provideMerge(JobQueue.layerWith({ superviseIntervalSeconds: 1 })),
    Layer.provide(database),
  );
  const worker = whatsappReplyWorker({ config: input.config, concurrency: input.concurrency ?? 4, pollMs: 200 });
  const runtime = ManagedRuntime.make(worker.pipe(Layer.provideMerge(services), Layer.provideMerge(input.agent), Layer.provideMerge(Logger.layer([capture]))));
  await runtime.runPromise(JobQueue.use(() => Effect.void));
  const app = express();
  app.use(MOUNT, whatsappRouter({ run: (effect) => runtime.runPromise(effect), config: input.config }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    localUrl,
    logs,
    runtime,
    queue,
    post: (path, params, options) => signedPost(localUrl, path, params, options),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await runtime.dispose();
    },
  };
};

/** The <Message> bodies of a TwiML answer, unescaped. */
export const twimlMessages = (xml: string): string[] =>
  [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) =>
    match[1]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&"),
  );
