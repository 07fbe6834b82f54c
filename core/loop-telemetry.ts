/**
 * The telemetry port of the model-and-tools loop: how one generateText/streamText call is observed
 * (the agent, step, model-call and tool spans). The harness knows it only through this service and
 * runs without it (nothing observed); observability/ provides the OpenTelemetry implementation.
 *
 * It works through the AI SDK's per-call event callbacks, which get the SDK's own events, instead of
 * a registered telemetry integration, which the SDK feeds copies of every event (credentials
 * redacted, content filtered) whether or not anything is recorded.
 */
import type { GenerateTextEndEvent, GenerateTextStartEvent, LanguageModel, LanguageModelCallEndEvent, LanguageModelCallStartEvent, ToolExecutionEndEvent, ToolExecutionStartEvent, ToolSet } from "ai";
import { Context } from "effect";

/** The event callbacks a loop passes to generateText/streamText (same names as their options). */
export interface LoopCallbacks {
  readonly onStart?: (event: GenerateTextStartEvent) => void;
  readonly onLanguageModelCallStart?: (event: LanguageModelCallStartEvent) => void;
  readonly onLanguageModelCallEnd?: (event: LanguageModelCallEndEvent) => void;
  readonly onToolExecutionStart?: (event: ToolExecutionStartEvent) => void;
  readonly onToolExecutionEnd?: (event: ToolExecutionEndEvent) => void;
  readonly onEnd?: (event: GenerateTextEndEvent) => void;
}

/** One observed loop. */
export interface ObservedLoop {
  readonly callbacks: LoopCallbacks;
  /** Runs `start` (the generateText/streamText call) where the loop's model calls and tools find their spans. */
  readonly run: <A>(start: () => A) => A;
  /** Ends the loop as failed (the call rejected or the stream errored or was aborted before its end event). */
  readonly fail: (error: unknown) => void;
}

export interface LoopTelemetryShape {
  /** The model and the tools as every loop uses them (wrapped once, at start-up). */
  readonly wrapModel: (model: LanguageModel) => LanguageModel;
  readonly wrapTools: (tools: ToolSet) => ToolSet;
  /** Starts observing one loop of the agent named `agentName`. */
  readonly begin: (agentName: string) => ObservedLoop;
}

const unobserved: ObservedLoop = { callbacks: {}, run: (start) => start(), fail: () => {} };

export class LoopTelemetry extends Context.Service<LoopTelemetry, LoopTelemetryShape>()("LoopTelemetry") {
  /** Nothing observed. */
  static readonly none: LoopTelemetryShape = { wrapModel: (model) => model, wrapTools: (tools) => tools, begin: () => unobserved };
}
