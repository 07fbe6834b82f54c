/**
 * The GenAI spans of the agent's model-and-tools loop (OpenTelemetry semantic conventions for
 * generative AI), made from the AI SDK's per-call event callbacks (the LoopTelemetry port):
 *
 *   invoke_agent <model>             gen_ai.operation.name invoke_agent, agent name, model, usage
 *     chat <model>            CLIENT a model call: model, finish reasons, response id, tokens, duration
 *     execute_tool <tool>            a tool call: name, call id, type, duration; error status if it threw
 *
 * The same spans, names and attributes as the AI SDK's @ai-sdk/otel integration (a test compares
 * them), without its `step <n>` spans and without what that integration costs through the SDK's
 * telemetry dispatcher: a copy of every event per integration, credentials redacted in each,
 * whether or not the span is recorded. A step span (a model call and the tools it asked for) is
 * not a GenAI convention; the calls follow one another under invoke_agent in the same order, and
 * a turn of the offline model has 1.8 fewer spans (of 13) to record, store and persist.
 * Content (system instructions, messages, tool arguments and results, tool definitions) is only
 * recorded with capture on (OTEL_CAPTURE_CONTENT); the content policy redacts it and removes it
 * again when capture is off, whichever code set it.
 */
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Attributes, type AttributeValue, type Context, type Span } from "@opentelemetry/api";
import type { CallSettings, LanguageModelUsage, ModelMessage, ToolSet } from "ai";
import { wrapLanguageModel, type LanguageModel } from "ai";
import type { LoopCallbacks, LoopTelemetryShape, ObservedLoop } from "../core/loop-telemetry.ts";
import { inputMessages, outputMessages, systemInstructions } from "./genai-messages.ts";

const tracer = trace.getTracer("gen_ai");

/** The loop a model call or a tool execution belongs to, found in the active context. */
const LOOP = createContextKey("agent-harness.genai-loop");

interface LoopState {
  readonly captureContent: boolean;
  readonly agentName: string;
  parent: Context;
  agent?: Span;
  agentContext?: Context;
  chat?: Span;
  chatContext?: Context;
  readonly tools: Map<string, { span: Span; context: Context }>;
}

/** The GenAI provider name (the convention's well-known values where the AI SDK provider id maps to one). */
const PROVIDERS: ReadonlyArray<readonly [string, string]> = [
  ["google.vertex", "gcp.vertex_ai"],
  ["google-vertex", "gcp.vertex_ai"],
  ["google", "gcp.gemini"],
  ["amazon-bedrock", "aws.bedrock"],
  ["azure-openai", "azure.ai.openai"],
  ["azure", "azure.ai.inference"],
  ["anthropic", "anthropic"],
  ["openai", "openai"],
  ["mistral", "mistral_ai"],
  ["xai", "x_ai"],
];
export const providerName = (provider: string): string => {
  const lower = provider.toLowerCase();
  for (const [prefix, mapped] of PROVIDERS) if (lower === prefix || lower.startsWith(`${prefix}.`) || lower.startsWith(`${prefix}-`)) return mapped;
  return provider;
};

/** Attributes without the undefined ones (what the SDK would drop anyway, at a cost). */
const defined = (attributes: Record<string, AttributeValue | undefined>): Attributes => {
  const out: Attributes = {};
  for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key];
  return out;
};

/** The call settings that become `gen_ai.request.*` attributes, as the AI SDK types them. */
type RequestSettings = Pick<CallSettings, "maxOutputTokens" | "temperature" | "topP" | "topK" | "presencePenalty" | "frequencyPenalty" | "stopSequences" | "seed">;

const requestAttributes = (settings: RequestSettings) => ({
  "gen_ai.request.max_tokens": settings.maxOutputTokens,
  "gen_ai.request.temperature": settings.temperature,
  "gen_ai.request.top_p": settings.topP,
  "gen_ai.request.top_k": settings.topK,
  "gen_ai.request.presence_penalty": settings.presencePenalty,
  "gen_ai.request.frequency_penalty": settings.frequencyPenalty,
  "gen_ai.request.stop_sequences": settings.stopSequences,
  "gen_ai.request.seed": settings.seed,
});

