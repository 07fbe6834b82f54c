/**
 * The body of POST /api/chat: `{ "conversationId": "...", "text": "..." }`, or what the AI SDK's
 * `useChat`/`DefaultChatTransport` sends (`{ "id": "...", "messages": [...] }`, the last user message's text).
 */
import { MAX_USER_TEXT_LENGTH } from "../../core/turn.ts";

/** The browser's id for its conversation; the harness' id is "web:" + it (channel.ts), so web clients reach only web conversations. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;


export type ChatRequest =
  | { readonly ok: true; readonly clientId: string; readonly text: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

const lastUserText = (messages: unknown): string | undefined => {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; parts?: unknown };
    if (message?.role !== "user" || !Array.isArray(message.parts)) continue;
    return message.parts
      .filter((part: { type?: unknown; text?: unknown }) => part?.type === "text" && typeof part.text === "string")
      .map((part: { text: string }) => part.text)
      .join("");
  }
  return undefined;
};

export const parseChatRequest = (body: unknown): ChatRequest => {
  if (typeof body !== "object" || body === null) return { ok: false, code: "invalid_body", message: 'Send JSON {"conversationId": "...", "text": "..."}.' };
  const record = body as Record<string, unknown>;
  const clientId = typeof record.conversationId === "string" ? record.conversationId : typeof record.id === "string" ? record.id : undefined;
  if (!clientId || !CLIENT_ID_PATTERN.test(clientId)) {
    return { ok: false, code: "invalid_conversation_id", message: "conversationId must be 16-100 characters of A-Z, a-z, 0-9, _ -." };
  }
  const text = typeof record.text === "string" ? record.text : lastUserText(record.messages);
  if (text === undefined || text.trim() === "") return { ok: false, code: "invalid_body", message: "text is required and must not be empty." };
  if (text.length > MAX_USER_TEXT_LENGTH) return { ok: false, code: "text_too_long", message: `text must be at most ${MAX_USER_TEXT_LENGTH} characters.` };
  return { ok: true, clientId, text: text.trim() };
};
