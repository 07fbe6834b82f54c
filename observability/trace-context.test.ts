import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { CHILD_WINDOW_MS, continuationOf, currentTraceparent, spanOfTraceparent, traceparentOf, withContinuedSpan } from "./trace-context.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

describe("traceparent", () => {
  it("round-trips a span context", () => {
    expect(traceparentOf({ traceId: TRACE, spanId: SPAN, sampled: true })).toBe(TRACEPARENT);
    const span = spanOfTraceparent(`00-${TRACE}-${SPAN}-00`);
    expect(span).toMatchObject({ traceId: TRACE, spanId: SPAN, sampled: false });
  });

  it.each([undefined, null, "", "garbage", `01-${TRACE}-${SPAN}-01`, `00-${"0".repeat(32)}-${SPAN}-01`, `00-${TRACE}-${"0".repeat(16)}-01`, `00-${TRACE.toUpperCase()}-${SPAN}-01`])(
    "ignores a missing or malformed traceparent: %s",
    (value) => expect(spanOfTraceparent(value)).toBeUndefined(),
  );

  it("reads the running span's context", async () => {
    const inside = await Effect.runPromise(Effect.gen(function* () {
      const span = yield* Effect.currentSpan;
      return { span, traceparent: yield* currentTraceparent };
    }).pipe(Effect.withSpan("outer")));
    expect(inside.traceparent).toBe(traceparentOf(inside.span));
    expect(await Effect.runPromise(currentTraceparent)).toBeUndefined();
  });
});

describe("continuing a trace in a job", () => {
  const now = Date.now();
  it("is a child when the job starts within the window, a link after it, nothing without a traceparent", () => {
    expect(continuationOf(TRACEPARENT, new Date(now - 2_000), now)).toBe("child");
    expect(continuationOf(TRACEPARENT, new Date(now - CHILD_WINDOW_MS - 1), now)).toBe("link");
    expect(continuationOf(undefined, new Date(now), now)).toBe("none");
  });

  const spanOf = (traceparent: string | undefined, enqueuedAt: Date) =>
    Effect.runPromise(Effect.currentSpan.pipe(withContinuedSpan("job.work", { traceparent, enqueuedAt, attributes: { a: 1 } })));

  it("child: same trace, the enqueuing span as parent", async () => {
    const span = await spanOf(TRACEPARENT, new Date());
    expect(span.traceId).toBe(TRACE);
    expect(Option.getOrUndefined(span.parent)?.spanId).toBe(SPAN);
    expect(span.attributes.get("trace.continuation")).toBe("child");
    expect(span.links).toEqual([]);
  });

  it("link: a new trace that links to the enqueuing span", async () => {
    const span = await spanOf(TRACEPARENT, new Date(Date.now() - CHILD_WINDOW_MS - 5_000));
    expect(span.traceId).not.toBe(TRACE);
    expect(Option.isNone(span.parent)).toBe(true);
    expect(span.links.map((link) => link.span.spanId)).toEqual([SPAN]);
    expect(span.attributes.get("trace.continuation")).toBe("link");
  });

  it("none: an ordinary span", async () => {
    const span = await spanOf(undefined, new Date());
    expect(span.traceId).not.toBe(TRACE);
    expect(span.links).toEqual([]);
    expect(span.attributes.get("trace.continuation")).toBe("none");
  });
});
