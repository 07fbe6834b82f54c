/**
 * A conversation as the inspector shows it: its stored messages grouped into exchanges (a user
 * message and what answered it, with the tool calls), each paired with the turn trace that
 * produced it (by time: the exchange is stored at the end of its turn).
 */
import type { ObservedExchange, ObservedToolCall } from "../../evals/from-trace.ts";
import type { MessageRow, TurnRow } from "../trace-store/queries.ts";

export interface ToolCallView extends ObservedToolCall {
  readonly id: string | undefined;
  /** The tool's result as the model read it, when stored. */
  readonly output?: unknown;
}

export interface Exchange extends ObservedExchange {
  readonly at: Date;
  readonly toolCalls: ReadonlyArray<ToolCallView>;
}

const parts = (content: unknown): ReadonlyArray<Record<string, unknown>> => {
  const inner = (content as { content?: unknown } | null)?.content;
  return Array.isArray(inner) ? (inner.filter((p) => typeof p === "object" && p !== null) as Record<string, unknown>[]) : [];
};

const userText = (message: MessageRow): string => {
  if (message.text !== null) return message.text;
  const inner = (message.content as { content?: unknown } | null)?.content;
  return typeof inner === "string" ? inner : "";
};

/** Media types the user attached, from the note the agent stores with the message (core/memory.ts). */
const mediaOf = (message: MessageRow): string[] => {
  const inner = (message.content as { content?: unknown } | null)?.content;
  const note = typeof inner === "string" ? /\[El usuario adjuntó \d+ archivo\(s\): ([^\]]+)\]/.exec(inner) : null;
  return note ? note[1]!.split(",").map((t) => t.trim()).filter((t) => t !== "") : [];
};

/** Exchanges in order: every user message and the assistant and tool messages after it. */
export const exchangesOf = (messages: ReadonlyArray<MessageRow>): Exchange[] => {
  const out: { user: string; media: string[]; at: Date; toolCalls: ToolCallView[]; reply: string[] }[] = [];
  for (const message of messages) {
    if (message.role === "user") {
      out.push({ user: userText(message), media: mediaOf(message), at: message.createdAt, toolCalls: [], reply: [] });
      continue;
    }
    const current = out.at(-1);
    if (!current) continue;
    if (message.role === "assistant") {
      for (const part of parts(message.content))
        if (part.type === "tool-call" && typeof part.toolName === "string")
          current.toolCalls.push({ id: typeof part.toolCallId === "string" ? part.toolCallId : undefined, name: part.toolName, input: part.input ?? part.args });
      if (message.text) current.reply.push(message.text);
    }
    if (message.role === "tool")
      for (const part of parts(message.content)) {
        if (part.type !== "tool-result") continue;
        const index = current.toolCalls.findIndex((call) => call.id !== undefined && call.id === part.toolCallId);
        const output = (part.output as { value?: unknown } | undefined)?.value ?? part.output ?? part.result;
        if (index !== -1) current.toolCalls[index] = { ...current.toolCalls[index]!, output };
      }
  }
  return out.map((e) => ({ user: e.user, media: e.media, at: e.at, toolCalls: e.toolCalls, reply: e.reply.join("\n\n") }));
};

export interface TurnView extends TurnRow {
  readonly exchange: Exchange | undefined;
}

/** Exchanges are stored as their turn ends: each turn takes the first unpaired exchange stored during it (or shortly after). */
export const pairTurns = (turns: ReadonlyArray<TurnRow>, exchanges: ReadonlyArray<Exchange>): TurnView[] => {
  const used = new Set<number>();
  return turns.map((turn) => {
    const start = turn.startedAt.getTime() - 1_000;
    const end = turn.startedAt.getTime() + turn.durationMs + 5_000;
    const index = exchanges.findIndex((e, i) => !used.has(i) && e.at.getTime() >= start && e.at.getTime() <= end);
    // A failed turn stores nothing: it must not take the next turn's exchange.
    if (index === -1 || turn.error) return { ...turn, exchange: undefined };
    used.add(index);
    return { ...turn, exchange: exchanges[index] };
  });
};

/** Stored tool calls by their call id (the AI SDK puts it on the `execute_tool` span as gen_ai.tool.call.id). */
export const toolCallsById = (exchanges: ReadonlyArray<Exchange>): Record<string, ToolCallView> => {
  const out: Record<string, ToolCallView> = {};
  for (const exchange of exchanges) for (const call of exchange.toolCalls) if (call.id !== undefined) out[call.id] = call;
  return out;
};
