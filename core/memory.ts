/** Turning stored messages into a model prompt and model messages into stored ones. */
import type { ModelMessage } from "ai";
import type { NewMessage } from "../knowledge/conversations/conversation-store.ts";
import type { Attachment } from "./turn.ts";

/**
 * How many stored messages are loaded for a turn: an upper bound on the reads. What the model sees
 * of them is decided by the token budget (`promptFromMemory`).
 */
export const MEMORY_WINDOW = 60;

/** Default budget, in estimated tokens, for earlier turns in the prompt (AGENT_MEMORY_TOKENS). */
export const DEFAULT_MEMORY_TOKENS = 900;

/** Shrinks an earlier turn's tool result to what later references need; identity when it has no compact form. */
export type CompactToolResult = (toolName: string, output: unknown) => unknown;

export interface MemoryOptions {
  /** Estimated tokens the earlier turns may take in the prompt (see `estimateTokens`). */
  readonly budgetTokens?: number;
}

/**
 * The prompt the model sees from stored messages (the earlier turns; the agent appends the turn
 * being answered, which is never compacted nor dropped):
 * 1. the window starts at a user message, and is cut into turns there (a turn = a user message and
 *    every assistant and tool message up to the next one), so a tool result never loses its call;
 * 2. every earlier turn's tool results go through `compact(toolName, output)`;
 * 3. the oldest whole turns are dropped until the estimate fits `budgetTokens`. The latest turn
 *    is always kept, even when it alone exceeds the budget: the exchange just before the user's
 *    message is what a short follow-up ("the second one", "and over 60 months?") leans on.
 */
export const promptFromMemory = (stored: ReadonlyArray<ModelMessage>, compact: CompactToolResult, options: MemoryOptions = {}): ModelMessage[] => {
  const budget = options.budgetTokens ?? DEFAULT_MEMORY_TOKENS;
  const turns = splitTurns(trimToUserStart(stored)).map((turn) => turn.map((message) => compactMessage(message, compact)));
  const sizes = turns.map(estimateTokens);
  let total = sizes.reduce((sum, size) => sum + size, 0);
  let first = 0;
  while (first < turns.length - 1 && total > budget) total -= sizes[first++]!;
  return turns.slice(first).flat();
};

/** A window must start at a user message, or a tool result could lose its tool call. */
export const trimToUserStart = (messages: ReadonlyArray<ModelMessage>): ModelMessage[] => {
  const start = messages.findIndex((message) => message.role === "user");
  return start === -1 ? [] : messages.slice(start);
};

/** Cuts messages into turns: each starts at a user message (messages before the first one form a turn of their own). */
export const splitTurns = (messages: ReadonlyArray<ModelMessage>): ModelMessage[][] => {
  const turns: ModelMessage[][] = [];
  for (const message of messages) {
    if (message.role === "user" || turns.length === 0) turns.push([message]);
    else turns.at(-1)!.push(message);
  }
  return turns;
};

type ToolResultOutput = Extract<Exclude<ModelMessage["content"], string>[number], { type: "tool-result" }>["output"];

/** Only successful JSON (or JSON-as-text) results are compacted; errors and denials are kept as they are. */
const compactOutput = (toolName: string, output: ToolResultOutput, compact: CompactToolResult): ToolResultOutput => {
  if (output.type === "json") return { ...output, value: compact(toolName, output.value) as typeof output.value };
  if (output.type === "text") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output.value);
    } catch {
      return output;
    }
    const value = compact(toolName, parsed);
    return value === parsed ? output : { ...output, value: JSON.stringify(value) };
  }
  return output;
};

/** The message with its tool results compacted (a new message; the stored one is not touched). */
export const compactMessage = (message: ModelMessage, compact: CompactToolResult): ModelMessage => {
  if ((message.role !== "tool" && message.role !== "assistant") || typeof message.content === "string") return message;
  if (!message.content.some((part) => part.type === "tool-result")) return message;
  const content = message.content.map((part) => (part.type === "tool-result" ? { ...part, output: compactOutput(part.toolName, part.output, compact) } : part));
  return { ...message, content } as ModelMessage;
};

