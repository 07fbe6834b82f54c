/**
 * Twilio's Messages REST API with plain fetch, so the base URL can point at a local stand-in in tests:
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json creates (sends) a message, GET on the same path
 * lists recent ones. One call per function: retries and their bookkeeping belong to the outbox
 * (delivery/outbox.ts), because a failed POST may still have been accepted by Twilio.
 */
import { Data, Effect } from "effect";

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
  /** Worth trying again later (429, 5xx, network). */
  readonly retryable: boolean;
  /** Twilio may have accepted the message anyway (no answer, or a 5xx): check its log before sending again. */
  readonly ambiguous: boolean;
}> {}

export interface SentMessage {
  readonly sid: string;
  readonly status: string;
}

export interface ListedMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly status: string;
  readonly dateCreated: Date | undefined;
}

/** A POST gets this long. It must stay below the job heartbeat (10 s): see delivery/outbox.ts. */
export const REQUEST_TIMEOUT_MS = 8_000;

export const messagesUrl = (credentials: TwilioRestCredentials) =>
  `${credentials.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`;

const authorization = (credentials: TwilioRestCredentials) => `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;

const call = <A>(credentials: TwilioRestCredentials, init: { method: "GET" | "POST"; url: string; body?: URLSearchParams }, read: (json: Record<string, unknown>) => A | undefined) =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(init.url, {
        method: init.method,
        headers: {
          authorization: authorization(credentials),
          accept: "application/json",
          ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(init.body ? { body: init.body } : {}),
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await response.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Twilio answers JSON; anything else is treated as an error below.
      }
      const value = response.ok ? read(json) : undefined;
      if (value === undefined) {
        throw new TwilioRestError({
          status: response.status,
          code: typeof json.code === "number" ? json.code : undefined,
          message: typeof json.message === "string" ? json.message : `HTTP ${response.status}`,
          retryable: response.status === 429 || response.status >= 500,
          ambiguous: response.status >= 500 || (response.ok && init.method === "POST"),
        });
      }
      return value;
    },
    catch: (cause) =>
      cause instanceof TwilioRestError
        ? cause
        : new TwilioRestError({ status: undefined, code: undefined, message: String(cause), retryable: true, ambiguous: init.method === "POST" }),
  });

/** One POST: Twilio accepts the message (and answers its SID) or refuses it. */
export const createMessage = (
  credentials: TwilioRestCredentials,
  message: { readonly to: string; readonly body: string; readonly statusCallback: string | undefined },
) => {
  const body = new URLSearchParams({ From: credentials.from, To: message.to, Body: message.body });
  if (message.statusCallback) body.set("StatusCallback", message.statusCallback);
  return call(credentials, { method: "POST", url: messagesUrl(credentials), body }, (json): SentMessage | undefined =>
    typeof json.sid === "string" ? { sid: json.sid, status: typeof json.status === "string" ? json.status : "queued" } : undefined,
  ).pipe(Effect.withSpan("twilio.messages.create"));
};

/** The most recent messages from our sender to `to` (newest first), as Twilio's log has them. */
export const listMessages = (credentials: TwilioRestCredentials, to: string, pageSize = 50) => {
  const url = `${messagesUrl(credentials)}?${new URLSearchParams({ To: to, From: credentials.from, PageSize: String(pageSize) })}`;
  return call(credentials, { method: "GET", url }, (json): ListedMessage[] | undefined => {
    if (!Array.isArray(json.messages)) return undefined;
    return (json.messages as Array<Record<string, unknown>>).map((item) => ({
      sid: String(item.sid ?? ""),
      to: String(item.to ?? ""),
      from: String(item.from ?? ""),
      body: String(item.body ?? ""),
      status: String(item.status ?? ""),
      dateCreated: typeof item.date_created === "string" ? new Date(item.date_created) : undefined,
    }));
  }).pipe(Effect.withSpan("twilio.messages.list"));
};
