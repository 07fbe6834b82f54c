/**
 * A deterministic Agent for channel tests: answers from a script, streams real AI SDK UI message
 * chunks (built with `createUIMessageStream`), keeps history in memory and records every call.
 * It deliberately does NOT serialise a conversation's turns, so tests see whether the channel keeps order.
 */
import { createUIMessageStream, type UIMessageChunk } from "ai";
import { Effect, Layer } from "effect";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, AgentError } from "../../../core/agent.ts";
import type { StoredMessage, ToolCallRecord, TurnInput, TurnResult } from "../../../core/turn.ts";

export interface ScriptedTurn {
  readonly text: string;
  readonly toolCalls?: ReadonlyArray<ToolCallRecord>;
  /** Wait before answering (reply) or before the first chunk (stream). */
  readonly delayMs?: number;
  /** Wait between streamed chunks. */
  readonly chunkDelayMs?: number;
  /** How long each tool runs (stream): the wait between its input and its output. */
  readonly toolRunMs?: number;
  /** Fail the turn with an AgentError. */
  readonly fail?: boolean;
}

export interface ScriptedAgent {
  readonly layer: Layer.Layer<Agent>;
  readonly calls: TurnInput[];
  readonly histories: Map<string, StoredMessage[]>;
  /** Highest number of turns of one conversation that ran at the same time. */
  readonly maxConcurrentPerConversation: () => number;
  /** Highest number of turns (any conversation) that ran at the same time. */
  readonly maxConcurrent: () => number;
}

export const makeScriptedAgent = (script: (input: TurnInput, callIndex: number) => ScriptedTurn): ScriptedAgent => {
  const calls: TurnInput[] = [];
  const histories = new Map<string, StoredMessage[]>();
  const running = new Map<string, number>();
  let runningTotal = 0;
  let maxPerConversation = 0;
  let maxTotal = 0;

  const enter = (id: string) => {
    const now = (running.get(id) ?? 0) + 1;
    running.set(id, now);
    runningTotal++;
    maxPerConversation = Math.max(maxPerConversation, now);
    maxTotal = Math.max(maxTotal, runningTotal);
  };
  const leave = (id: string) => {
    running.set(id, (running.get(id) ?? 1) - 1);
    runningTotal--;
  };
  const store = (input: TurnInput, text: string) => {
    const history = histories.get(input.conversationId) ?? [];
    history.push({ role: "user", text: input.text, createdAt: new Date() }, { role: "assistant", text, createdAt: new Date() });
    histories.set(input.conversationId, history);
  };
  const begin = (input: TurnInput) => {
    calls.push(input);
    return script(input, calls.length - 1);
  };
  const resultOf = (input: TurnInput, turn: ScriptedTurn): TurnResult => ({
    conversationId: input.conversationId,
    reply: { text: turn.text },
    toolCalls: turn.toolCalls ?? [],
    traceId: "0".repeat(32),
  });

  const reply = (input: TurnInput) =>
    Effect.tryPromise({
      try: async () => {
        const turn = begin(input);
        enter(input.conversationId);
        try {
          if (turn.delayMs) await sleep(turn.delayMs);
          if (turn.fail) throw new Error("scripted failure");
          store(input, turn.text);
          return resultOf(input, turn);
        } finally {
          leave(input.conversationId);
        }
      },
      catch: (cause) => new AgentError({ reason: "model", cause }),
    });

  const stream = (input: TurnInput) =>
    Effect.suspend(() => {
      const turn = begin(input);
      if (turn.fail) return Effect.fail(new AgentError({ reason: "model", cause: new Error("scripted failure") }));
      let finish!: (result: TurnResult) => void;
      const result = new Promise<TurnResult>((resolve) => (finish = resolve));
      const chunks = createUIMessageStream({
        execute: async ({ writer }) => {
          enter(input.conversationId);
          try {
            const pause = () => (turn.chunkDelayMs ? sleep(turn.chunkDelayMs) : Promise.resolve());
            if (turn.delayMs) await sleep(turn.delayMs);
            for (const chunk of scriptedChunks(turn)) {
              writer.write(chunk);
              await pause();
              if (chunk.type === "tool-input-available" && turn.toolRunMs) await sleep(turn.toolRunMs);
            }
            store(input, turn.text);
            finish(resultOf(input, turn));
          } finally {
            leave(input.conversationId);
          }
        },
      });
      return Effect.succeed({ chunks, result: Effect.promise(() => result) });
    });

  return {
    layer: Layer.succeed(
      Agent,
      Agent.of({
        reply,
        stream,
        history: (id) => Effect.sync(() => histories.get(id)),
        forget: (id) => Effect.sync(() => histories.delete(id)),
      }),
    ),
    calls,
    histories,
    maxConcurrentPerConversation: () => maxPerConversation,
    maxConcurrent: () => maxTotal,
  };
};

/** The chunks `streamText(...).toUIMessageStream()` emits for tool calls followed by a text answer. */
export const scriptedChunks = (turn: ScriptedTurn): UIMessageChunk[] => {
  const chunks: UIMessageChunk[] = [{ type: "start", messageId: `msg-${Math.random().toString(36).slice(2)}` }];
  for (const [i, call] of (turn.toolCalls ?? []).entries()) {
    const toolCallId = `call-${i}`;
    chunks.push(
      { type: "start-step" },
      { type: "tool-input-start", toolCallId, toolName: call.name },
      { type: "tool-input-available", toolCallId, toolName: call.name, input: call.input },
      { type: "tool-output-available", toolCallId, output: call.output },
      { type: "finish-step" },
    );
  }
  chunks.push({ type: "start-step" }, { type: "text-start", id: "text-1" });
  for (const word of turn.text.match(/\S+\s*/g) ?? []) chunks.push({ type: "text-delta", id: "text-1", delta: word });
  chunks.push({ type: "text-end", id: "text-1" }, { type: "finish-step" }, { type: "finish", finishReason: "stop" });
  return chunks;
};
