/**
 * The agent on the AI SDK: one turn = load memory, let the model call tools until it answers,
 * store what happened. Turns of one conversation are serialised; each turn is one trace.
 */
import { generateText, isStepCount, streamText, type ModelMessage, type StepResult, type ToolSet, type UIMessageChunk } from "ai";
import { Deferred, Effect, Fiber, Layer, Option } from "effect";
import { ConversationStore } from "../knowledge/conversations/conversation-store.ts";
import { Agent, AgentError } from "./agent.ts";
import { AgentDefinition } from "./agent-definition.ts";
import { AppConfig } from "./config.ts";
import { ConversationLock } from "./conversation-lock.ts";
import { LoopTelemetry, type ObservedLoop } from "./loop-telemetry.ts";
import { MEMORY_WINDOW, promptFromMemory, storedUserMessage, toStored, userMessage } from "./memory.ts";
import { AgentModel } from "./model.ts";
import { Toolkit } from "./toolkit.ts";
import type { StreamedTurn, ToolCallRecord, TurnInput, TurnResult } from "./turn.ts";
import { turnDeadline } from "./turn-deadline.ts";

export const toolCallsOf = (steps: ReadonlyArray<StepResult<ToolSet>>): ToolCallRecord[] =>
  steps.flatMap((step) =>
    step.content.flatMap((part) => {
      if (part.type === "tool-result") return [{ name: part.toolName, input: part.input, output: part.output }];
      if (part.type === "tool-error") return [{ name: part.toolName, input: part.input, output: { ok: false, error: { code: "tool_error", message: String(part.error) } } }];
      return [];
    }),
  );

