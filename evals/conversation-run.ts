/** What the provider hands to the graders: one whole conversation as it happened. */
import type { FiredFault } from "./app/faults.ts";
import type { ToolCall } from "./expectations.ts";
import type { StoredQuoteRead } from "./stored-checks.ts";
import type { SpanView } from "./trace-checks.ts";

export interface TurnRecord {
  readonly user: string;
  /** What the user was shown (the channel's delivery, rejoined). */
  readonly reply: string;
  readonly toolCalls: ReadonlyArray<ToolCall>;
  readonly traceId: string;
  /** Wall time of the turn as the provider saw it. */
  readonly latencyMs: number;
  /** The turn failed at the channel: an HTTP error answer, an error in the stream, or the agent's typed failure. */
  readonly failure?: { readonly status?: number | undefined; readonly code?: string | undefined; readonly message?: string | undefined } | undefined;
  /** Where the channel's delivery differs from what the agent answered. */
  readonly channelProblems?: ReadonlyArray<string>;
  /** Faults injected in this turn. */
  readonly faultsFired?: ReadonlyArray<FiredFault>;
}

export interface ConversationRun {
  readonly conversationId: string;
  /** "in-process" or the URL of the server. */
  readonly target: string;
  /** The channel it was played through. */
  readonly channel?: string;
  /** Which language model answered (offline, OpenAI ...). */
  readonly model: string;
  readonly turns: ReadonlyArray<TurnRecord>;
  /** Spans of the conversation's trace from our own trace store, when the provider could read them. */
  readonly spans?: ReadonlyArray<SpanView>;
  /** Every quote id a tool returned, read back from the server. */
  readonly storedQuotes?: Readonly<Record<string, StoredQuoteRead>>;
}

/** The transcript people read in promptfoo's table and HTML report. */
export const transcript = (run: ConversationRun): string =>
  run.turns
    .map((turn, i) => {
      const tools = turn.toolCalls.length === 0 ? "" : `\n🔧 ${turn.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.input)})`).join(" · ")}`;
      const faults = turn.faultsFired?.length ? `\n💥 ${turn.faultsFired.map((f) => `${f.service} ${f.mode}`).join(", ")}` : "";
      const failure = turn.failure ? `\n⚠️ ${turn.failure.status ?? ""} ${turn.failure.code ?? ""} ${turn.failure.message ?? ""}`.trimEnd() : "";
      return `👤 ${i + 1}. ${turn.user}${tools}${faults}\n🤖 ${turn.reply}${failure}`;
    })
    .join("\n\n");
