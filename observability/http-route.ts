/**
 * The matched express route on the HTTP server span: `http.route` and the span's name
 * ("POST /v1/conversations/:conversationId/messages"), and the route label of the HTTP metrics.
 * The HTTP instrumentation reads the route from the request's RPC metadata when the response
 * closes; this middleware makes that metadata compute it from the request then. It replaces the
 * express instrumentation, which wrapped every middleware and router layer of every request
 * (about 0.1 ms of a turn on the offline model, bench:turns profile) to learn the same route.
 */
import { context } from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";
import type { Request, RequestHandler } from "express";

/** "/v1/conversations/:conversationId/messages": the mount path and the pattern of the route that answered. */
export const matchedRoute = (req: Request): string | undefined => (req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : undefined);

export const routeOnServerSpan = (): RequestHandler => (req, _res, next) => {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type === RPCType.HTTP) Object.defineProperty(metadata, "route", { get: () => matchedRoute(req), enumerable: true, configurable: true });
  next();
};
