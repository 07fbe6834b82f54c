/** W3C trace context helpers shared by the eval's provider and its in-process server. */
import { ROOT_CONTEXT, TraceFlags, trace, type Context as OtelContext } from "@opentelemetry/api";
import { randomBytes } from "node:crypto";

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The OpenTelemetry context of a W3C traceparent, or the root context without a valid one. */
export const parentContext = (traceparent: string | undefined): OtelContext => {
  const parts = traceparent?.trim().match(TRACEPARENT);
  if (!parts || /^0+$/.test(parts[2]!) || /^0+$/.test(parts[3]!)) return ROOT_CONTEXT;
  const sampled = (parseInt(parts[4]!, 16) & 1) === 1;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: parts[2]!, spanId: parts[3]!, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true });
};

/** The trace id of a traceparent, when it is valid. */
export const traceIdOf = (traceparent: string | undefined): string | undefined => {
  const parts = traceparent?.trim().match(TRACEPARENT);
  return parts && !/^0+$/.test(parts[2]!) ? parts[2] : undefined;
};

/** A fresh sampled traceparent (a trace of the eval's own, when promptfoo gave none). */
export const newTraceparent = (): string => `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
