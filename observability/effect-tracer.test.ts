/** Effect's spans handed to code outside Effect (the AI SDK, Kysely) through the kept contexts, on a real SDK. */
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { TraceStore, TraceStoreProcessor } from "./trace-store.ts";
import { EffectTracerLayer } from "./effect-tracer.ts";

const exporter = new InMemorySpanExporter();
const store = new TraceStore();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), new TraceStoreProcessor(store)] });
provider.register();
afterAll(() => provider.shutdown());

/** What code outside Effect sees as the active span, after an await. */
const activeOutside = () => Effect.promise(async () => {
  await Promise.resolve();
  return trace.getActiveSpan()?.spanContext().spanId;
});

describe("Effect tracer", () => {
  it("makes the fiber's span the active OpenTelemetry span for code outside Effect, at every step and level", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const outer = yield* Effect.currentSpan;
        const first = yield* activeOutside();
        const again = yield* activeOutside();
        // A span started by a library (no Effect) nests under the running Effect span.
        yield* Effect.promise(async () => trace.getTracer("library").startSpan("library.call").end());
        const child = yield* Effect.gen(function* () {
          const span = yield* Effect.currentSpan;
          return { id: span.spanId, seen: yield* activeOutside() };
        }).pipe(Effect.withSpan("child"));
        const afterChild = yield* activeOutside();
        return { outer: outer.spanId, traceId: outer.traceId, first, again, child, afterChild };
      }).pipe(Effect.withSpan("outer"), Effect.provide(EffectTracerLayer)),
    );
    expect(result.first).toBe(result.outer);
    expect(result.again).toBe(result.outer);
    expect(result.child.seen).toBe(result.child.id);
    expect(result.afterChild).toBe(result.outer);
    expect(trace.getActiveSpan()).toBeUndefined();

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === result.traceId);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName["library.call"]?.parentSpanContext?.spanId).toBe(result.outer);
    expect(byName["child"]?.parentSpanContext?.spanId).toBe(result.outer);
    // The store's processor: spans readable at once (queued at their end, noted on read).
    expect(store.getTrace(result.traceId)?.map((s) => s.name).sort()).toEqual(["child", "library.call", "outer"]);
  });

  it("keeps concurrent fibers' spans apart", async () => {
    const one = (name: string) =>
      Effect.gen(function* () {
        const span = yield* Effect.currentSpan;
        const seen: Array<string | undefined> = [];
        for (let i = 0; i < 5; i++) {
          seen.push(yield* activeOutside());
          yield* Effect.sleep("1 millis");
        }
        return { id: span.spanId, seen };
      }).pipe(Effect.withSpan(name));
    const results = await Effect.runPromise(Effect.all([one("a"), one("b"), one("c")], { concurrency: "unbounded" }).pipe(Effect.provide(EffectTracerLayer)));
    for (const result of results) expect(result.seen).toEqual(Array(5).fill(result.id));
  });

  it("the store's processor leaves unsampled spans out", () => {
    // A remote parent whose sampled flag is off: the parent-based sampler drops the child.
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 0, isRemote: true });
    const span = trace.getTracer("t").startSpan("unsampled", {}, parent);
    span.end();
    expect(span.isRecording()).toBe(false);
    expect(store.getTrace("4bf92f3577b34da6a3ce929d0e0e4736")).toBeUndefined();
  });
});
