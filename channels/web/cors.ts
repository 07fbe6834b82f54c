/**
 * Which browser origins may call the chat API. The server's own pages are always allowed; other sites
 * only when listed in WIDGET_ALLOWED_ORIGINS ("*" allows any).
 */
import type { NextFunction, Request, Response } from "express";

const sameHost = (origin: string, req: Request): boolean => {
  try {
    return new URL(origin).host === req.get("host");
  } catch {
    return false;
  }
};

export const normaliseOrigin = (origin: string): string => origin.trim().replace(/\/+$/, "").toLowerCase();

export const corsFor = (allowedOrigins: ReadonlyArray<string>) => {
  const allowAny = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins.map(normaliseOrigin));
  const isAllowed = (origin: string, req: Request) => allowAny || allowed.has(normaliseOrigin(origin)) || sameHost(origin, req);

  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get("origin");
    res.vary("Origin");
    if (origin === undefined) return next(); // not a cross-origin browser call (curl, server to server)
    if (!isAllowed(origin, req)) {
      res.status(403).json({ error: { code: "origin_not_allowed", message: `Origin ${origin} may not use this chat; add it to WIDGET_ALLOWED_ORIGINS.` } });
      return;
    }
    res.set({
      "access-control-allow-origin": origin,
      "access-control-expose-headers": "x-conversation-id, x-vercel-ai-ui-message-stream",
    });
    if (req.method === "OPTIONS") {
      res
        .set({
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "600",
        })
        .status(204)
        .end();
      return;
    }
    next();
  };
};
