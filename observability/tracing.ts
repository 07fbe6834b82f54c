/**
 * OpenTelemetry, set up once per process: every span (channel, agent turn, AI SDK steps and tool
 * calls, Effect spans of tools and stores) goes to the in-process trace store, and to an OTLP
 * collector when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import * as OtelTracer from "@effect/opentelemetry/OtelTracer";
import { OpenTelemetry } from "@ai-sdk/otel";
import { trace, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { registerTelemetry } from "ai";
import { InProcessTraceStore } from "./trace-store.ts";

export interface TracingOptions {
  readonly serviceName: string;
  readonly otlpEndpoint?: string | undefined;
}

export interface Tracing {
  readonly store: InProcessTraceStore;
  readonly tracer: Tracer;
  readonly exportsTo: "in-process" | "in-process+otlp";
  /** Flushes pending exports (call before the process exits). */
  readonly flush: () => Promise<void>;
}

let current: Tracing | undefined;

export const setupTracing = (options: TracingOptions): Tracing => {
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
  current = {
    store,
    tracer: trace.getTracer("kavak-agent"),
    exportsTo: options.otlpEndpoint ? "in-process+otlp" : "in-process",
    flush: () => provider.forceFlush(),
  };
  return current;
};

/** Effect spans join the same traces as the AI SDK's (one global provider). */
export const EffectTracingLive = OtelTracer.layerGlobal;
