/** The one error shape of the HTTP API: {"error": {"code", "message"}}. */
import type { ErrorRequestHandler, Response } from "express";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const sendError = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

/** Body-parser failures get precise codes; anything unexpected is logged and never leaked. */
export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return sendError(res, 400, "malformed_json", "The request body is not valid JSON.");
  if (type === "entity.too.large") return sendError(res, 413, "body_too_large", `The request body exceeds this endpoint's limit${(error as { limit?: number }).limit ? ` of ${Math.round((error as { limit: number }).limit / 1024)} KB` : ""}.`);
  if (type === "encoding.unsupported" || type === "charset.unsupported") return sendError(res, 415, "unsupported_encoding", "Use UTF-8 JSON.");
  console.error("unhandled HTTP error", error);
  sendError(res, 500, "internal_error", "Something went wrong on our side.");
};
