/**
 * Effect's spans on the global OpenTelemetry provider (@effect/opentelemetry's tracer), with a
 * cheaper hand-over of the running span to code outside Effect (the AI SDK, Kysely, pg).
 *
 * The library's tracer makes the fiber's span the active OpenTelemetry span around every step the
 * fiber evaluates: two new context objects (each a copy of the context's map) and a context switch
 * per step. Here the context made for a span is kept (per span, for the context it was made from),
 * and a step that already runs in it does not switch again. Spans it does not handle itself
 * (external spans, spans that disable propagation) go through the library's tracer unchanged.
 */
import * as OtelTracer from "@effect/opentelemetry/OtelTracer";
import { context as otelContext, createContextKey, trace, type Context as OtelContext, type Span as OtelSpan } from "@opentelemetry/api";
import { Context, Effect, Layer, Tracer } from "effect";

/** The key under which the library's tracer marks the span it made active (the same symbol). */
const EFFECT_SPAN_KEY = createContextKey("@effect/opentelemetry/OtelTracer/EffectSpan");
const EVALUATE = "~effect/Effect/evaluate";

interface Made {
  readonly base: OtelContext;
  readonly context: OtelContext;
}

type FiberWithSpan = { readonly cache?: { readonly span?: unknown } };
type AnyOtelBackedSpan = Tracer.Span & { readonly span?: OtelSpan };

const otelSpanOf = (span: unknown): OtelSpan | undefined => {
  const candidate = span as AnyOtelBackedSpan | undefined;
  if (candidate === undefined || candidate._tag !== "Span") return undefined;
  const inner = candidate.span;
  if (inner === undefined || typeof inner.spanContext !== "function") return undefined;
  return Context.get(candidate.annotations, Tracer.DisablePropagation) ? undefined : inner;
};

/** The tracer: the library's spans, and its context hand-over with the contexts kept per span. */
export const makeEffectTracer = Effect.map(OtelTracer.make, (library) => {
  const made = new WeakMap<object, Made>();
  return Tracer.make({
    span: (options) => library.span(options),
    context: (primitive, fiber) => {
      const effectSpan = (fiber as unknown as FiberWithSpan).cache?.span;
      const span = otelSpanOf(effectSpan);
      if (span === undefined) return library.context!(primitive, fiber);
      const active = otelContext.active();
      let entry = made.get(effectSpan as object);
      if (entry !== undefined && entry.context === active) return (primitive as unknown as Record<string, (f: unknown) => never>)[EVALUATE]!(fiber);
      if (entry === undefined || entry.base !== active) {
        entry = { base: active, context: trace.setSpan(active, span).setValue(EFFECT_SPAN_KEY, span) };
        made.set(effectSpan as object, entry);
      }
      return otelContext.with(entry.context, () => (primitive as unknown as Record<string, (f: unknown) => never>)[EVALUATE]!(fiber));
    },
  });
});

/** As `OtelTracer.layerGlobal`, with the tracer above. */
export const EffectTracerLayer = Layer.effect(Tracer.Tracer, makeEffectTracer).pipe(Layer.provideMerge(OtelTracer.layerGlobalTracer));
