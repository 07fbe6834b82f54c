/**
 * The plain HTTP API as a channel: the client chooses the conversation id; a JSON body
 * {"text"} is the message; the reply is the JSON response.
 */
import { Effect } from "effect";
import type { Response } from "express";
import { z } from "zod";
import { ChannelRejection, type ChannelAdapter, type ConversationIds, type InboundMessage } from "../../core/channel.ts";
import { CONVERSATION_ID_PATTERN, MAX_USER_TEXT_LENGTH, type TurnResult } from "../../core/turn.ts";

/** Ids other channels use for their conversations (WhatsApp numbers, browsers): not reachable here. */
const OTHER_CHANNEL_PREFIX = /^(wa|web):/;

/** The client's id is the conversation id, except the namespaces of other channels. */
export const httpConversationIds: ConversationIds = {
  encode: (thread) => thread,
  decode: (conversationId) => (OTHER_CHANNEL_PREFIX.test(conversationId) ? undefined : conversationId),
};

const messageBody = z.object({
  text: z
    .string({ error: "text is required and must be a string" })
    .refine((text) => text.trim().length > 0, "text must not be empty")
    .refine((text) => text.length <= MAX_USER_TEXT_LENGTH, `text must be at most ${MAX_USER_TEXT_LENGTH} characters`),
});

/** Checks a conversation id from the path. */
export const conversationIdFrom = (raw: string): Effect.Effect<string, ChannelRejection> => {
  if (!CONVERSATION_ID_PATTERN.test(raw))
    return Effect.fail(new ChannelRejection({ status: 400, code: "invalid_conversation_id", message: "conversationId must be 1-128 characters of A-Z, a-z, 0-9, _ . : -" }));
  if (httpConversationIds.decode(raw) === undefined)
    return Effect.fail(new ChannelRejection({ status: 400, code: "reserved_conversation_id", message: "Ids starting with wa: or web: belong to other channels; choose another id." }));
  return Effect.succeed(httpConversationIds.encode(raw));
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
      const parsed = messageBody.safeParse(request.body);
      if (!parsed.success)
        return yield* new ChannelRejection({ status: 400, code: "invalid_body", message: parsed.error.issues.map((issue) => issue.message).join("; ") });
      const message: InboundMessage = { conversationId, text: parsed.data.text };
      return message;
    }),
  deliver: (_thread, { response, turn }) =>
    Effect.sync(() => {
      response.json({ conversationId: turn.conversationId, reply: { text: turn.reply.text }, toolCalls: turn.toolCalls, traceId: turn.traceId });
    }),
};
