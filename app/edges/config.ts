/**
 * Settings of the HTTP edge (binding, rate limits, shutdown): read from the environment by `npm start`
 * (app/main.ts). Servers built in process (tests, evals, benchmarks) get `EDGE_DEFAULTS` unless they
 * pass their own, with rate limits off so that measurements are not throttled. README.md lists each variable.
 */
import { Config, Option } from "effect";

export interface RateLimitSettings {
  /** Length of one counting window (ms). */
  readonly windowMs: number;
  /** Chat turns (POST /v1/conversations/{id}/messages, POST /api/chat) per client IP per window. */
  readonly chatPerIp: number;
  /** Chat turns per conversation per window. */
  readonly chatPerConversation: number;
  /** Every other public request (quotes, history, knowledge search...) per client IP per window. */
  readonly apiPerIp: number;
  /** Admin API requests per API key per window. */
  readonly adminPerKey: number;
  /** Failed admin authentications per client IP before that IP is locked out. */
  readonly adminAuthFailures: number;
  /** How long an admin lockout lasts (ms). */
  readonly adminLockoutMs: number;
}

export interface EdgeConfig {
  /** Interface the server listens on. */
  readonly host: string;
  /** Rate limits; undefined turns them off. */
  readonly rateLimits: RateLimitSettings | undefined;
  /** Longest a graceful shutdown waits for in-flight requests before closing their connections (ms). */
  readonly shutdownDeadlineMs: number;
  /** Express's "trust proxy" (e.g. "1" behind one proxy, "loopback"): which X-Forwarded-For hops name the client IP. */
  readonly trustProxy: string | undefined;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  windowMs: 60_000,
  chatPerIp: 30,
  chatPerConversation: 12,
  apiPerIp: 300,
  adminPerKey: 600,
  adminAuthFailures: 10,
  adminLockoutMs: 15 * 60_000,
};

/** In-process servers: every route and header as in production, no rate limits. */
export const EDGE_DEFAULTS: EdgeConfig = { host: "127.0.0.1", rateLimits: undefined, shutdownDeadlineMs: 10_000, trustProxy: undefined };

const int = (name: string, fallback: number) => Config.Int(name).pipe(Config.withDefault(fallback));

export const edgeConfig = Config.all({
  host: Config.String("HOST").pipe(Config.withDefault("127.0.0.1")),
  enabled: Config.Boolean("RATE_LIMITS").pipe(Config.withDefault(true)),
  windowMs: int("RATE_LIMIT_WINDOW_MS", DEFAULT_RATE_LIMITS.windowMs),
  chatPerIp: int("RATE_LIMIT_CHAT_PER_IP", DEFAULT_RATE_LIMITS.chatPerIp),
  chatPerConversation: int("RATE_LIMIT_CHAT_PER_CONVERSATION", DEFAULT_RATE_LIMITS.chatPerConversation),
  apiPerIp: int("RATE_LIMIT_API_PER_IP", DEFAULT_RATE_LIMITS.apiPerIp),
  adminPerKey: int("RATE_LIMIT_ADMIN_PER_KEY", DEFAULT_RATE_LIMITS.adminPerKey),
  adminAuthFailures: int("ADMIN_AUTH_MAX_FAILURES", DEFAULT_RATE_LIMITS.adminAuthFailures),
  adminLockoutMs: int("ADMIN_AUTH_LOCKOUT_MS", DEFAULT_RATE_LIMITS.adminLockoutMs),
  shutdownDeadlineMs: int("SHUTDOWN_DEADLINE_MS", 10_000),
  trustProxy: Config.String("TRUST_PROXY").pipe(Config.option),
}).pipe(
  Config.map(({ host, enabled, shutdownDeadlineMs, trustProxy, ...limits }): EdgeConfig => ({
    host,
    rateLimits: enabled ? limits : undefined,
    shutdownDeadlineMs,
    trustProxy: Option.getOrUndefined(trustProxy)?.trim() || undefined,
  })),
);
