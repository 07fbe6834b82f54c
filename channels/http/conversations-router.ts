/** The plain HTTP API of conversations: the contract outside clients and the evals depend on. */
import { ROOT_CONTEXT, context, propagation } from "@opentelemetry/api";
import type { Effect } from "effect";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { Agent, type AgentError } from "../../core/agent.ts";
import { CONVERSATION_ID_PATTERN, MAX_USER_TEXT_LENGTH } from "../../core/turn.ts";
import { sendError } from "../errors.ts";

export interface ConversationsRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Agent>) => Promise<A>;
}

const messageBody = z.object({
  text: z
    .string({ error: "text is required and must be a string" })
    .refine((text) => text.trim().length > 0, "text must not be empty")
    .refine((text) => text.length <= MAX_USER_TEXT_LENGTH, `text must be at most ${MAX_USER_TEXT_LENGTH} characters`),
});

/** Ids other channels use for their conversations (WhatsApp numbers, browsers): not readable here. */
const OTHER_CHANNEL_PREFIX = /^(wa|web):/;

/** Validates the conversation id; answers 400 and returns undefined when it is bad. */
const conversationId = (req: Request, res: Response): string | undefined => {
  const id = String(req.params.conversationId ?? "");
  if (!CONVERSATION_ID_PATTERN.test(id)) {
    sendError(res, 400, "invalid_conversation_id", "conversationId must be 1-128 characters of A-Z, a-z, 0-9, _ . : -");
    return undefined;
  }
  if (OTHER_CHANNEL_PREFIX.test(id)) {
    sendError(res, 400, "reserved_conversation_id", "Ids starting with wa: or web: belong to other channels; choose another id.");
    return undefined;
  }
  return id;
};

const agentFailure = (res: Response, error: AgentError) => {
  if (error.reason === "storage") return sendError(res, 503, "storage_unavailable", "The conversation store is not available right now; nothing was lost. Try again.");
  if (error.reason === "timeout") return sendError(res, 503, "agent_timeout", "The assistant took too long to answer. Try again.");
  return sendError(res, 503, "model_unavailable", "The assistant is not available right now. Try again.");
};

const isAgentError = (error: unknown): error is AgentError => (error as { _tag?: string })?._tag === "AgentError";

export const conversationsRouter = ({ run }: ConversationsRouterDeps) => {
  const router = express.Router();

  router.post("/:conversationId/messages", async (req, res) => {
    const id = conversationId(req, res);
    if (!id) return;
    if (!req.is("application/json")) return sendError(res, 400, "invalid_body", 'Send a JSON body {"text": "..."} with Content-Type: application/json.');
    const parsed = messageBody.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, "invalid_body", parsed.error.issues.map((issue) => issue.message).join("; "));
    try {
      // A W3C traceparent header (e.g. from an eval runner) makes this turn part of the caller's trace.
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const turn = await context.with(parent, () => run(Agent.use((agent) => agent.reply({ conversationId: id, text: parsed.data.text, channel: "http" }))));
      res.json({ conversationId: turn.conversationId, reply: { text: turn.reply.text }, toolCalls: turn.toolCalls, traceId: turn.traceId });
    } catch (error) {
      if (isAgentError(error)) return agentFailure(res, error);
      throw error;
    }
  });

  router.get("/:conversationId/messages", async (req, res) => {
    const id = conversationId(req, res);
    if (!id) return;
    try {
      const messages = await run(Agent.use((agent) => agent.history(id)));
      if (!messages) return sendError(res, 404, "conversation_not_found", `No conversation with id ${id}.`);
      res.json({ conversationId: id, messages: messages.map((m) => ({ role: m.role, text: m.text, createdAt: m.createdAt.toISOString() })) });
    } catch (error) {
      if (isAgentError(error)) return agentFailure(res, error);
      throw error;
    }
  });

  router.delete("/:conversationId", async (req, res) => {
    const id = conversationId(req, res);
    if (!id) return;
    try {
      const existed = await run(Agent.use((agent) => agent.forget(id)));
      if (!existed) return sendError(res, 404, "conversation_not_found", `No conversation with id ${id}.`);
      res.status(204).end();
    } catch (error) {
      if (isAgentError(error)) return agentFailure(res, error);
      throw error;
    }
  });

  return router;
};
