/**
 * The toolkit port: the tools the model may call, built once. The harness knows tools only
 * through this service; the application provides it.
 */
import type { ToolSet } from "ai";
import { Context } from "effect";
import type { Attachment } from "./turn.ts";

/** What a tool may know about the turn it runs in (passed as the AI SDK's per-call toolsContext). */
export interface TurnContext {
  readonly conversationId: string;
  readonly channel: string;
  /** Files the user sent with this turn's message (images); they are not kept in memory. */
  readonly attachments?: ReadonlyArray<Attachment> | undefined;
}

export interface ToolkitShape {
  readonly tools: ToolSet;
  /** The per-turn `toolsContext`: for each tool that declares a context, its value this turn. */
  readonly contextFor: (turn: TurnContext) => Record<string, unknown>;
  /**
   * What of an earlier turn's tool result is kept in the model's memory (what later references
   * like "el segundo" need). Identity when a tool has no compact form.
   */
  readonly compactForMemory: (toolName: string, output: unknown) => unknown;
}

export class Toolkit extends Context.Service<Toolkit, ToolkitShape>()("Toolkit") {}
