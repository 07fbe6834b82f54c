/**
 * The channel contract. Every channel (the HTTP API, the web widget, WhatsApp) is an adapter that
 * (1) authenticates and parses a platform request into one inbound message, (2) maps the platform's
 * thread to a conversation id of its own namespace and back, and (3) delivers the reply the way its
 * platform expects. Turn order, memory, locking and tracing stay in the harness (Agent).
 */
import { Data, type Effect } from "effect";
import type { Attachment } from "./turn.ts";

export interface InboundMessage {
  /** The harness conversation id (already encoded by the channel). */
  readonly conversationId: string;
  readonly text: string;
  readonly attachments?: ReadonlyArray<Attachment>;
  /** The platform's id of this message when it has one (idempotency, delivery bookkeeping). */
  readonly externalId?: string;
  /** The platform asks for the last answer again (TurnInput.replacesLastTurn). */
  readonly replacesLastTurn?: boolean;
}

/** A request the channel refuses, with the status and code its platform should get. */
export class ChannelRejection extends Data.TaggedError("ChannelRejection")<{
  readonly status: number;
  readonly code: string;
  readonly message: string;
}> {}

export interface ConversationIds {
  /** Platform thread (a phone number, a browser id, a client-chosen id) to conversation id. */
  readonly encode: (thread: string) => string;
  /** Conversation id back to the platform thread, or undefined when it belongs to another channel. */
  readonly decode: (conversationId: string) => string | undefined;
}

export interface ChannelAdapter<Request, Reply, DeliveryError = never, R = never> {
  /** Recorded with every turn (TurnInput.channel) and on its span. */
  readonly name: string;
  readonly conversationIds: ConversationIds;
  /** Verifies the request comes from the platform and reads the message in it. */
  readonly receive: (request: Request) => Effect.Effect<InboundMessage, ChannelRejection, R>;
  /** Sends a reply to the platform thread. */
  readonly deliver: (thread: string, reply: Reply) => Effect.Effect<void, DeliveryError, R>;
}

/** Conversation ids of a channel: its own prefix, so no channel can read another's conversations. */
export const prefixedIds = (prefix: string): ConversationIds => ({
  encode: (thread) => `${prefix}:${thread}`,
  decode: (conversationId) => (conversationId.startsWith(`${prefix}:`) ? conversationId.slice(prefix.length + 1) : undefined),
});
