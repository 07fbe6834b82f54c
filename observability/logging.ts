/**
 * JSON logs (pino) on stdout, one object a line: `time`, `level`, `msg`, and the `trace_id` /
 * `span_id` of the span active when the line was written, so a log line leads to its trace.
 * LOG_LEVEL (trace, debug, info, warn, error, fatal, silent; default info). Phone numbers and plates
 * in messages are redacted as in spans. Effect's logs (`Effect.log*`) go through the same logger
 * (`EffectLogger`), and `accessLog` writes one line per HTTP request.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";
import { Cause, Logger } from "effect";
import type { RequestHandler } from "express";
import pino from "pino";
import { matchedRoute } from "./http-route.ts";
import { redactText } from "./redaction.ts";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
const LEVELS: ReadonlyArray<LogLevel> = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export const logLevelFrom = (raw: string | undefined): LogLevel => {
  const level = raw?.trim().toLowerCase();
  return LEVELS.includes(level as LogLevel) ? (level as LogLevel) : "info";
};

/** The ids of the active span, for a log line. */
export const traceFields = (): { trace_id?: string; span_id?: string; trace_flags?: string } => {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId, trace_flags: `0${context.traceFlags.toString(16)}` };
};

/** Builds a JSON logger on a destination (stdout by default; tests pass a stream). */
export const makeLogger = (options: { level?: LogLevel; destination?: pino.DestinationStream } = {}) =>
  pino(
    {
      // Under the test runner only warnings and errors unless LOG_LEVEL says otherwise.
      level: options.level ?? logLevelFrom(process.env.LOG_LEVEL ?? (process.env.VITEST ? "warn" : "info")),
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? redactText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );

/** The process's logger. */
export let log = makeLogger();

/** Replaces the process's logger (tests). */
export const setLogger = (logger: pino.Logger) => {
  log = logger;
};

const EFFECT_LEVELS: Record<string, Exclude<LogLevel, "silent">> = { Fatal: "fatal", Error: "error", Warn: "warn", Info: "info", Debug: "debug", Trace: "trace", All: "trace" };

const stringify = (part: unknown): string => {
  if (typeof part === "string") return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
};

/** Effect's logger writing to the JSON log; the trace ids are those of the running fiber's span. */
export const EffectLogger = Logger.make(({ message, logLevel, cause }) => {
  const level = EFFECT_LEVELS[logLevel];
  if (level === undefined || !log.isLevelEnabled(level)) return;
  const text = (Array.isArray(message) ? message : [message]).map(stringify).join(" ");
  const failure = Cause.hasFails(cause) || Cause.hasDies(cause) ? redactText(Cause.pretty(cause)) : undefined;
  log[level](failure ? { err: failure } : {}, text);
});

/** Effect's logs as JSON lines (replaces its default console logger). */
export const EffectLoggerLayer = Logger.layer([EffectLogger]);

/** One line per HTTP request when its response is finished (or the client went away). */
export const accessLog = (): RequestHandler => (req, res, next) => {
  const started = process.hrtime.bigint();
  const ids = traceFields();
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const status = res.headersSent ? res.statusCode : 499;
    const line = {
      ...ids,
      type: "access",
      "http.request.method": req.method,
      "url.path": redactText(req.originalUrl.split("?")[0] ?? req.path),
      "http.route": matchedRoute(req),
      "http.response.status_code": status,
      duration_ms: Math.round(durationMs * 10) / 10,
      "user_agent.original": req.get("user-agent"),
    };
    if (status >= 500) log.error(line, "request");
    else log.info(line, "request");
  };
  res.once("finish", write);
  res.once("close", write);
  next();
};
