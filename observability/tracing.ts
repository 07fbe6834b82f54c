/**
 * OpenTelemetry, set up once per process with `@opentelemetry/sdk-node`:
 * - the resource from the OTEL_* environment (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES:
 *   service.version, deployment.environment.name, ...) over defaults (service.name, service.version
 *   from package.json), plus process and host attributes;
 * - every span (HTTP request, channel, agent turn, AI SDK steps and tool calls, Effect spans of
 *   tools and stores, database statements) passes the content policy (content-policy.ts), feeds
 *   the metrics (metrics.ts), goes to the trace store (`store`, read by GET /v1/traces/:id), and to
 *   an OTLP collector when an endpoint is configured (protocol from OTEL_EXPORTER_OTLP_PROTOCOL:
 *   http/protobuf, the default, or http/json);
 * - metrics at the Prometheus endpoint (`metrics.handler`, GET /metrics) and as OTLP when an
 *   endpoint is configured (OTEL_METRICS_EXPORTER picks: prometheus, otlp, none).
 * The auto-instrumentations (instrumentations.ts) are registered by the `--import` preload.
 * OTEL_SDK_DISABLED=true: no provider at all (spans are no-ops; the store stays empty).
 */
import { metrics as metricsApi } from "@opentelemetry/api";
import { OTLPMetricExporter as OTLPJsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OTLPProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { OTLPTraceExporter as OTLPJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Context, Effect, Layer } from "effect";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { LoopTelemetry } from "../core/loop-telemetry.ts";
import { genAiSpans } from "./genai-spans.ts";
import { EffectTracerLayer } from "./effect-tracer.ts";
import { ContentPolicyProcessor, idKeyFromEnv, type ContentPolicy } from "./content-policy.ts";
import { registeredInstrumentations } from "./instrumentations.ts";
import { EffectLoggerLayer } from "./logging.ts";
import { AgentMetricsProcessor } from "./metrics.ts";
import { InProcessTraceStore, TraceStoreProcessor } from "./trace-store.ts";

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface TracingOptions {
  readonly serviceName: string;
  readonly otlpEndpoint?: string | undefined;
  /** Default: OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL, else http/protobuf. */
  readonly otlpProtocol?: OtlpProtocol | undefined;
  /** Prompts, messages and tool inputs/outputs in spans (redacted). Default: OTEL_CAPTURE_CONTENT, else false. */
  readonly captureContent?: boolean | undefined;
  /** Key of conversation-id pseudonyms. Default: TELEMETRY_ID_KEY. */
  readonly idKey?: string | undefined;
}

export interface TracingShape {
  readonly store: InProcessTraceStore;
  /** Flushes pending exports (the layer does it when it closes). */
  readonly flush: () => Promise<void>;
  /** Whether spans are recorded at all (false with OTEL_SDK_DISABLED=true). */
  readonly enabled?: boolean;
  /** The content policy every span passes. */
  readonly policy?: ContentPolicy;
  /** Prometheus text exposition of the metrics (GET /metrics); undefined when not enabled. */
  readonly metricsHandler?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
}

/** The process's tracing: spans to the trace store and OTLP, metrics to Prometheus and OTLP. */
export class Tracing extends Context.Service<Tracing, TracingShape>()("Tracing") {
  /** Sets up the SDK (once per process) and joins Effect's spans and logs to it; flushes on close. */
  static readonly layer = (options: TracingOptions) =>
    Layer.mergeAll(
      // The agent's GenAI spans (invoke_agent, steps, model calls, tools), with the content policy's capture switch.
      Layer.effect(
        LoopTelemetry,
        Tracing.use((tracing) => Effect.succeed(LoopTelemetry.of(tracing.enabled === false ? LoopTelemetry.none : genAiSpans({ captureContent: tracing.policy?.captureContent ?? false })))),
      ).pipe(
        Layer.provideMerge(
          Layer.effect(
            Tracing,
            Effect.acquireRelease(
              Effect.sync(() => Tracing.of(setupTracing(options))),
              (tracing) => Effect.promise(() => tracing.flush()),
            ),
          ),
        ),
      ),
      // Effect spans join the same traces as the AI SDK's and the instrumentations' (one global provider).
      EffectTracerLayer,
      // Effect.log* as JSON lines with the trace ids.
      EffectLoggerLayer,
    );
}

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};
const envList = (name: string): string[] | undefined => env(name)?.split(",").map((item) => item.trim().toLowerCase()).filter((item) => item !== "");

/** The OTLP protocol: http/protobuf (the specification's default) or http/json; grpc is not offered. */
export const otlpProtocolFrom = (raw: string | undefined): OtlpProtocol => {
  const value = raw?.trim().toLowerCase();
  if (value === "http/json") return "http/json";
  if (value !== undefined && value !== "" && value !== "http/protobuf") console.warn(`OTEL_EXPORTER_OTLP_PROTOCOL=${value} is not supported here; using http/protobuf`);
  return "http/protobuf";
};

