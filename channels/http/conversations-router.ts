/** The plain HTTP API of conversations: the contract outside clients and the evals depend on. */
import { ROOT_CONTEXT, context, propagation, trace } from "@opentelemetry/api";
import { Effect } from "effect";
import express from "express";
import { Agent } from "../../core/agent.ts";
import { answeringFailures, sendError } from "../errors.ts";
import { conversationIdFrom, httpChannel } from "./channel.ts";

export interface ConversationsRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Agent>) => Promise<A>;
}

export const conversationsRouter = ({ run }: ConversationsRouterDeps) => {
  const router = express.Router();

  router.post("/:conversationId/messages", (req, res) => {
    // The turn is a child of the HTTP server span when the HTTP instrumentation is on (it has
    // already joined the caller's traceparent); without it, a W3C traceparent header (e.g. from an
    // eval runner) makes this turn part of the caller's trace.
    const parent = trace.getSpan(context.active()) ? context.active() : propagation.extract(ROOT_CONTEXT, req.headers);
    return context.with(parent, () =>
      run(
        Effect.gen(function* () {
          const message = yield* httpChannel.receive({ conversationId: String(req.params.conversationId ?? ""), isJson: Boolean(req.is("application/json")), body: req.body });
          const turn = yield* Agent.use((agent) => agent.reply({ ...message, channel: httpChannel.name }));
          yield* httpChannel.deliver(message.conversationId, { response: res, turn });
        }).pipe(answeringFailures(res)),
      ),
    );
  });

  router.get("/:conversationId/messages", (req, res) =>
    run(
      Effect.gen(function* () {
        const id = yield* conversationIdFrom(String(req.params.conversationId ?? ""));
        const messages = yield* Agent.use((agent) => agent.history(id));
        if (!messages) return sendError(res, 404, "conversation_not_found", `No conversation with id ${id}.`);
        res.json({ conversationId: id, messages: messages.map((m) => ({ role: m.role, text: m.text, createdAt: m.createdAt.toISOString() })) });
      }).pipe(answeringFailures(res)),
    ),
  );

  router.delete("/:conversationId", (req, res) =>
    run(
      Effect.gen(function* () {
        const id = yield* conversationIdFrom(String(req.params.conversationId ?? ""));
        const existed = yield* Agent.use((agent) => agent.forget(id));
        if (!existed) return sendError(res, 404, "conversation_not_found", `No conversation with id ${id}.`);
        res.status(204).end();
      }).pipe(answeringFailures(res)),
    ),
  );

  return router;
};
