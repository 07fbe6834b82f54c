/**
 * Conversation content as the GenAI semantic conventions put it in span attributes (only with
 * content capture on): system instructions, input messages and output messages as role + parts.
 * Files and images are described (media type), not copied: a photo of a fine is no span attribute.
 */
import type { ModelMessage } from "ai";

export interface Part {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface SemConvMessage {
  readonly role: string;
  readonly parts: Part[];
  readonly finish_reason?: string;
}

type Instructions = string | { readonly content: string } | ReadonlyArray<{ readonly content: string }>;

export const systemInstructions = (instructions: Instructions): Part[] =>
  typeof instructions === "string" ? [{ type: "text", content: instructions }] : (Array.isArray(instructions) ? instructions : [instructions as { content: string }]).map((message) => ({ type: "text", content: message.content }));

const toolResponse = (output: unknown): unknown =>
  output !== null && typeof output === "object" && "value" in output && "type" in output ? (output as { value: unknown }).value : output;

/** One AI SDK content part (of a message or of a model's response) in the convention's form. */
const partOf = (part: { readonly type: string; readonly [key: string]: unknown }): Part => {
  switch (part.type) {
    case "text":
      return { type: "text", content: part.text };
    case "reasoning":
      return { type: "reasoning", content: part.text };
    case "tool-call":
      return { type: "tool_call", id: part.toolCallId, name: part.toolName, arguments: part.input };
    case "tool-result":
      return { type: "tool_call_response", id: part.toolCallId, response: toolResponse(part.output) };
    case "tool-error":
      return { type: "tool_call_response", id: part.toolCallId, response: { error: String(part.error) } };
    case "image":
    case "file":
      return { type: "blob", modality: part.type === "image" ? "image" : "file", mime_type: part.mediaType ?? part.mimeType };
    default:
      return { type: part.type };
  }
};

export const inputMessages = (messages: ReadonlyArray<ModelMessage>): SemConvMessage[] =>
  messages.map((message) => ({
    role: message.role,
    parts: typeof message.content === "string" ? [{ type: "text", content: message.content }] : (message.content as ReadonlyArray<{ type: string }>).map(partOf),
  }));

export const outputMessages = (content: ReadonlyArray<{ readonly type: string }>, finishReason: string): SemConvMessage[] => [
  { role: "assistant", parts: content.map(partOf), finish_reason: finishReason },
];
