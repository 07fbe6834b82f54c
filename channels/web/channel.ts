/**
 * The web widget as a channel: the browser chooses its conversation id (kept in the "web:"
 * namespace), the reply is streamed as the AI SDK UI message stream.
 */
import { pipeUIMessageStreamToResponse } from "ai";
import { Effect } from "effect";
import type { Response } from "express";
import { ChannelRejection, prefixedIds, type ChannelAdapter, type InboundMessage } from "../../core/channel.ts";
import type { StreamedTurn } from "../../core/turn.ts";
import { clientIdSchema, parseChatRequest } from "./chat-request.ts";
import { decodeDataUrl } from "../image-upload.ts";

export const webConversationIds = prefixedIds("web");

/** Checks a browser's conversation id (16-100 characters). */
export const clientIdFrom = (raw: string): Effect.Effect<string, ChannelRejection> =>
  clientIdSchema.safeParse(raw).success
    ? Effect.succeed(raw)
    : Effect.fail(new ChannelRejection({ status: 400, code: "invalid_conversation_id", message: "conversationId must be 16-100 characters of A-Z, a-z, 0-9, _ -." }));

export interface WebInbound {
  readonly isJson: boolean;
  readonly body: unknown;
}

export const webChannel: ChannelAdapter<WebInbound, { readonly response: Response; readonly turn: StreamedTurn }> = {
  name: "web",
  conversationIds: webConversationIds,
  receive: ({ isJson, body }) =>
    Effect.gen(function* () {
      if (!isJson) return yield* new ChannelRejection({ status: 415, code: "invalid_body", message: "Send JSON with Content-Type: application/json." });
      const parsed = parseChatRequest(body);
      if (!parsed.ok) return yield* new ChannelRejection({ status: 400, code: parsed.code, message: parsed.message });
      const file = parsed.files?.[0];
      const attachment = file === undefined ? undefined : yield* decodeDataUrl(file.url, file.mediaType, file.filename);
      const message: InboundMessage = {
        conversationId: webConversationIds.encode(parsed.clientId),
        text: parsed.text,
        ...(attachment === undefined ? {} : { attachments: [attachment] }),
        ...(parsed.regenerate ? { replacesLastTurn: true } : {}),
      };
      return message;
    }),
  // The turn is stored by the harness even if the browser goes away: its result is not awaited here.
  deliver: (thread, { response, turn }) =>
    Effect.sync(() => pipeUIMessageStreamToResponse({ response, stream: turn.chunks, headers: { "x-conversation-id": thread } })),
};