const modelFailure = (cause: unknown) =>
  new AgentError({ reason: cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError") ? "timeout" : "model", cause });
const storageFailure = (cause: unknown) => new AgentError({ reason: "storage", cause });

export const AgentLive = Layer.effect(
  Agent,
  Effect.gen(function* () {
    const { model, kind } = yield* AgentModel;
    const toolkit = yield* Toolkit;
    const definition = yield* AgentDefinition;
    const store = yield* ConversationStore;
    const lock = yield* ConversationLock;
    const config = (yield* AppConfig).model;
    const telemetry = Option.getOrElse(yield* Effect.serviceOption(LoopTelemetry), () => LoopTelemetry.none);
    const observedModel = telemetry.wrapModel(model);
    const observedTools = telemetry.wrapTools(toolkit.tools);
    // Tokens cost a live model money and latency; the built-in model reads its whole window for free.
    const memory = { budgetTokens: kind === "offline" ? Number.POSITIVE_INFINITY : config.memoryTokens };

    /** Loads memory; returns the prompt for the model. */
    const beginTurn = (input: TurnInput) =>
      Effect.gen(function* () {
        const recent = (yield* store.recentContent(input.conversationId, MEMORY_WINDOW)) as ModelMessage[];
        // A regenerated answer: the turn it replaces is not part of what the model remembers.
        const stored = input.replacesLastTurn ? recent.slice(0, Math.max(0, recent.findLastIndex((message) => message.role === "user"))) : recent;
        return [...promptFromMemory(stored, toolkit.compactForMemory, memory), userMessage(input.text, input.attachments)];
      }).pipe(Effect.mapError(storageFailure));

    const finishTurn = (input: TurnInput, text: string, responseMessages: ReadonlyArray<ModelMessage>, steps: ReadonlyArray<StepResult<ToolSet>>) =>
      Effect.gen(function* () {
        const replyText = text.trim() === "" ? definition.emptyReplyFallback : text.trim();
        const stored = responseMessages.map(toStored);
        if (text.trim() === "") stored.push({ role: "assistant", text: replyText, content: { role: "assistant", content: replyText } });
        // The user's message and everything the turn produced are written in one transaction:
        // a turn that fails midway leaves nothing half-written (the channel reports the failure).
        yield* store
          .append(input.conversationId, input.channel, [storedUserMessage(input.text, input.attachments), ...stored], { replaceLastTurn: input.replacesLastTurn === true })
          .pipe(Effect.mapError(storageFailure));
        const toolCalls = toolCallsOf(steps);
        yield* Effect.annotateCurrentSpan({ "chat.tool_calls": toolCalls.map((call) => call.name).join(","), "chat.reply_chars": replyText.length });
        const span = yield* Effect.currentSpan.pipe(Effect.orDie);
        const result: TurnResult = { conversationId: input.conversationId, reply: { text: replyText }, toolCalls, traceId: span.traceId };
        return result;
      });

    const settings = (input: TurnInput, messages: ModelMessage[], signal: AbortSignal, loop: ObservedLoop) => ({
      ...loop.callbacks,
      model: observedModel,
      instructions: definition.instructions,
      messages,
      tools: observedTools,
      // The toolkit is a port: its tools and their per-turn context are opaque to the harness.
      toolsContext: toolkit.contextFor({ conversationId: input.conversationId, channel: input.channel, attachments: input.attachments }) as never,
      stopWhen: isStepCount(config.maxSteps),
      abortSignal: signal,
      // The loop's spans come from LoopTelemetry's callbacks, not from integrations the SDK would
      // feed copies of every event.
      telemetry: { isEnabled: false },
    });

    /** The turn's span ("chat.turn"): AI SDK, tool and store spans nest under it. */
    const asTurn = <A, E, R>(input: TurnInput, turn: Effect.Effect<A, E, R>) =>
      lock.withLock(
        input.conversationId,
        turn.pipe(
          Effect.withSpan("chat.turn", {
            attributes: { "chat.conversation_id": input.conversationId, "chat.channel": input.channel, "chat.user_chars": input.text.length },
          }),
        ),
      );

    const reply = (input: TurnInput) =>
      asTurn(
        input,
        Effect.gen(function* () {
          const messages = yield* beginTurn(input);
          const loop = telemetry.begin(definition.name);
          const result = yield* Effect.tryPromise({
            try: async (interrupted) => {
              const deadline = turnDeadline(config.turnTimeoutMs);
              try {
                return await loop.run(() => generateText(settings(input, messages, AbortSignal.any([interrupted, deadline.signal]), loop)));
              } finally {
                deadline.clear();
              }
            },
            catch: modelFailure,
          }).pipe(Effect.tapError((error) => Effect.sync(() => loop.fail(error.cause))));
          return yield* finishTurn(input, result.text, result.responseMessages, result.steps);
        }),
      );

    const stream = (input: TurnInput) =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<ReadableStream<UIMessageChunk>, AgentError>();
        const turn = asTurn(
          input,
          Effect.gen(function* () {
            const messages = yield* beginTurn(input);
            const loop = telemetry.begin(definition.name);
            // The model loop's deadline; its timer ends with the turn (core/turn-deadline.ts).
            return yield* Effect.acquireUseRelease(
              Effect.sync(() => turnDeadline(config.turnTimeoutMs)),
              (deadline) =>
                Effect.gen(function* () {
                  const streaming = loop.run(() => streamText({ ...settings(input, messages, deadline.signal, loop), onError: ({ error }) => loop.fail(error), onAbort: () => loop.fail(new Error("aborted")) }));
                  const [forClient, forUs] = streaming.toUIMessageStream().tee();
                  yield* Deferred.succeed(started, forClient);
                  // Drain our copy so the turn completes and is stored even if the client goes away.
                  const [text, responseMessages, steps] = yield* Effect.tryPromise({
                    try: () => forUs.pipeTo(new WritableStream()).then(() => Promise.all([streaming.text, streaming.responseMessages, streaming.steps])),
                    catch: modelFailure,
                  }).pipe(Effect.tapError((error) => Effect.sync(() => loop.fail(error.cause))));
                  return yield* finishTurn(input, text, responseMessages, steps);
                }),
              (deadline) => Effect.sync(deadline.clear),
            );
          }),
        ).pipe(Effect.tapError((error) => Deferred.fail(started, error)));
        // The turn outlives the request that started it: it is stored even if the client leaves.
        const fiber = yield* Effect.forkDetach(turn);
        const chunks = yield* Deferred.await(started);
        const streamed: StreamedTurn = { chunks, result: Fiber.join(fiber) };
        return streamed;
      });

    return Agent.of({
      reply,
      stream,
      history: (conversationId) => store.visibleHistory(conversationId).pipe(Effect.mapError(storageFailure)),
      // Waits for the conversation's running turn, so it is not written back after being forgotten.
      forget: (conversationId) => lock.withLock(conversationId, store.forget(conversationId).pipe(Effect.mapError(storageFailure))),
    });
  }),
);
