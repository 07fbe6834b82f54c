/**
 * The body of POST /api/chat, as a zod schema (`chatRequestSchema`, also the OpenAPI description):
 * `{ "conversationId": "...", "text": "..." }`, or what the AI SDK's `useChat`/`DefaultChatTransport`
 * sends (`{ "id": "...", "messages": [...], "trigger": "submit-message" | "regenerate-message" }`, the
 * last user message's text is the message). `trigger: "regenerate-message"` asks for the last answer
 * again: the last stored turn is replaced, not repeated.
 */
import { z } from "zod";
import { MAX_USER_TEXT_LENGTH } from "../../core/turn.ts";

/** The browser's id for its conversation; the harness' id is "web:" + it (channel.ts), so web clients reach only web conversations. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;

const CLIENT_ID_MESSAGE = "conversationId must be 16-100 characters of A-Z, a-z, 0-9, _ -.";

export const clientIdSchema = z
  .string()
  .regex(CLIENT_ID_PATTERN, { error: CLIENT_ID_MESSAGE })
  .meta({ description: "The browser's conversation id (the widget keeps a random UUID in localStorage).", example: "0f6b2c1e-7d2a-4c55-9a44-3b7c2d9e8f10" });

/**
 * One part of an AI SDK UI message; `text` parts are the message and `file` parts of the last user
 * message its photo (`{ type: "file", mediaType: "image/png", url: "data:image/png;base64,...", filename }`,
 * as useChat's sendMessage({ files }) sends them); the others (tools, steps) are allowed and ignored.
 */
const uiMessagePartSchema = z.looseObject({ type: z.string(), text: z.string().optional(), mediaType: z.string().optional(), url: z.string().optional(), filename: z.string().optional() });

const uiMessageSchema = z.looseObject({
  id: z.string().optional(),
  role: z.enum(["system", "user", "assistant"]),
  parts: z.array(uiMessagePartSchema),
});

export const chatTriggerSchema = z
  .enum(["submit-message", "regenerate-message"])
  .meta({ description: "AI SDK UI's trigger: regenerate-message replaces the last answer (and its user turn is not stored twice)." });

export const chatRequestSchema = z
  .looseObject({
    conversationId: clientIdSchema.optional(),
    id: clientIdSchema.optional().meta({ description: "useChat's chat id; the conversation id when conversationId is absent." }),
    text: z.string().optional().meta({ description: `The user's message, 1-${MAX_USER_TEXT_LENGTH} characters after trimming.` }),
    messages: z.array(uiMessageSchema).optional().meta({ description: "useChat's messages; the last user message's text parts are the message." }),
    trigger: chatTriggerSchema.optional(),
    messageId: z.string().optional(),
  })
  .meta({ id: "ChatRequest", description: "POST /api/chat: conversationId (or id) and text (or useChat's messages)." });

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;

/** What a valid request asks for. */
export interface ChatFile {
  readonly url: string;
  readonly mediaType: string | undefined;
  readonly filename: string | undefined;
}

export interface ChatMessage {
  readonly clientId: string;
  readonly text: string;
  /** The file parts of the last user message (photos, as data: URLs); checked by the channel. */
  readonly files?: ReadonlyArray<ChatFile>;
  /** The last turn is to be answered again (AI SDK UI's regenerate). */
  readonly regenerate: boolean;
}

export type ChatRequest = ({ readonly ok: true } & ChatMessage) | { readonly ok: false; readonly code: string; readonly message: string };

const lastUserText = (messages: NonNullable<ChatRequestBody["messages"]>): string | undefined => {
  const last = messages.findLast((message) => message.role === "user");
  return last?.parts.flatMap((part) => (part.type === "text" && part.text !== undefined ? [part.text] : [])).join("");
};

const lastUserFiles = (messages: NonNullable<ChatRequestBody["messages"]>): ChatFile[] => {
  const last = messages.findLast((message) => message.role === "user");
  return (last?.parts ?? []).flatMap((part) => (part.type === "file" ? [{ url: part.url ?? "", mediaType: part.mediaType, filename: part.filename }] : []));
};

const ID_FIELDS = new Set<PropertyKey>(["conversationId", "id"]);

/** Validates a body with `chatRequestSchema`; a refusal carries the documented error code. */
export const parseChatRequest = (body: unknown): ChatRequest => {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue && issue.path.length > 0 && ID_FIELDS.has(issue.path[0]!)) return { ok: false, code: "invalid_conversation_id", message: CLIENT_ID_MESSAGE };
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return { ok: false, code: "invalid_body", message: `${where}${issue?.message ?? "invalid body"}. Send JSON {"conversationId": "...", "text": "..."}.` };
  }
  const request = parsed.data;
  const clientId = request.conversationId ?? request.id;
  if (clientId === undefined) return { ok: false, code: "invalid_conversation_id", message: CLIENT_ID_MESSAGE };
  const files = request.text === undefined && request.messages ? lastUserFiles(request.messages) : [];
  if (files.length > 1) return { ok: false, code: "too_many_files", message: "Send one photo per message." };
  const written = request.text ?? (request.messages ? lastUserText(request.messages) : undefined);
  // A photo alone is a message too (the channel words it as WhatsApp does).
  const text = (written === undefined || written.trim() === "") && files.length > 0 ? "Te envío una foto." : written;
  if (text === undefined || text.trim() === "") return { ok: false, code: "invalid_body", message: "text is required and must not be empty." };
  if (text.length > MAX_USER_TEXT_LENGTH) return { ok: false, code: "text_too_long", message: `text must be at most ${MAX_USER_TEXT_LENGTH} characters.` };
  return { ok: true, clientId, text: text.trim(), ...(files.length > 0 ? { files } : {}), regenerate: request.trigger === "regenerate-message" };
};
