/**
 * OpenTelemetry, set up once per process: every span (channel, agent turn, AI SDK steps and tool
 * calls, Effect spans of tools and stores) goes to the in-process trace store, and to an OTLP
 * collector when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import * as OtelTracer from "@effect/opentelemetry/OtelTracer";
import { OpenTelemetry } from "@ai-sdk/otel";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { registerTelemetry } from "ai";
import { Context, Effect, Layer } from "effect";
import { InProcessTraceStore } from "./trace-store.ts";

export interface TracingOptions {
  readonly serviceName: string;
  readonly otlpEndpoint?: string | undefined;
}

export interface TracingShape {
  readonly store: InProcessTraceStore;
  /** Flushes pending exports (the layer does it when it closes). */
  readonly flush: () => Promise<void>;
}

/** The process's tracing: recent traces in process, and OTLP when configured. */
export class Tracing extends Context.Service<Tracing, TracingShape>()("Tracing") {
  /** Registers the tracer provider (once per process) and joins Effect's spans to it; flushes on close. */
  static readonly layer = (options: TracingOptions) =>
    Layer.mergeAll(
      Layer.effect(
        Tracing,
        Effect.acquireRelease(
          Effect.sync(() => Tracing.of(setupTracing(options))),
          (tracing) => Effect.promise(() => tracing.flush()),
        ),
      ),
      // Effect spans join the same traces as the AI SDK's (one global provider).
      OtelTracer.layerGlobal,
    );
}

let current: TracingShape | undefined;

/** Sets up the global tracer provider once; later calls return the first one. */
export const setupTracing = (options: TracingOptions): TracingShape => {
  if (current) return current;
  const store = new InProcessTraceStore();
  const processors: SpanProcessor[] = [new SimpleSpanProcessor(store)];
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/$/, "")}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: processors,
  });
  provider.register();
  registerTelemetry(new OpenTelemetry());
  current = { store, flush: () => provider.forceFlush() };
  return current;
};
