/**
 * The channels' documented contract (README.md "HTTP API", channels/web/README.md,
 * channels/whatsapp/README.md) at its boundaries: what a client sending exactly the limit, and one
 * past it, gets back. Each case is one request against the in-process server; the expected status
 * and error code come from the documentation, never from the code.
 */
import { randomUUID } from "node:crypto";
import twilio from "twilio";
import { WHATSAPP } from "./app/app-under-test.ts";
import { checkStoredQuote } from "./stored-checks.ts";

export interface ContractCase {
  readonly id: string;
  readonly method: "GET" | "POST" | "DELETE";
  /** Path on the server (built per run: unique ids). */
  readonly path: () => string;
  readonly json?: unknown;
  readonly raw?: { readonly body: string; readonly contentType: string };
  /** A WhatsApp webhook form, signed unless `signature` says otherwise. */
  readonly form?: { readonly params: () => Record<string, string>; readonly signature?: "valid" | "none" | "wrong" };
  /** `message`: text the error's message must contain (e.g. the limit it names). */
  readonly expect: { readonly status: number; readonly code?: string; readonly field?: string; readonly header?: string; readonly message?: string };
  /** After a 201 with a Location header: GET it, expect 200 with the same id. */
  readonly followLocation?: boolean;
}

const id = (length: number) => `e${randomUUID().replace(/-/g, "")}`.padEnd(length, "x").slice(0, length);
const text = (length: number) => "hola ".repeat(Math.ceil(length / 5)).slice(0, length - 1).concat("?");
const form = (overrides: Record<string, string | undefined>) => () => {
  const sid = `SM${randomUUID().replace(/-/g, "")}`;
  const params: Record<string, string | undefined> = {
    MessageSid: sid,
    SmsMessageSid: sid,
    AccountSid: WHATSAPP.accountSid,
    From: `whatsapp:+5215599${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
    To: WHATSAPP.from,
    Body: "hola",
    NumMedia: "0",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
};

export const CONTRACT_CASES: ReadonlyArray<ContractCase> = [
  // HTTP API: POST /v1/conversations/{id}/messages — id 1-128 of [A-Za-z0-9_.:-], text 1-4,000 characters, body ≤ 64 KB.
  { id: "http-id-128-chars", method: "POST", path: () => `/v1/conversations/${id(128)}/messages`, json: { text: "hola" }, expect: { status: 200 } },
  { id: "http-id-129-chars", method: "POST", path: () => `/v1/conversations/${id(129)}/messages`, json: { text: "hola" }, expect: { status: 400 } },
  { id: "http-id-bad-character", method: "POST", path: () => `/v1/conversations/${id(20)}!/messages`, json: { text: "hola" }, expect: { status: 400 } },
  { id: "http-text-4000-chars", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, json: { text: text(4000) }, expect: { status: 200 } },
  { id: "http-text-4001-chars", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, json: { text: text(4001) }, expect: { status: 400 } },
  { id: "http-text-empty", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, json: { text: "   " }, expect: { status: 400 } },
  { id: "http-text-missing", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, json: {}, expect: { status: 400 } },
  { id: "http-malformed-json", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, raw: { body: '{"text": "hola"', contentType: "application/json" }, expect: { status: 400, code: "malformed_json" } },
  { id: "http-body-over-64kb", method: "POST", path: () => `/v1/conversations/${id(30)}/messages`, raw: { body: JSON.stringify({ text: "a".repeat(70_000) }), contentType: "application/json" }, expect: { status: 413, code: "body_too_large", message: "64 KB" } },
  // The admin API takes bodies up to 1 MB (catalog imports); one past it is a 413 that names the limit: 1 MB = 1024 KB.
  { id: "admin-body-over-1mb", method: "POST", path: () => "/v1/admin/catalog/cars", raw: { body: JSON.stringify({ notes: "a".repeat(1024 * 1024) }), contentType: "application/json" }, expect: { status: 413, code: "body_too_large", message: "1024 KB" } },
  { id: "http-history-unknown", method: "GET", path: () => `/v1/conversations/${id(30)}/messages`, expect: { status: 404 } },
  { id: "http-delete-unknown", method: "DELETE", path: () => `/v1/conversations/${id(30)}`, expect: { status: 404 } },
  // Financing quotes: stored, fetchable; down payment below the price; terms 36/48/60/72.
  {
    id: "quote-down-payment-one-below-price",
    method: "POST",
    path: () => "/v1/financing/quotes",
    json: { price: 265_999, downPayment: 265_998, termMonths: [36] },
    expect: { status: 201, header: "location" },
    followLocation: true,
  },
  { id: "quote-down-payment-equal-to-price", method: "POST", path: () => "/v1/financing/quotes", json: { price: 265_999, downPayment: 265_999 }, expect: { status: 400, code: "down_payment_too_high", field: "downPayment" } },
  { id: "quote-term-72", method: "POST", path: () => "/v1/financing/quotes", json: { stockId: 322722, downPayment: 50_000, termMonths: [72] }, expect: { status: 201 }, followLocation: true },
  { id: "quote-term-84", method: "POST", path: () => "/v1/financing/quotes", json: { stockId: 322722, downPayment: 50_000, termMonths: [84] }, expect: { status: 400 } },
  { id: "quote-unknown-car", method: "POST", path: () => "/v1/financing/quotes", json: { stockId: 1, downPayment: 0 }, expect: { status: 404, code: "car_not_found" } },
  { id: "quote-unknown-id", method: "GET", path: () => `/v1/financing/quotes/q_${randomUUID()}`, expect: { status: 404 } },
  // Web widget: POST /api/chat JSON {conversationId 16-100 of [A-Za-z0-9_-], text}; history by id.
  { id: "web-client-id-16-chars", method: "POST", path: () => "/api/chat", json: { conversationId: id(16), text: "hola" }, expect: { status: 200, header: "x-vercel-ai-ui-message-stream" } },
  { id: "web-client-id-15-chars", method: "POST", path: () => "/api/chat", json: { conversationId: id(15), text: "hola" }, expect: { status: 400 } },
  { id: "web-client-id-101-chars", method: "POST", path: () => "/api/chat", json: { conversationId: id(101), text: "hola" }, expect: { status: 400 } },
  { id: "web-not-json", method: "POST", path: () => "/api/chat", raw: { body: "hola", contentType: "text/plain" }, expect: { status: 415 } },
  { id: "web-body-over-16kb", method: "POST", path: () => "/api/chat", raw: { body: JSON.stringify({ conversationId: id(20), text: "a".repeat(17_000) }), contentType: "application/json" }, expect: { status: 413, code: "body_too_large", message: "16 KB" } },
  { id: "web-text-empty", method: "POST", path: () => "/api/chat", json: { conversationId: id(20), text: "  " }, expect: { status: 400 } },
  { id: "web-text-missing", method: "POST", path: () => "/api/chat", json: { conversationId: id(20) }, expect: { status: 400 } },
  { id: "web-text-4001-chars", method: "POST", path: () => "/api/chat", json: { conversationId: id(20), text: text(4001) }, expect: { status: 400 } },
  { id: "web-text-4000-chars", method: "POST", path: () => "/api/chat", json: { conversationId: id(20), text: text(4000) }, expect: { status: 200, header: "x-vercel-ai-ui-message-stream" } },
  // useChat's body (channels/web/README.md): regenerate-message is accepted; an unknown trigger is a 400 invalid_body.
  { id: "web-usechat-regenerate", method: "POST", path: () => "/api/chat", json: { id: id(24), trigger: "regenerate-message", messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "hola" }] }] }, expect: { status: 200, header: "x-vercel-ai-ui-message-stream" } },
  { id: "web-usechat-unknown-trigger", method: "POST", path: () => "/api/chat", json: { id: id(24), trigger: "resubmit", messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "hola" }] }] }, expect: { status: 400, code: "invalid_body" } },
  { id: "web-history-unknown", method: "GET", path: () => `/api/chat/history/${id(20)}`, expect: { status: 404 } },
  { id: "web-history-bad-id", method: "GET", path: () => `/api/chat/history/${id(15)}`, expect: { status: 400 } },
  // WhatsApp webhook: signed by Twilio for the public URL, else 403; a message needs MessageSid and From.
  { id: "whatsapp-unsigned", method: "POST", path: () => "/channels/whatsapp/webhook", form: { params: form({}), signature: "none" }, expect: { status: 403 } },
  { id: "whatsapp-wrong-signature", method: "POST", path: () => "/channels/whatsapp/webhook", form: { params: form({}), signature: "wrong" }, expect: { status: 403 } },
  { id: "whatsapp-from-not-whatsapp", method: "POST", path: () => "/channels/whatsapp/webhook", form: { params: form({ From: "+5215512345678" }) }, expect: { status: 400 } },
  { id: "whatsapp-signed-without-from", method: "POST", path: () => "/channels/whatsapp/webhook", form: { params: form({ From: undefined }) }, expect: { status: 400 } },
];

export interface ContractResult {
  readonly status: number;
  readonly problems: ReadonlyArray<string>;
}

/** Plays one contract case against the server at `baseUrl`; returns what differs from the documented answer. */
export const playContractCase = async (baseUrl: string, spec: ContractCase): Promise<ContractResult> => {
  const path = spec.path();
  const headers: Record<string, string> = {};
  let body: string | URLSearchParams | undefined;
  if (spec.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(spec.json);
  } else if (spec.raw !== undefined) {
    headers["content-type"] = spec.raw.contentType;
    body = spec.raw.body;
  } else if (spec.form !== undefined) {
    const params = spec.form.params();
    headers["content-type"] = "application/x-www-form-urlencoded";
    if (spec.form.signature !== "none")
      headers["x-twilio-signature"] = spec.form.signature === "wrong" ? "bm90IGEgc2lnbmF0dXJl" : twilio.getExpectedTwilioSignature(WHATSAPP.authToken, `${WHATSAPP.publicBaseUrl}${path}`, params);
    body = new URLSearchParams(params);
  }
  const response = await fetch(`${baseUrl}${path}`, { method: spec.method, headers, ...(body === undefined ? {} : { body }) });
  const raw = await response.text();
  let json: { error?: { code?: string; field?: string }; id?: string } | undefined;
  try {
    json = JSON.parse(raw) as typeof json;
  } catch {
    json = undefined;
  }
  const problems: string[] = [];
  if (response.status !== spec.expect.status) problems.push(`answered ${response.status}, the contract says ${spec.expect.status}: ${raw.slice(0, 160)}`);
  if (response.status >= 400 && response.status !== 403 && json?.error?.code === undefined && spec.expect.status >= 400)
    problems.push(`an error without the documented shape {"error": {"code", "message"}}: ${raw.slice(0, 120)}`);
  if (spec.expect.code !== undefined && json?.error?.code !== spec.expect.code) problems.push(`error code ${JSON.stringify(json?.error?.code)}, the contract says ${spec.expect.code}`);
  const message = (json?.error as { message?: unknown } | undefined)?.message;
  if (spec.expect.message !== undefined && !(typeof message === "string" && message.includes(spec.expect.message)))
    problems.push(`error message ${JSON.stringify(message)}, the contract says it names ${JSON.stringify(spec.expect.message)}`);
  if (spec.expect.field !== undefined && json?.error?.field !== spec.expect.field) problems.push(`error field ${JSON.stringify(json?.error?.field)}, the contract says ${spec.expect.field}`);
  if (spec.expect.header !== undefined && response.headers.get(spec.expect.header) === null) problems.push(`no ${spec.expect.header} header`);
  if (spec.followLocation && response.status === 201) {
    const location = response.headers.get("location");
    if (location === null) problems.push("201 without a Location header");
    else {
      const again = await fetch(new URL(location, baseUrl).href);
      const stored = (await again.json().catch(() => undefined)) as { id?: string } | undefined;
      if (again.status !== 200 || stored?.id !== json?.id) problems.push(`GET ${location} answered ${again.status} ${JSON.stringify(stored?.id)}, not the quote just stored (${json?.id})`);
      // The quote as created: its schedules end at 0.00, one row per month (stored-checks.ts).
      problems.push(...checkStoredQuote(String(json?.id), { ...(json as Record<string, unknown>), annualRate: "10%", car: (json as { stockId?: number | null }).stockId ? { stockId: (json as { stockId: number }).stockId } : null }, { status: again.status, body: stored }));
    }
  }
  return { status: response.status, problems };
};
