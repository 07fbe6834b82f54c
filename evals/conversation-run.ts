/** What the provider hands to the graders: one whole conversation as it happened. */
import type { ToolCall } from "./expectations.ts";
import type { SpanView } from "./trace-checks.ts";

export interface TurnRecord {
  readonly user: string;
  readonly reply: string;
  readonly toolCalls: ReadonlyArray<ToolCall>;
  readonly traceId: string;
  /** Wall time of the turn as the provider saw it. */
  readonly latencyMs: number;
}

export interface ConversationRun {
  readonly conversationId: string;
  /** "in-process" or the URL of the server. */
  readonly target: string;
  /** Which language model answered (offline, OpenAI ...). */
  readonly model: string;
  readonly turns: ReadonlyArray<TurnRecord>;
  /** Spans of the conversation's trace from our own trace store, when the provider could read them. */
  readonly spans?: ReadonlyArray<SpanView>;
}

/** The transcript people read in promptfoo's table and HTML report. */
export const transcript = (run: ConversationRun): string =>
  run.turns
    .map((turn, i) => {
      const tools = turn.toolCalls.length === 0 ? "" : `\n🔧 ${turn.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.input)})`).join(" · ")}`;
      return `👤 ${i + 1}. ${turn.user}${tools}\n🤖 ${turn.reply}`;
    })
    .join("\n\n");
