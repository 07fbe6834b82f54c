/** The one error shape of every channel's HTTP answers: {"error": {"code", "message"}}. */
import { Effect } from "effect";
import type { ErrorRequestHandler, Response } from "express";
import type { ChannelRejection } from "../core/channel.ts";
import type { AgentError } from "../core/agent.ts";

export const sendError = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

/** Body-parser failures get precise codes; anything unexpected is logged and never leaked. */
export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return sendError(res, 400, "malformed_json", "The request body is not valid JSON.");
  if (type === "entity.too.large") return sendError(res, 413, "body_too_large", `The request body exceeds this endpoint's limit${(error as { limit?: number }).limit ? ` of ${Math.round((error as { limit: number }).limit / 1024)} KB` : ""}.`);
  if (type === "encoding.unsupported" || type === "charset.unsupported") return sendError(res, 415, "unsupported_encoding", "Use UTF-8 JSON.");
  console.error("unhandled HTTP error", error);
  sendError(res, 500, "internal_error", "Something went wrong on our side.");
};

export const sendRejection = (res: Response, rejection: ChannelRejection) => sendError(res, rejection.status, rejection.code, rejection.message);

/** A turn that could not be completed: 503, and nothing stored is lost. */
export const sendAgentFailure = (res: Response, error: AgentError) => {
  if (error.reason === "storage") return sendError(res, 503, "storage_unavailable", "The conversation store is not available right now; nothing was lost. Try again.");
  if (error.reason === "timeout") return sendError(res, 503, "agent_timeout", "The assistant took too long to answer. Try again.");
  return sendError(res, 503, "model_unavailable", "The assistant is not available right now. Try again.");
};

/** At a handler's edge: a rejected request or a failed turn becomes its answer; nothing else is caught. */
export const answeringFailures =
  (res: Response) =>
  <A, R>(effect: Effect.Effect<A, ChannelRejection | AgentError, R>): Effect.Effect<A | void, never, R> =>
    effect.pipe(
      Effect.catchTag("ChannelRejection", (rejection) => Effect.sync(() => sendRejection(res, rejection))),
      Effect.catchTag("AgentError", (error) => Effect.sync(() => sendAgentFailure(res, error))),
    );