/** Framing a chat format adds around each message (role, separators). */
const MESSAGE_OVERHEAD = 4;
/** What an attached file costs, whatever its size (its bytes are not text the tokenizer reads). */
const FILE_TOKENS = 256;
/**
 * Characters per token of conversation content. Measured with o200k_base on this project's
 * conversations: replies 3.2 (numbers, prices, emphasis, emojis), tool JSON 3.1, tool calls 3.5,
 * short user messages 2.6; plain prose runs nearer 4. Three errs on the side of counting more.
 */
const CHARS_PER_TOKEN = 3;

const partChars = (part: unknown): { chars: number; files: number } => {
  if (part === null || typeof part !== "object") return { chars: 0, files: 0 };
  const p = part as { type?: string; text?: unknown; input?: unknown; output?: unknown; toolName?: unknown; toolCallId?: unknown };
  switch (p.type) {
    case "text":
    case "reasoning":
      return { chars: typeof p.text === "string" ? p.text.length : 0, files: 0 };
    case "tool-call":
      return { chars: String(p.toolName ?? "").length + String(p.toolCallId ?? "").length + (typeof p.input === "string" ? p.input : JSON.stringify(p.input ?? {})).length, files: 0 };
    case "tool-result": {
      const output = p.output as { value?: unknown } | undefined;
      const value = output?.value;
      return { chars: String(p.toolCallId ?? "").length + (typeof value === "string" ? value : JSON.stringify(value ?? "")).length, files: 0 };
    }
    case "file":
    case "image":
      return { chars: 0, files: 1 };
    default:
      return { chars: JSON.stringify(part).length, files: 0 };
  }
};

/**
 * Estimated tokens of messages, cheap and dependency-free: characters of what a provider sends
 * (texts, tool names and ids, tool inputs and outputs as JSON) / 3, plus a few tokens of framing
 * per message and a flat cost per attached file. No tokenizer: bench/prompt compares it with one.
 */
export const estimateTokens = (messages: ReadonlyArray<ModelMessage>): number => {
  let tokens = 0;
  for (const message of messages) {
    let chars = 0;
    let files = 0;
    if (typeof message.content === "string") chars = message.content.length;
    else
      for (const part of message.content) {
        const size = partChars(part);
        chars += size.chars;
        files += size.files;
      }
    tokens += MESSAGE_OVERHEAD + Math.ceil(chars / CHARS_PER_TOKEN) + files * FILE_TOKENS;
  }
  return tokens;
};

export const userMessage = (text: string, attachments: ReadonlyArray<Attachment> = []): ModelMessage => ({
  role: "user",
  content: [
    { type: "text", text },
    ...attachments.map((attachment) => ({ type: "file" as const, data: attachment.data, mediaType: attachment.mediaType })),
  ],
});

/** Stored form of the user's message: images are not kept in memory, only noted. */
export const storedUserMessage = (text: string, attachments: ReadonlyArray<Attachment> = []): NewMessage => {
  const note = attachments.length > 0 ? `\n[El usuario adjuntó ${attachments.length} archivo(s): ${attachments.map((a) => a.mediaType).join(", ")}]` : "";
  return { role: "user", text, content: { role: "user", content: `${text}${note}` } };
};

export const textOf = (message: ModelMessage): string | null => {
  if (message.role === "tool") return null;
  if (typeof message.content === "string") return message.content;
  const text = message.content
    .filter((part): part is { type: "text"; text: string } => part.type === "text")
    .map((part) => part.text)
    .join("");
  return text === "" ? null : text;
};

export const toStored = (message: ModelMessage): NewMessage => ({
  role: message.role === "system" ? "assistant" : message.role,
  text: textOf(message),
  content: message as object,
});
