/**
 * Twilio's Messages REST API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json), with plain fetch so
 * the base URL can point at a local stand-in in tests. Transient failures (429, 5xx, network) are retried.
 */
import { Data, Effect, Schedule } from "effect";

export interface TwilioRestCredentials {
  readonly apiBaseUrl: string;
  readonly accountSid: string;
  /** The account SID with the auth token, or an API key SID with its secret. */
  readonly username: string;
  readonly password: string;
  /** e.g. "whatsapp:+14155238886" */
  readonly from: string;
}

export class TwilioRestError extends Data.TaggedError("TwilioRestError")<{
  readonly status: number | undefined;
  readonly code: number | undefined;
  readonly message: string;
  readonly retryable: boolean;
}> {}

export interface SentMessage {
  readonly sid: string;
  readonly status: string;
}

export const messagesUrl = (credentials: TwilioRestCredentials) =>
  `${credentials.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`;

const postOnce = (credentials: TwilioRestCredentials, form: URLSearchParams) =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(messagesUrl(credentials), {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form,
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      const text = await response.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Twilio answers JSON; anything else is treated as an error below.
      }
      if (!response.ok || typeof json.sid !== "string") {
        throw new TwilioRestError({
          status: response.status,
          code: typeof json.code === "number" ? json.code : undefined,
          message: typeof json.message === "string" ? json.message : `HTTP ${response.status}`,
          retryable: response.status === 429 || response.status >= 500,
        });
      }
      return { sid: json.sid, status: typeof json.status === "string" ? json.status : "queued" } satisfies SentMessage;
    },
    catch: (cause) =>
      cause instanceof TwilioRestError ? cause : new TwilioRestError({ status: undefined, code: undefined, message: String(cause), retryable: true }),
  });

export const sendMessage = (
  credentials: TwilioRestCredentials,
  message: { readonly to: string; readonly body: string; readonly statusCallback: string | undefined },
) => {
  const form = new URLSearchParams({ From: credentials.from, To: message.to, Body: message.body });
  if (message.statusCallback) form.set("StatusCallback", message.statusCallback);
  return postOnce(credentials, form).pipe(
    Effect.retry({ while: (error) => error.retryable, schedule: Schedule.exponential("250 millis").pipe(Schedule.jittered), times: 3 }),
    Effect.withSpan("twilio.messages.create"),
  );
};
