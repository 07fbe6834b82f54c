/** What one turn of a conversation takes and gives, whatever the channel. */
import type { UIMessageChunk } from "ai";
import { Data, type Effect } from "effect";

/** A turn that could not be completed; the channel turns it into a kind reply or a 503. */
export class AgentError extends Data.TaggedError("AgentError")<{
  readonly reason: "model" | "storage" | "timeout";
  readonly cause: unknown;
}> {}

/** 1-128 characters of [A-Za-z0-9_.:-], chosen by the client or the channel. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const MAX_USER_TEXT_LENGTH = 4000;

export interface Attachment {
  /** e.g. "image/jpeg" */
  readonly mediaType: string;
  readonly data: Uint8Array;
  readonly filename?: string;
}

export interface TurnInput {
  readonly conversationId: string;
  readonly text: string;
  /** Which channel the conversation lives on: "http", "whatsapp", "web". */
  readonly channel: string;
  readonly attachments?: ReadonlyArray<Attachment>;
  /**
   * Answer the conversation's last turn again (a client's "regenerate"): that turn (its user message
   * and its answer) is left out of memory and replaced, in the same transaction, by this one.
   */
  readonly replacesLastTurn?: boolean;
}

export interface ToolCallRecord {
  readonly name: string;
  readonly input: unknown;
  readonly output: unknown;
}

export interface TurnResult {
  readonly conversationId: string;
  readonly reply: { readonly text: string };
  readonly toolCalls: ReadonlyArray<ToolCallRecord>;
  /** The OpenTelemetry trace id of this turn. */
  readonly traceId: string;
}

export interface StreamedTurn {
  /** AI SDK UI message stream chunks, for the web widget (text deltas, tool activity). */
  readonly chunks: ReadableStream<UIMessageChunk>;
  /** Completes once the turn is complete and stored. */
  readonly result: Effect.Effect<TurnResult, AgentError>;
}

export interface StoredMessage {
  readonly role: "user" | "assistant";
  readonly text: string;
  readonly createdAt: Date;
}
