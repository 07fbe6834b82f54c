/**
 * A trace carried through a job: the W3C `traceparent` of the span that enqueued the work (stored
 * with the job or its row), and how the job's spans continue it.
 *
 * - Child of the enqueuing span when the job starts soon after (`CHILD_WINDOW_MS`): the normal case
 *   of a WhatsApp reply, whose worker picks the job up within the webhook's inline window. The
 *   webhook's HTTP server span is then the root of the turn's waterfall, in the inspector and in
 *   any OTLP backend, and the turn is found from the request that carried the message.
 * - A new trace with a link to the enqueuing span when the job starts later (a retry after
 *   back-off, a backlog, a worker that was down): a child starting minutes after its root ended
 *   would stretch that trace over every retry; the link still leads from one to the other.
 */
import { Effect, Tracer } from "effect";

/** Jobs that start within this long of their message are children of the enqueuing span. */
export const CHILD_WINDOW_MS = 60_000;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` of a span's context. */
export const traceparentOf = (span: { readonly traceId: string; readonly spanId: string; readonly sampled: boolean }): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`;

/** The `traceparent` of the running span (Effect's, joined to OpenTelemetry's), if any. */
export const currentTraceparent: Effect.Effect<string | undefined> = Effect.currentSpan.pipe(
  Effect.map(traceparentOf),
  Effect.orElseSucceed(() => undefined),
);

/** The span a `traceparent` names, or undefined when it is missing or malformed. */
export const spanOfTraceparent = (traceparent: string | undefined | null): Tracer.ExternalSpan | undefined => {
  const match = typeof traceparent === "string" ? TRACEPARENT.exec(traceparent) : null;
  if (match === null || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return Tracer.externalSpan({ traceId: match[1]!, spanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 });
};

export type Continuation = "child" | "link" | "none";

/** How a job enqueued at `enqueuedAt` continues its trace when it starts `now`. */
export const continuationOf = (traceparent: string | undefined | null, enqueuedAt: Date, now = Date.now()): Continuation =>
  spanOfTraceparent(traceparent) === undefined ? "none" : now - enqueuedAt.getTime() <= CHILD_WINDOW_MS ? "child" : "link";

/**
 * Runs `effect` as a span named `name` that continues the enqueuing trace: its child when the job
 * starts within CHILD_WINDOW_MS of `enqueuedAt`, else the root of a new trace linked to it.
 */
export const withContinuedSpan =
  (name: string, options: { readonly traceparent: string | undefined | null; readonly enqueuedAt: Date; readonly attributes?: Record<string, unknown> }) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) => {
    const parent = spanOfTraceparent(options.traceparent);
    const how = continuationOf(options.traceparent, options.enqueuedAt);
    const attributes = { ...options.attributes, "trace.continuation": how };
    if (parent === undefined || how === "none") return Effect.withSpan(effect, name, { attributes });
    if (how === "child") return Effect.withSpan(effect, name, { attributes, parent });
    return Effect.withSpan(effect, name, { attributes, root: true, links: [{ span: parent, attributes: { "link.type": "follows-from" } }] });
  };
