/**
 * The production edges every request passes before the channels' routers: trust-proxy, security
 * headers, the OpenAPI document and docs page, CORS ahead of the chat limits (so a 429 carries CORS
 * headers), and the rate limits. The last error handler is edge-error-handler.ts.
 */
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Effect } from "effect";
import type { Database } from "../../knowledge/db/database.ts";
import { clientIdSchema } from "../../channels/web/chat-request.ts";
import { corsFor } from "../../channels/web/cors.ts";
import { sendError } from "../../channels/errors.ts";
import { storableText, traceIdSchema } from "../../channels/http/schemas.ts";
import type { EdgeConfig } from "./config.ts";
import { docsRouter } from "./docs.ts";
import { edgeRateLimits, type EdgeRateLimits } from "./rate-limits.ts";
import { imageBodyParser } from "../../channels/image-upload-parser.ts";
import { securityHeaders } from "./security.ts";

export interface EdgeDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Database>) => Promise<A>;
  readonly edges: EdgeConfig;
  readonly widgetOrigins: ReadonlyArray<string>;
}

/** The chat body's conversation id (for the per-conversation limit), when it is a valid one. */
const chatConversationOf = (req: Request): string | undefined => {
  const body = (req.body ?? {}) as { conversationId?: unknown; id?: unknown };
  const id = clientIdSchema.safeParse(body.conversationId ?? body.id);
  return id.success ? `web:${id.data}` : undefined;
};

/** True when a string anywhere in a parsed JSON body (keys included) is text PostgreSQL cannot store (storableText). */
export const containsUnstorableText = (value: unknown): boolean => {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (!storableText(item)) return true;
    } else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        if (!storableText(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
};

const refuseNul = (req: Request, res: Response, next: NextFunction) =>
  containsUnstorableText(req.body) ? sendError(res, 400, "invalid_text", "Text must be well-formed Unicode without NUL (\\u0000) characters.") : next();

const trustProxyValue = (raw: string | undefined): boolean | number | string => {
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
};

export const mountEdges = (app: Express, { run, edges, widgetOrigins }: EdgeDeps) => {
  app.set("trust proxy", trustProxyValue(edges.trustProxy));
  app.use(securityHeaders());
  app.use(docsRouter());

  // A trace id is hex (W3C: 32 characters); anything else names no trace, and is not sent to the store.
  app.get("/v1/traces/:traceId", (req, res, next) =>
    traceIdSchema.safeParse(req.params.traceId).success ? next() : sendError(res, 404, "trace_not_found", "No such trace (trace ids are 32 hexadecimal characters)."),
  );

  // The widget's chat API: CORS first (its refusals and 429s must be readable by the widget), then the body.
  // 16 KB, or up to 7 MB when the message carries a photo (channels/image-upload-parser.ts).
  app.use("/api/chat", corsFor(widgetOrigins), ...imageBodyParser(16 * 1024), refuseNul);

  const limits = edges.rateLimits && edgeRateLimits(edges.rateLimits, run);
  if (limits) mountRateLimits(app, limits);

  // JSON bodies are parsed here (after the limits), with each API's limit, so that text no database can
  // store is refused in one place (the routers' own parsers then find the body read).
  app.use("/v1/admin", express.json({ limit: "1mb" }), refuseNul);
  app.post("/v1/conversations/:conversationId/messages", ...imageBodyParser(64 * 1024), refuseNul);
  app.use("/v1", express.json({ limit: "64kb" }), refuseNul);
};

const mountRateLimits = (app: Express, limits: EdgeRateLimits) => {
  app.use("/v1/admin", ...limits.admin);
  app.post("/v1/conversations/:conversationId/messages", ...limits.chat((req) => `http:${String(req.params.conversationId)}`), (_req, res, next) => {
    res.locals.rateCounted = true;
    next();
  });
  app.post("/api/chat", ...limits.chat(chatConversationOf), (_req, res, next) => {
    res.locals.rateCounted = true;
    next();
  });
  app.use(["/v1", "/api"], (req, res, next) => (res.locals.rateCounted || req.path.startsWith("/admin") ? next() : limits.api(req, res, next)));
};
