/**
 * Which browser origins may call the chat API (the `cors` package). The server's own pages are always
 * allowed; other sites only when listed in WIDGET_ALLOWED_ORIGINS ("*" allows any).
 *
 * A site that is not allowed still gets CORS headers, on the preflight and on its refusal (403
 * `origin_not_allowed` in the error shape), so the widget embedded there can read the refusal and
 * tell the visitor the truth ("this site may not use the chat") instead of "check your connection".
 * Nothing but the refusal is ever answered to such an origin: no turn runs, no history is read.
 */
import cors from "cors";
import type { NextFunction, Request, Response } from "express";
import { sendError } from "../errors.ts";

const sameHost = (origin: string, req: Request): boolean => {
  try {
    return new URL(origin).host === req.get("host");
  } catch {
    return false;
  }
};

export const normaliseOrigin = (origin: string): string => origin.trim().replace(/\/+$/, "").toLowerCase();

const CORS_HEADERS = cors({
  origin: true, // reflect the caller's origin: allowed callers get their answer, refused ones their refusal
  methods: ["GET", "POST", "OPTIONS"],
  allowedHeaders: ["content-type"],
  exposedHeaders: ["x-conversation-id", "x-vercel-ai-ui-message-stream", "retry-after", "ratelimit", "ratelimit-policy"],
  maxAge: 600,
  optionsSuccessStatus: 204,
});

export const corsFor = (allowedOrigins: ReadonlyArray<string>) => {
  const allowAny = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins.map(normaliseOrigin));
  const isAllowed = (origin: string, req: Request) => allowAny || allowed.has(normaliseOrigin(origin)) || sameHost(origin, req);

  return (req: Request, res: Response, next: NextFunction) => {
    // Idempotent: the app may apply it before its rate limits and the channel's router again.
    if (res.locals.corsChecked) return next();
    res.locals.corsChecked = true;
    const origin = req.get("origin");
    if (origin === undefined) {
      res.vary("Origin");
      return next(); // not a cross-origin browser call (curl, server to server)
    }
    CORS_HEADERS(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (!isAllowed(origin, req))
        return sendError(res, 403, "origin_not_allowed", `Origin ${origin} may not use this chat; the site's owner must add it to WIDGET_ALLOWED_ORIGINS.`);
      next();
    });
  };
};
