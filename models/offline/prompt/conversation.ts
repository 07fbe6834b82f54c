/**
 * Reads a LanguageModelV4 prompt into turns: what the user said, which tools were called with what,
 * and what they returned. The offline model decides only from this.
 */
import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from "@ai-sdk/provider";

export interface ToolCallSeen {
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
  /** Which model step of the turn made the call: calls of one step were made together. */
  readonly step: number;
}

/** A tool's answer: its JSON value, or the error it failed with. */
export type ToolOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

export interface ToolExchange {
  readonly call: ToolCallSeen;
  /** Undefined when the call has no result in the prompt (should not happen). */
  readonly outcome: ToolOutcome | undefined;
}

export interface Turn {
  readonly userText: string;
  /** Tool calls of this turn, in order, each with its result. */
  readonly exchanges: ReadonlyArray<ToolExchange>;
  /** What the assistant answered in this turn (empty for the current turn). */
  readonly assistantText: string;
  /** Images attached to the user's message (file parts with an image/* media type). */
  readonly images?: number;
}

export interface Conversation {
  readonly instructions: string;
  /** Earlier turns, oldest first. */
  readonly history: ReadonlyArray<Turn>;
  /** The turn being answered: everything after the last user message. */
  readonly current: Turn;
}

const toOutcome = (output: LanguageModelV4ToolResultOutput): ToolOutcome => {
  switch (output.type) {
    case "json":
      return { ok: true, value: output.value };
    case "text":
      return { ok: true, value: safeJson(output.value) };
    case "error-text":
      return { ok: false, error: output.value };
    case "error-json":
      return { ok: false, error: JSON.stringify(output.value) };
    case "execution-denied":
      return { ok: false, error: output.reason ?? "execution denied" };
    case "content":
      return { ok: true, value: output.value.map((part) => (part.type === "text" ? part.text : "")).join("\n") };
  }
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const asRecord = (input: unknown): Record<string, unknown> => {
  const value = typeof input === "string" ? safeJson(input) : input;
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

interface TurnBuilder {
  userText: string;
  calls: ToolCallSeen[];
  results: Map<string, ToolOutcome>;
  assistantText: string[];
  steps: number;
  images?: number;
}

const finish = (builder: TurnBuilder): Turn => ({
  userText: builder.userText,
  exchanges: builder.calls.map((call) => ({ call, outcome: builder.results.get(call.id) })),
  assistantText: builder.assistantText.join("\n").trim(),
  ...(builder.images ? { images: builder.images } : {}),
});

export const readConversation = (prompt: LanguageModelV4Prompt): Conversation => {
  const instructions: string[] = [];
  const turns: TurnBuilder[] = [];
  let turn: TurnBuilder | undefined;
  const openTurn = (): TurnBuilder => {
    if (turn === undefined) {
      turn = { userText: "", calls: [], results: new Map(), assistantText: [], steps: 0 };
      turns.push(turn);
    }
    return turn;
  };
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        instructions.push(message.content);
        break;
      case "user": {
        const text = message.content.map((part) => (part.type === "text" ? part.text : "")).join(" ").trim();
        const images = message.content.filter((part) => part.type === "file" && part.mediaType.startsWith("image/")).length;
        // Several user messages in a row form one turn (e.g., a channel that batches messages).
        if (turn !== undefined && turn.calls.length === 0 && turn.assistantText.length === 0) {
          turn.userText = [turn.userText, text].filter((t) => t !== "").join("\n");
          turn.images = (turn.images ?? 0) + images;
        } else {
          turn = { userText: text, calls: [], results: new Map(), assistantText: [], steps: 0, images };
          turns.push(turn);
        }
        break;
      }
      case "assistant": {
        const current = openTurn();
        const step = current.steps++;
        for (const part of message.content) {
          if (part.type === "text") current.assistantText.push(part.text);
          else if (part.type === "tool-call") current.calls.push({ id: part.toolCallId, name: part.toolName, input: asRecord(part.input), step });
          else if (part.type === "tool-result") current.results.set(part.toolCallId, toOutcome(part.output));
        }
        break;
      }
      case "tool": {
        const current = openTurn();
        for (const part of message.content) {
          if (part.type === "tool-result") current.results.set(part.toolCallId, toOutcome(part.output));
        }
        break;
      }
    }
  }
  const built = turns.map(finish);
  const current = built.at(-1) ?? { userText: "", exchanges: [], assistantText: "" };
  const currentOnly: Turn = { ...current, assistantText: "" };
  return { instructions: instructions.join("\n"), history: built.slice(0, -1), current: currentOnly };
};
