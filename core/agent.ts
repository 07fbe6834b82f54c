/** The agent: the one entry point every channel calls. It knows no channel. */
import { Context, type Effect } from "effect";
import { AgentError, type StoredMessage, type StreamedTurn, type TurnInput, type TurnResult } from "./turn.ts";

export { AgentError };

export interface AgentShape {
  /** Answers one user message. Messages of one conversation run one at a time, in arrival order. */
  readonly reply: (input: TurnInput) => Effect.Effect<TurnResult, AgentError>;
  /** Same as reply, streaming the answer as AI SDK UI message chunks while it is generated. */
  readonly stream: (input: TurnInput) => Effect.Effect<StreamedTurn, AgentError>;
  /** The conversation as people see it, or undefined when it does not exist. */
  readonly history: (conversationId: string) => Effect.Effect<ReadonlyArray<StoredMessage> | undefined, AgentError>;
  /** Forgets a conversation; returns whether it existed. */
  readonly forget: (conversationId: string) => Effect.Effect<boolean, AgentError>;
}

export class Agent extends Context.Service<Agent, AgentShape>()("Agent") {}