/** OTEL_CAPTURE_CONTENT: "true"/"1" turns capture on; anything else (or unset) keeps it off. */
export const captureContentFrom = (raw: string | undefined): boolean => ["true", "1", "yes", "on"].includes(raw?.trim().toLowerCase() ?? "");

const packageVersion = (): string | undefined => {
  try {
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
};

/** Default resource attributes; OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME take precedence. */
const baseResource = (serviceName: string) =>
  resourceFromAttributes({
    "service.name": serviceName,
    ...(packageVersion() ? { "service.version": packageVersion() } : {}),
    ...(env("NODE_ENV") ? { "deployment.environment.name": env("NODE_ENV") } : {}),
  });

const tracesUrl = (endpoint: string | undefined) => (endpoint ? `${endpoint.replace(/\/$/, "")}/v1/traces` : undefined);
const metricsUrl = (endpoint: string | undefined) => (endpoint ? `${endpoint.replace(/\/$/, "")}/v1/metrics` : undefined);

const traceExporter = (protocol: OtlpProtocol, url: string | undefined): SpanExporter =>
  protocol === "http/json" ? new OTLPJsonTraceExporter(url ? { url } : {}) : new OTLPProtoTraceExporter(url ? { url } : {});

const metricReaders = (protocol: OtlpProtocol, endpoint: string | undefined): { readers: MetricReader[]; prometheus: PrometheusExporter | undefined } => {
  const otlpConfigured = endpoint !== undefined || env("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") !== undefined;
  const wanted = envList("OTEL_METRICS_EXPORTER") ?? ["prometheus", ...(otlpConfigured ? ["otlp"] : [])];
  if (wanted.includes("none")) return { readers: [], prometheus: undefined };
  const readers: MetricReader[] = [];
  let prometheus: PrometheusExporter | undefined;
  if (wanted.includes("prometheus")) {
    // Served by the application's own server at GET /metrics, not on a port of its own.
    prometheus = new PrometheusExporter({ preventServerStart: true });
    readers.push(prometheus);
  }
  if (wanted.includes("otlp") && otlpConfigured) {
    const url = metricsUrl(endpoint);
    const exporter = protocol === "http/json" ? new OTLPJsonMetricExporter(url ? { url } : {}) : new OTLPProtoMetricExporter(url ? { url } : {});
    readers.push(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: Number(env("OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000) }));
  }
  return { readers, prometheus };
};

let current: TracingShape | undefined;

/** Sets up the SDK once; later calls return the first one. */
export const setupTracing = (options: TracingOptions): TracingShape => {
  if (current) return current;
  const store = new InProcessTraceStore();
  const policy: ContentPolicy = {
    captureContent: options.captureContent ?? captureContentFrom(env("OTEL_CAPTURE_CONTENT")),
    idKey: options.idKey ?? idKeyFromEnv(),
  };
  if (env("OTEL_SDK_DISABLED")?.toLowerCase() === "true") {
    current = { store, flush: async () => {}, enabled: false, policy };
    return current;
  }
  const protocol = options.otlpProtocol ?? otlpProtocolFrom(env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? env("OTEL_EXPORTER_OTLP_PROTOCOL"));
  const tracesExported = (options.otlpEndpoint !== undefined || env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") !== undefined) && !envList("OTEL_TRACES_EXPORTER")?.includes("none");
  const { readers, prometheus } = metricReaders(protocol, options.otlpEndpoint);
  const resource = baseResource(options.serviceName)
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    // The configured name (the worker's differs) over OTEL_SERVICE_NAME, which it defaults to.
    .merge(resourceFromAttributes({ "service.name": options.serviceName }));
  const meterProvider = new MeterProvider({ resource, readers });
  if (readers.length > 0) metricsApi.setGlobalMeterProvider(meterProvider);
  const processors: SpanProcessor[] = [
    new ContentPolicyProcessor(policy),
    ...(readers.length > 0 ? [new AgentMetricsProcessor(meterProvider.getMeter("agent-harness"))] : []),
    // The trace store: spans queued at their end, noted in batches, written to the database in batches.
    new TraceStoreProcessor(store),
    ...(tracesExported ? [new BatchSpanProcessor(traceExporter(protocol, tracesUrl(options.otlpEndpoint)))] : []),
  ];
  const sdk = new NodeSDK({ resource, autoDetectResources: false, spanProcessors: processors, logRecordProcessors: [], instrumentations: [] });
  sdk.start();
  // The preloaded instrumentations record their metrics (HTTP durations) on this provider.
  if (readers.length > 0) for (const instrumentation of registeredInstrumentations()) instrumentation.setMeterProvider(meterProvider);
  current = {
    store,
    enabled: true,
    policy,
    metricsHandler: prometheus ? (request, response) => prometheus.getMetricsRequestHandler(request, response) : undefined,
    flush: async () => {
      await Promise.all(processors.map((processor) => processor.forceFlush()));
      await meterProvider.forceFlush().catch(() => {});
    },
  };
  return current;
};
