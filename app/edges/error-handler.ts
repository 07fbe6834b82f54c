/**
 * The app's last error handler: every error that reaches express becomes the documented shape
 * {"error": {"code", "message"}}. Client faults (bad percent-encoding in a path, a body whose gzip/br/
 * deflate is corrupt, an unknown content encoding or charset, malformed JSON, a body over the limit)
 * are 4xx; only a genuine fault on our side is a 500, logged and never leaked.
 */
import type { ErrorRequestHandler } from "express";
import { sendError } from "../../channels/errors.ts";

interface HttpishError {
  readonly name?: string;
  readonly type?: string;
  readonly status?: number;
  readonly statusCode?: number;
  readonly limit?: number;
  readonly message?: string;
  readonly code?: string;
}

/** The answer for an error express or body-parser raised, or undefined when it is not the client's fault. */
export const clientFault = (error: unknown): { status: number; code: string; message: string } | undefined => {
  const e = (error ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (e.name === "URIError" || (e.message ?? "").startsWith("Failed to decode param"))
    return { status: 400, code: "bad_path_encoding", message: "The path contains malformed percent-encoding (e.g. %ZZ)." };
  switch (e.type) {
    case "entity.parse.failed":
      return { status: 400, code: "malformed_json", message: "The request body is not valid JSON." };
    case "entity.too.large":
      return { status: 413, code: "body_too_large", message: `The request body exceeds this endpoint's limit${e.limit ? ` of ${Math.round(e.limit / 1024)} KB` : ""}.` };
    case "encoding.unsupported":
      return { status: 415, code: "unsupported_encoding", message: "Content-Encoding must be identity, gzip, deflate or br." };
    case "charset.unsupported":
      return { status: 415, code: "unsupported_charset", message: "Use UTF-8." };
    case "request.size.invalid":
      return { status: 400, code: "bad_content_length", message: "The body's length does not match Content-Length." };
    case "request.aborted":
      return { status: 400, code: "request_aborted", message: "The request was aborted." };
    case "stream.encoding.set":
    case "stream.not.readable":
      return undefined;
  }
  if (status === 400 && e.type === undefined)
    // zlib's own errors while inflating the body ("incorrect header check", "Decompression failed").
    return { status: 400, code: "bad_content_encoding", message: "The body could not be decoded with its Content-Encoding." };
  if (status !== undefined && status >= 400 && status < 500) return { status, code: "bad_request", message: "The request could not be read." };
  return undefined;
};

export const edgeErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  const fault = clientFault(error);
  if (fault) {
    // The rest of a body we refused is not read: close the connection rather than parse it as a request.
    if (!req.complete) res.set("connection", "close");
    return sendError(res, fault.status, fault.code, fault.message);
  }
  console.error("unhandled HTTP error", error);
  sendError(res, 500, "internal_error", "Something went wrong on our side.");
};
