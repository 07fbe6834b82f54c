/**
 * The agent's metrics, derived from its spans as they end (one span processor, so the harness,
 * tools and channels carry no metrics code), each labelled with the turn's channel:
 * - `agent.turn.duration` (s): whole turns (`chat.turn`), with `error.type` when a turn failed;
 * - `gen_ai.client.operation.duration` (s): model calls (the GenAI convention's name);
 * - `gen_ai.client.token.usage` ({token}): input and output tokens per model call (`gen_ai.token.type`);
 * - `agent.tool.calls` and `agent.tool.errors`: tool calls by `gen_ai.tool.name` (an error is a
 *   call whose span, or a span below it, failed: the tool was unavailable).
 * HTTP server metrics (`http.server.request.duration`) come from the HTTP instrumentation.
 */
import { SpanStatusCode, type Attributes, type Context, type Meter } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

const TURN_SPAN = "chat.turn";
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576];

const seconds = ([s, ns]: [number, number]) => s + ns / 1e9;
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

interface OpenTool {
  readonly toolSpanId: string;
}

export class AgentMetricsProcessor implements SpanProcessor {
  private readonly turnDuration;
  private readonly modelDuration;
  private readonly tokenUsage;
  private readonly toolCalls;
  private readonly toolErrors;
  /** Trace id → the turn running in it (tool and model spans are its descendants); its attributes are set after it starts. */
  private readonly turns = new Map<string, Span>();
  /** Span id → the tool call (execute_tool span) it runs under. */
  private readonly underTool = new Map<string, OpenTool>();
  /** execute_tool span ids whose subtree failed. */
  private readonly failedTools = new Set<string>();

  constructor(meter: Meter) {
    this.turnDuration = meter.createHistogram("agent.turn.duration", { unit: "s", description: "Duration of whole agent turns.", advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
    this.modelDuration = meter.createHistogram("gen_ai.client.operation.duration", { unit: "s", description: "Duration of model calls.", advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
    this.tokenUsage = meter.createHistogram("gen_ai.client.token.usage", { unit: "{token}", description: "Tokens per model call.", advice: { explicitBucketBoundaries: TOKEN_BUCKETS } });
    this.toolCalls = meter.createCounter("agent.tool.calls", { description: "Tool calls." });
    this.toolErrors = meter.createCounter("agent.tool.errors", { description: "Tool calls that failed (the tool was unavailable)." });
  }

  onStart(span: Span, _parentContext: Context): void {
    const { traceId, spanId } = span.spanContext();
    if (span.name === TURN_SPAN) this.turns.set(traceId, span);
    const parentId = span.parentSpanContext?.spanId;
    if (span.attributes["gen_ai.operation.name"] === "execute_tool") this.underTool.set(spanId, { toolSpanId: spanId });
    else if (parentId !== undefined) {
      const tool = this.underTool.get(parentId);
      if (tool) this.underTool.set(spanId, tool);
    }
  }

  onEnd(span: ReadableSpan): void {
    const { traceId, spanId } = span.spanContext();
    const attributes = span.attributes;
    const channel = str(attributes["chat.channel"]) ?? str(this.turns.get(traceId)?.attributes["chat.channel"]) ?? "unknown";
    const failed = span.status.code === SpanStatusCode.ERROR;
    const tool = this.underTool.get(spanId);
    this.underTool.delete(spanId);

    if (span.name === TURN_SPAN) {
      this.turnDuration.record(seconds(span.duration), { "chat.channel": channel, ...(failed ? { "error.type": span.status.message ? "turn_failed" : "error" } : {}) });
      if (this.turns.get(traceId) === (span as unknown)) this.turns.delete(traceId);
      return;
    }
    const operation = str(attributes["gen_ai.operation.name"]);
    if (operation === "execute_tool") {
      const labels: Attributes = { "gen_ai.tool.name": str(attributes["gen_ai.tool.name"]) ?? span.name.replace(/^execute_tool /, ""), "chat.channel": channel };
      this.toolCalls.add(1, labels);
      if (failed || this.failedTools.has(spanId)) this.toolErrors.add(1, labels);
      this.failedTools.delete(spanId);
      return;
    }
    if (failed && tool) this.failedTools.add(tool.toolSpanId);
    if (operation === "chat" || operation === "text_completion" || operation === "generate_content") {
      const labels: Attributes = {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": str(attributes["gen_ai.provider.name"]) ?? "unknown",
        "gen_ai.request.model": str(attributes["gen_ai.request.model"]) ?? "unknown",
        "chat.channel": channel,
        ...(failed ? { "error.type": "model_error" } : {}),
      };
      this.modelDuration.record(seconds(span.duration), labels);
      const input = num(attributes["gen_ai.usage.input_tokens"]);
      const output = num(attributes["gen_ai.usage.output_tokens"]);
      if (input !== undefined) this.tokenUsage.record(input, { ...labels, "gen_ai.token.type": "input" });
      if (output !== undefined) this.tokenUsage.record(output, { ...labels, "gen_ai.token.type": "output" });
    }
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
