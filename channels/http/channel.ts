/**
 * The plain HTTP API as a channel: the client chooses the conversation id; a JSON body
 * {"text"} is the message, optionally with {"image": {"mediaType", "data" (base64)}} (a photo,
 * checked by channels/image-upload.ts); the reply is the JSON response.
 */
import { Effect } from "effect";
import type { Response } from "express";
import { ChannelRejection, type ChannelAdapter, type ConversationIds, type InboundMessage } from "../../core/channel.ts";
import type { TurnResult } from "../../core/turn.ts";
import { conversationIdSchema, messageRequestSchema } from "./schemas.ts";
import { decodeImage, photoOnlyText } from "../image-upload.ts";

/** Ids other channels use for their conversations (WhatsApp numbers, browsers): not reachable here. */
const OTHER_CHANNEL_PREFIX = /^(wa|web):/;

/** The client's id is the conversation id, except the namespaces of other channels. */
export const httpConversationIds: ConversationIds = {
  encode: (thread) => thread,
  decode: (conversationId) => (OTHER_CHANNEL_PREFIX.test(conversationId) ? undefined : conversationId),
};

/** Checks a conversation id from the path (conversationIdSchema). */
export const conversationIdFrom = (raw: string): Effect.Effect<string, ChannelRejection> => {
  const parsed = conversationIdSchema.safeParse(raw);
  if (parsed.success) return Effect.succeed(httpConversationIds.encode(parsed.data));
  const reserved = parsed.error.issues.every((issue) => issue.code === "custom");
  return Effect.fail(
    reserved
      ? new ChannelRejection({ status: 400, code: "reserved_conversation_id", message: "Ids starting with wa: or web: belong to other channels; choose another id." })
      : new ChannelRejection({ status: 400, code: "invalid_conversation_id", message: "conversationId must be 1-128 characters of A-Z, a-z, 0-9, _ . : -" }),
  );
};

export interface HttpInbound {
  readonly conversationId: string;
  readonly isJson: boolean;
  readonly body: unknown;
}

export const httpChannel: ChannelAdapter<HttpInbound, { readonly response: Response; readonly turn: TurnResult }> = {
  name: "http",
  conversationIds: httpConversationIds,
  receive: (request) =>
    Effect.gen(function* () {
      const conversationId = yield* conversationIdFrom(request.conversationId);
      if (!request.isJson)
        return yield* new ChannelRejection({ status: 400, code: "invalid_body", message: 'Send a JSON body {"text": "..."} with Content-Type: application/json.' });
      const parsed = messageRequestSchema.safeParse(request.body);
      if (!parsed.success)
        return yield* new ChannelRejection({ status: 400, code: "invalid_body", message: parsed.error.issues.map((issue) => issue.message).join("; ") });
      const image = parsed.data.image;
      const attachment = image === undefined ? undefined : yield* decodeImage(image.mediaType, image.data, image.filename);
      const message: InboundMessage = {
        conversationId,
        text: parsed.data.text ?? photoOnlyText,
        ...(attachment === undefined ? {} : { attachments: [attachment] }),
      };
      return message;
    }),
  deliver: (_thread, { response, turn }) =>
    Effect.sync(() => {
      response.json({ conversationId: turn.conversationId, reply: { text: turn.reply.text }, toolCalls: turn.toolCalls, traceId: turn.traceId });
    }),
};
