/**
 * The in-process trace store: the embedded stand-in for a tracing backend. Keeps the most recent
 * traces in memory so engineers (GET /v1/traces/:id), tests and evals can read a turn's spans.
 */
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];

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

const toStoredSpan = (span: ReadableSpan): StoredSpan => ({
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  name: span.name,
  startTimeMs: hrToMs(span.startTime),
  durationMs: hrToMs(span.duration),
  status: span.status.code === 2 ? "error" : span.status.code === 1 ? "ok" : "unset",
  statusMessage: span.status.message,
  attributes: { ...span.attributes },
  events: span.events.map((event) => ({ name: event.name, attributes: { ...(event.attributes ?? {}) } })),
});

export class InProcessTraceStore implements SpanExporter {
  private readonly traces = new Map<string, StoredSpan[]>();

  constructor(private readonly maxTraces = 2000) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) {
      const stored = toStoredSpan(span);
      const trace = this.traces.get(stored.traceId);
      if (trace) trace.push(stored);
      else {
        this.traces.set(stored.traceId, [stored]);
        if (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value!);
      }
    }
    resultCallback({ code: 0 });
  }

  /** Spans of a trace ordered by start time, or undefined when the trace is unknown or evicted. */
  getTrace(traceId: string): ReadonlyArray<StoredSpan> | undefined {
    const spans = this.traces.get(traceId);
    return spans ? [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs) : undefined;
  }

  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