const usageAttributes = (usage: LanguageModelUsage | undefined) => ({
  "gen_ai.usage.input_tokens": usage?.inputTokens,
  "gen_ai.usage.output_tokens": usage?.outputTokens,
  "gen_ai.usage.cache_read.input_tokens": usage?.inputTokenDetails?.cacheReadTokens,
  "gen_ai.usage.cache_creation.input_tokens": usage?.inputTokenDetails?.cacheWriteTokens,
});

/** The endpoint the model call went to, when it was an HTTP one. */
const serverAttributes = (url: string | undefined) => {
  if (url === undefined) return {};
  try {
    const endpoint = new URL(url);
    if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") return {};
    return { "server.address": endpoint.hostname.replace(/^\[|\]$/g, ""), "server.port": endpoint.port !== "" ? Number(endpoint.port) : endpoint.protocol === "https:" ? 443 : 80 };
  } catch {
    return {};
  }
};

const json = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
};

/** A failure on a span: status error with its message, the exception as an event, the HTTP status of a failed API call. */
export const recordError = (span: Span, error: unknown): void => {
  const cause = error !== null && typeof error === "object" && "lastError" in error ? (error as { lastError: unknown }).lastError : error;
  const status = cause !== null && typeof cause === "object" && "statusCode" in cause ? (cause as { statusCode: unknown }).statusCode : undefined;
  if (typeof status === "number") span.setAttribute("http.response.status_code", status);
  if (error instanceof Error) {
    span.recordException({ name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else span.setStatus({ code: SpanStatusCode.ERROR });
};

const stateIn = (active: Context): LoopState | undefined => active.getValue(LOOP) as LoopState | undefined;

const callbacksFor = (state: LoopState): LoopCallbacks => {
  const content = state.captureContent;
  return {
    onStart: (event) => {
      const attributes = defined({
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": providerName(event.provider),
        "gen_ai.request.model": event.modelId,
        "gen_ai.agent.name": state.agentName,
        ...requestAttributes(event),
        ...(content
          ? { "gen_ai.system_instructions": event.instructions === undefined ? undefined : json(systemInstructions(event.instructions)), "gen_ai.input.messages": json(inputMessages(event.messages as ModelMessage[])) }
          : {}),
      });
      state.agent = tracer.startSpan(`invoke_agent ${event.modelId}`, { kind: SpanKind.INTERNAL, attributes }, state.parent);
      state.agentContext = trace.setSpan(state.parent, state.agent);
    },
    onLanguageModelCallStart: (event) => {
      const parent = state.agentContext;
      if (!parent) return;
      const attributes = defined({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": providerName(event.provider),
        "gen_ai.request.model": event.modelId,
        ...requestAttributes(event),
        ...(content
          ? {
              "gen_ai.system_instructions": event.instructions === undefined ? undefined : json(systemInstructions(event.instructions)),
              "gen_ai.input.messages": json(inputMessages(event.messages as ModelMessage[])),
              "gen_ai.tool.definitions": event.tools === undefined ? undefined : json(event.tools),
            }
          : {}),
      });
      state.chat = tracer.startSpan(`chat ${event.modelId}`, { kind: SpanKind.CLIENT, attributes }, parent);
      state.chatContext = trace.setSpan(parent, state.chat);
    },
    onLanguageModelCallEnd: (event) => {
      const span = state.chat;
      if (!span) return;
      span.setAttributes(
        defined({
          "gen_ai.client.operation.duration": event.performance.responseTimeMs / 1_000,
          "gen_ai.client.operation.time_to_first_chunk": event.performance.timeToFirstOutputMs === undefined ? undefined : event.performance.timeToFirstOutputMs / 1_000,
          ...serverAttributes(event.request?.url),
          "gen_ai.response.finish_reasons": [event.finishReason],
          "gen_ai.response.id": event.responseId,
          "gen_ai.response.model": event.modelId,
          ...usageAttributes(event.usage),
          ...(content ? { "gen_ai.output.messages": json(outputMessages(event.content, event.finishReason)) } : {}),
        }),
      );
      if (event.finishReason === "error") span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      state.chat = undefined;
      state.chatContext = undefined;
    },
    onToolExecutionStart: (event) => {
      const parent = state.agentContext;
      if (!parent) return;
      const call = event.toolCall;
      const attributes = defined({
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call.toolName,
        "gen_ai.tool.call.id": call.toolCallId,
        "gen_ai.tool.type": call.providerExecuted ? "extension" : "function",
        ...(content ? { "gen_ai.tool.call.arguments": json(call.input) } : {}),
      });
      const span = tracer.startSpan(`execute_tool ${call.toolName}`, { kind: SpanKind.INTERNAL, attributes }, parent);
      state.tools.set(call.toolCallId, { span, context: trace.setSpan(parent, span) });
    },
    onToolExecutionEnd: (event) => {
      const entry = state.tools.get(event.toolCall.toolCallId);
      if (!entry) return;
      state.tools.delete(event.toolCall.toolCallId);
      entry.span.setAttribute("gen_ai.execute_tool.duration", event.toolExecutionMs / 1_000);
      const output = event.toolOutput;
      if (output.type === "tool-error") recordError(entry.span, output.error);
      else if (content) {
        const result = json(output.output);
        if (result !== undefined) entry.span.setAttribute("gen_ai.tool.call.result", result);
      }
      entry.span.end();
    },
    onEnd: (event) => {
      const span = state.agent;
      if (!span) return;
      span.setAttributes(
        defined({
          "gen_ai.response.finish_reasons": [event.finishReason],
          ...usageAttributes(event.totalUsage),
          ...(content ? { "gen_ai.output.messages": json(outputMessages(event.finalStep.content, event.finishReason)) } : {}),
        }),
      );
      if (event.finishReason === "error") span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      state.agent = undefined;
    },
  };
};

/** Ends whatever the loop left open, as failed. */
const failLoop = (state: LoopState, error: unknown) => {
  for (const { span } of state.tools.values()) {
    recordError(span, error);
    span.end();
  }
  state.tools.clear();
  for (const span of [state.chat, state.agent]) {
    if (!span) continue;
    recordError(span, error);
    span.end();
  }
  state.chat = state.agent = undefined;
};

/** Model calls run in their `chat` span (an HTTP client span of the provider's request nests under it). */
const inModelCallContext = <A>(run: () => PromiseLike<A>): PromiseLike<A> => {
  const chat = stateIn(context.active())?.chatContext;
  return chat ? context.with(chat, run) : run();
};

/** Tools run in their `execute_tool` span (the tool's own spans and statements nest under it). */
const wrapTool = (tool: ToolSet[string]): ToolSet[string] => {
  const execute = tool.execute;
  if (!execute) return tool;
  return {
    ...tool,
    execute: (input: unknown, options: { toolCallId: string }) => {
      const entry = stateIn(context.active())?.tools.get(options.toolCallId);
      return entry ? context.with(entry.context, () => execute(input, options as never)) : execute(input, options as never);
    },
  } as ToolSet[string];
};

/** The LoopTelemetry port on OpenTelemetry GenAI spans. */
export const genAiSpans = (options: { readonly captureContent: boolean }): LoopTelemetryShape => ({
  wrapModel: (model: LanguageModel) =>
    typeof model === "string"
      ? model
      : wrapLanguageModel({
          model: model as Parameters<typeof wrapLanguageModel>[0]["model"],
          middleware: { specificationVersion: "v4", wrapGenerate: ({ doGenerate }) => inModelCallContext(doGenerate) as ReturnType<typeof doGenerate>, wrapStream: ({ doStream }) => inModelCallContext(doStream) as ReturnType<typeof doStream> },
        }),
  wrapTools: (tools) => Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, wrapTool(tool)])),
  begin: (agentName): ObservedLoop => {
    const state: LoopState = { captureContent: options.captureContent, agentName, parent: context.active(), tools: new Map() };
    return {
      callbacks: callbacksFor(state),
      run: (start) => {
        state.parent = context.active();
        return context.with(state.parent.setValue(LOOP, state), start);
      },
      fail: (error) => failLoop(state, error),
    };
  },
});
