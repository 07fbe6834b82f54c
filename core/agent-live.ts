/**
 * The agent on the AI SDK: one turn = load memory, let the model call tools until it answers,
 * store what happened. Turns of one conversation are serialised; each turn is one trace.
 */
import { SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { generateText, isStepCount, streamText, type ModelMessage, type StepResult, type ToolSet } from "ai";
import { Effect, Layer } from "effect";
import { ConversationStore } from "../knowledge/conversations/conversation-store.ts";
import { Toolkit } from "../tools/toolkit.ts";
import { AppConfig } from "./config.ts";
import { AgentModel } from "./model.ts";
import { Agent, AgentError } from "./agent.ts";
import { SALES_ADVISOR_INSTRUCTIONS } from "../app/sales-agent.ts";
import { KeyedQueue } from "./conversation-lock.ts";
import { MEMORY_WINDOW, storedUserMessage, toStored, trimToUserStart, userMessage } from "./memory.ts";
import type { StreamedTurn, ToolCallRecord, TurnInput, TurnResult } from "./turn.ts";

/** What a person reads when the model produced no words (e.g. it ran out of steps). */
export const EMPTY_REPLY_FALLBACK = "Perdón, no logré completar tu solicitud. ¿Me la cuentas con otras palabras?";

const tracer = trace.getTracer("kavak-agent");

export const toolCallsOf = (steps: ReadonlyArray<StepResult<ToolSet>>): ToolCallRecord[] =>
  steps.flatMap((step) =>
    step.content.flatMap((part) => {
      if (part.type === "tool-result") return [{ name: part.toolName, input: part.input, output: part.output }];
      if (part.type === "tool-error") return [{ name: part.toolName, input: part.input, output: { ok: false, error: { code: "tool_error", message: String(part.error) } } }];
      return [];
    }),
  );

export const AgentLive = Layer.effect(
  Agent,
  Effect.gen(function* () {
    const { model } = yield* AgentModel;
    const toolkit = yield* Toolkit;
    const store = yield* ConversationStore;
    const config = (yield* AppConfig).model;
    const queue = new KeyedQueue();
    const services = yield* Effect.context<never>();
    const runStore = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromiseWith(services)(effect);

    /** Loads memory and records the user's message; returns the prompt for the model. */
    const beginTurn = async (input: TurnInput): Promise<ModelMessage[]> => {
      const history = trimToUserStart((await runStore(store.recentContent(input.conversationId, MEMORY_WINDOW))) as ModelMessage[]);
      await runStore(store.append(input.conversationId, input.channel, [storedUserMessage(input.text, input.attachments)]));
      return [...history, userMessage(input.text, input.attachments)];
    };

    const finishTurn = async (input: TurnInput, span: Span, text: string, responseMessages: ReadonlyArray<ModelMessage>, steps: ReadonlyArray<StepResult<ToolSet>>): Promise<TurnResult> => {
      const replyText = text.trim() === "" ? EMPTY_REPLY_FALLBACK : text.trim();
      const stored = responseMessages.map(toStored);
      if (text.trim() === "") stored.push({ role: "assistant", text: replyText, content: { role: "assistant", content: replyText } });
      await runStore(store.append(input.conversationId, input.channel, stored));
      const toolCalls = toolCallsOf(steps);
      span.setAttributes({ "kavak.tool_calls": toolCalls.map((call) => call.name).join(","), "kavak.reply_chars": replyText.length });
      return { conversationId: input.conversationId, reply: { text: replyText }, toolCalls, traceId: span.spanContext().traceId };
    };

    const settings = (input: TurnInput, messages: ModelMessage[]) => ({
      model,
      instructions: SALES_ADVISOR_INSTRUCTIONS,
      messages,
      tools: toolkit.toolsFor({ conversationId: input.conversationId }),
      stopWhen: isStepCount(config.maxSteps),
      abortSignal: AbortSignal.timeout(config.turnTimeoutMs),
      telemetry: { isEnabled: true, functionId: "chat-turn" },
    });

    /** Runs `body` inside the turn's span, recording failures on it. */
    const inTurnSpan = <A>(input: TurnInput, body: (span: Span) => Promise<A>): Promise<A> =>
      tracer.startActiveSpan("chat.turn", { attributes: { "kavak.conversation_id": input.conversationId, "kavak.channel": input.channel, "kavak.user_chars": input.text.length } }, async (span) => {
        try {
          return await body(span);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      });

    const toAgentError = (cause: unknown) =>
      new AgentError({
        reason: cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError") ? "timeout" : isStorageError(cause) ? "storage" : "model",
        cause,
      });

    const reply = (input: TurnInput) =>
      Effect.tryPromise({
        try: () =>
          queue.run(input.conversationId, () =>
            inTurnSpan(input, async (span) => {
              const messages = await beginTurn(input);
              const result = await generateText(settings(input, messages));
              return finishTurn(input, span, result.text, result.responseMessages, result.steps);
            }),
          ),
        catch: toAgentError,
      }).pipe(Effect.withSpan("agent.reply"));

    const stream = (input: TurnInput) =>
      Effect.tryPromise({
        try: () =>
          new Promise<StreamedTurn>((resolveStream, rejectStream) => {
            const result = queue.run(input.conversationId, () =>
              inTurnSpan(input, async (span) => {
                const messages = await beginTurn(input).catch((error) => {
                  rejectStream(error);
                  throw error;
                });
                const streaming = streamText(settings(input, messages));
                const [forClient, forUs] = streaming.toUIMessageStream().tee();
                resolveStream({ chunks: forClient, result });
                // Drain our copy so the turn completes and is stored even if the client goes away.
                await forUs.pipeTo(new WritableStream());
                const [text, responseMessages, steps] = await Promise.all([streaming.text, streaming.responseMessages, streaming.steps]);
                return finishTurn(input, span, text, responseMessages, steps);
              }),
            );
            result.catch(rejectStream);
          }),
        catch: toAgentError,
      });

    return Agent.of({
      reply,
      stream,
      history: (conversationId) =>
        store.visibleHistory(conversationId).pipe(Effect.mapError((cause) => new AgentError({ reason: "storage", cause }))),
      forget: (conversationId) =>
        Effect.tryPromise({
          // Wait for the conversation's running turn, so it is not written back after being forgotten.
          try: () => queue.run(conversationId, () => runStore(store.forget(conversationId))),
          catch: (cause) => new AgentError({ reason: "storage", cause }),
        }),
    });
  }),
);

const isStorageError = (cause: unknown) => typeof cause === "object" && cause !== null && (cause as { _tag?: string })._tag === "DatabaseError";
