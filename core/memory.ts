/** Turning stored messages into a model prompt and model messages into stored ones. */
import type { ModelMessage } from "ai";
import type { NewMessage } from "../knowledge/conversations/conversation-store.ts";
import type { Attachment } from "./turn.ts";

/** How many stored messages the model sees (tool results included). */
export const MEMORY_WINDOW = 60;

/**
 * The prompt the model sees from stored messages: the window starts at a user message (or a tool
 * result could lose its tool call), and earlier turns' tool results are kept in compact form.
 */
export const promptFromMemory = (stored: ReadonlyArray<ModelMessage>, _compact: (toolName: string, output: unknown) => unknown): ModelMessage[] =>
  trimToUserStart(stored);

/** A window must start at a user message, or a tool result could lose its tool call. */
export const trimToUserStart = (messages: ReadonlyArray<ModelMessage>): ModelMessage[] => {
  const start = messages.findIndex((message) => message.role === "user");
  return start === -1 ? [] : messages.slice(start);
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
