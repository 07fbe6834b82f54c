/** Who the agent is: supplied by the application (composition root), never by the harness. */
import { Context } from "effect";

export interface AgentDefinitionShape {
  /** Names the agent in traces (`gen_ai.agent.name`). */
  readonly name: string;
  /** The standing instructions the model gets on every turn. */
  readonly instructions: string;
  /** What a person reads when the model produced no words (e.g. it ran out of steps). */
  readonly emptyReplyFallback: string;
}

export class AgentDefinition extends Context.Service<AgentDefinition, AgentDefinitionShape>()("AgentDefinition") {}
