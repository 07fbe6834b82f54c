/** A span as the trace store keeps it (and GET /v1/traces returns it). */
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly startTimeMs: number;
  readonly durationMs: number;
  readonly status: "ok" | "error" | "unset";
  readonly statusMessage: string | undefined;
  readonly attributes: Record<string, unknown>;
  readonly events: ReadonlyArray<{ readonly name: string; readonly attributes: Record<string, unknown> }>;
}

const hrToMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

export const toStoredSpan = (span: ReadableSpan): StoredSpan => ({
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  name: span.name,
  startTimeMs: hrToMs(span.startTime),
  durationMs: hrToMs(span.duration),
  status: span.status.code === 2 ? "error" : span.status.code === 1 ? "ok" : "unset",
  statusMessage: span.status.message,
  // An ended span's attributes no longer change: shared, not copied.
  attributes: span.attributes,
  events: span.events.length === 0 ? [] : span.events.map((event) => ({ name: event.name, attributes: event.attributes ?? {} })),
});

/** The agent's turn span (core/agent-live.ts) and where it names its conversation and channel. */
export const TURN_SPAN_NAME = "chat.turn";
export const conversationOf = (span: StoredSpan): string | undefined => {
  const value = span.attributes["chat.conversation_id"] ?? span.attributes["gen_ai.conversation.id"];
  return typeof value === "string" && value !== "" ? value : undefined;
};
export const channelOf = (span: StoredSpan): string | undefined => {
  const value = span.attributes["chat.channel"];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/** The tool a span executes (the AI SDK's `execute_tool <name>` spans), if it is one. */
export const toolOf = (span: StoredSpan): string | undefined => {
  if (!span.name.startsWith("execute_tool ")) return undefined;
  const named = span.attributes["gen_ai.tool.name"];
  return typeof named === "string" && named !== "" ? named : span.name.slice("execute_tool ".length);
};

/** Requests that are not worth keeping (health checks, metrics scrapes, the inspector itself). */
const NOISE_PATHS = ["/health", "/metrics", "/inspector", "/v1/traces", "/widget.js", "/favicon.ico"];
export const isNoiseRoot = (span: StoredSpan): boolean => {
  if (span.parentSpanId !== undefined) return false;
  const path = span.attributes["url.path"] ?? span.attributes["http.route"] ?? span.attributes["http.target"];
  const target = typeof path === "string" ? path : / (\/\S*)$/.exec(span.name)?.[1];
  if (target === undefined) return false;
  if (NOISE_PATHS.some((prefix) => target === prefix || target.startsWith(`${prefix}/`) || target.startsWith(`${prefix}?`))) return true;
  // A delivery status from Twilio answered fine is only an acknowledgement. (The webhook is not: a
  // message's reply job continues the webhook's trace, so its turn is in that trace.)
  const status = Number(span.attributes["http.response.status_code"]);
  return target.startsWith("/channels/whatsapp/status") && Number.isFinite(status) && status < 400;
};
