/**
 * Rate limits of the HTTP edge (express-rate-limit over the shared database store):
 * - chat turns (POST /v1/conversations/{id}/messages, POST /api/chat): per client IP and per conversation;
 * - every other public request under /v1 and /api: per client IP;
 * - the admin API: per API key, and an IP that fails authentication too often is locked out, even
 *   with a right key, until its lockout ends.
 * A refusal is 429 in the documented error shape with Retry-After (seconds) and RateLimit headers.
 * When the store cannot be reached the request goes through (the route itself answers 503).
 */
import { createHash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import { sendError } from "../../channels/errors.ts";
import type { RateLimitSettings } from "./config.ts";
import { DatabaseRateLimitStore, type RunDatabase } from "./rate-limit-store.ts";

export interface EdgeRateLimits {
  /** Chat turn routes: per IP, then per conversation (keyed by `conversationOf`). */
  readonly chat: (conversationOf: (req: Request) => string | undefined) => RequestHandler[];
  /** Every other public API request, per IP. */
  readonly api: RequestHandler;
  /** The admin API: lockout after failed authentications, then per key. */
  readonly admin: RequestHandler[];
}

const refuse = (message: string) => (_req: Request, res: Response) => sendError(res, 429, "rate_limited", message);

/** The key the admin API was called with (Authorization: Bearer or X-API-Key), hashed: keys never reach the store. */
const adminKeyOf = (req: Request): string => {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.get("authorization")?.trim() ?? "")?.[1];
  const key = bearer ?? req.get("x-api-key") ?? "";
  return createHash("sha256").update(key).digest("base64url").slice(0, 32);
};

export const edgeRateLimits = (settings: RateLimitSettings, run: RunDatabase): EdgeRateLimits => {
  const limiter = (name: string, options: Partial<Options>) =>
    rateLimit({
      windowMs: settings.windowMs,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      passOnStoreError: true,
      store: new DatabaseRateLimitStore(run, name),
      ...options,
    });
  const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

  const chatPerIp = limiter("chat-ip", {
    limit: settings.chatPerIp,
    handler: refuse(`Too many messages from this address: at most ${settings.chatPerIp} per ${minutes(settings.windowMs)} min. Try again after Retry-After seconds.`),
  });
  const api = limiter("api-ip", {
    limit: settings.apiPerIp,
    handler: refuse(`Too many requests from this address: at most ${settings.apiPerIp} per ${minutes(settings.windowMs)} min. Try again after Retry-After seconds.`),
  });
  const adminLockout = limiter("admin-auth", {
    windowMs: settings.adminLockoutMs,
    limit: settings.adminAuthFailures,
    // Only failed authentications count.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: refuse(`Too many failed API keys from this address: locked out for ${minutes(settings.adminLockoutMs)} min.`),
  });
  const adminPerKey = limiter("admin-key", {
    limit: settings.adminPerKey,
    keyGenerator: adminKeyOf,
    handler: refuse(`Too many admin requests with this key: at most ${settings.adminPerKey} per ${minutes(settings.windowMs)} min.`),
  });

  return {
    chat: (conversationOf) => [
      chatPerIp,
      limiter("chat-conversation", {
        limit: settings.chatPerConversation,
        // Requests without a readable conversation id are refused by the route itself (400): not counted here.
        skip: (req) => conversationOf(req) === undefined,
        keyGenerator: (req) => conversationOf(req) ?? "",
        handler: refuse(`Too many messages in this conversation: at most ${settings.chatPerConversation} per ${minutes(settings.windowMs)} min. Wait for the answers.`),
      }),
    ],
    api,
    admin: [adminLockout, adminPerKey],
  };
};
