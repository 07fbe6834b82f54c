/**
 * The HTTP server hosting every channel: the plain API, WhatsApp's webhook and the web widget.
 * `createServer` builds it on any application layer (tests pass in-memory ones); running this
 * file (npm start) serves the configured application.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import express from "express";
import type { Server } from "node:http";
import { AppServices, ConfiguredModel } from "./app-layer.ts";
import { checkHealth } from "./health.ts";
import { AppConfig, type AppConfigShape } from "../core/config.ts";
import { AgentModel } from "../core/model.ts";
import { Tracing, type TracingShape } from "../observability/tracing.ts";
import { routeOnServerSpan } from "../observability/http-route.ts";
import { accessLog } from "../observability/logging.ts";
import { Headroom } from "../workers/headroom.ts";
import { Database } from "../knowledge/db/database.ts";
import { apiRouter } from "../channels/http/api.ts";
import { inspectorRouter } from "../observability/inspector/router.ts";
import { pseudonymousId } from "../observability/redaction.ts";
import { catalogAdminRouter } from "../channels/http/catalog-admin/router.ts";
import { salesAdminRouter } from "../channels/http/sales-admin.ts";
import { knowledgeRouter } from "../channels/http/knowledge-routes.ts";
import { finesRouter } from "../channels/http/fines-router.ts";
import { webRouter } from "../channels/web/router.ts";
import { whatsappRouter } from "../channels/whatsapp/router.ts";
import { sendError } from "../channels/errors.ts";
import { answerClientErrors } from "./edges/client-errors.ts";
import { EDGE_DEFAULTS, type EdgeConfig } from "./edges/config.ts";
import { edgeErrorHandler } from "./edges/error-handler.ts";
import { mountEdges } from "./edges/mount.ts";

export type RuntimeServices = Layer.Success<typeof AppServices> | AppConfig | AgentModel;
export type AppRuntime = ManagedRuntime.ManagedRuntime<RuntimeServices, unknown>;

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  readonly runtime: AppRuntime;
  readonly tracing: TracingShape;
  readonly close: () => Promise<void>;
}

export interface ServerOptions {
  readonly config: AppConfigShape;
  /** Defaults to the model the config selects. */
  readonly model?: Layer.Layer<AgentModel>;
  /** 0 picks a free port. Defaults to config.port. */
  readonly port?: number;
  /** Binding, rate limits, shutdown deadline (app/edges/config.ts); defaults: 127.0.0.1, no rate limits. */
  readonly edges?: EdgeConfig;
}

export const createApp = (runtime: AppRuntime, tracing: TracingShape, config: AppConfigShape, edges: EdgeConfig = EDGE_DEFAULTS) => {
  const run = <A, E, R extends RuntimeServices>(effect: Effect.Effect<A, E, R>) => runtime.runPromise(effect);
  const app = express();
  app.disable("x-powered-by");
  // One JSON access-log line per request, with the request's trace id (observability/logging.ts).
  app.use(accessLog());
  // The matched route on the HTTP server span (http.route, its name, the HTTP metrics).
  app.use(routeOnServerSpan());
  // Prometheus scrapes the metrics here (observability/metrics.ts); OTEL_METRICS_EXPORTER=none turns it off.
  const metricsHandler = tracing.metricsHandler;
  if (metricsHandler) app.get("/metrics", (req, res) => metricsHandler(req, res));
  // Workers in this process give way while requests pour in (workers/headroom.ts).
  const headroom = runtime.runSync(Headroom.use(Effect.succeed));
  app.use((_req, _res, next) => {
    headroom.noteRequest();
    next();
  });
  // Twilio's webhooks first: a server-to-server route with its own signature check and form parser, it
  // needs none of the browser-facing edges below, and its acknowledgement is on a latency budget.
  app.use("/channels/whatsapp", whatsappRouter({ run, config: config.whatsapp }));
  // Trust proxy, security headers, /openapi.json and /docs, CORS and rate limits (app/edges/mount.ts).
  mountEdges(app, { run, edges, widgetOrigins: config.widget.allowedOrigins });
  // The admin API parses its own bodies (large CSV/JSON imports), so it comes before the API's 64 KB parser.
  // Leads, appointments, the funnel (and its page) and appointment calendar files (issue 14).
  app.use(salesAdminRouter({ run, apiKeys: config.admin.apiKeys }));
  app.use("/v1/admin", catalogAdminRouter({ run, apiKeys: config.admin.apiKeys }));
  // The trace inspector (admin key): conversations, turns, span waterfalls, save as golden.
  const idKey = tracing.policy?.idKey;
  const conversations = runtime.runSync(Database.use((database) => Effect.succeed(database.db)));
  app.use("/inspector", inspectorRouter({ store: tracing.store, apiKeys: config.admin.apiKeys, pseudonym: idKey === undefined ? undefined : (id) => pseudonymousId(id, idKey), conversations }));
  app.get("/health", async (_req, res) => {
    try {
      const report = await run(checkHealth);
      res.status(report.ok ? 200 : 503).json(report);
    } catch {
      res.status(503).json({ ok: false, dependencies: { database: { status: "down", detail: "not answering" } } });
    }
  });
  app.use(apiRouter({ run, traces: tracing.store }));
  app.use("/v1/knowledge", knowledgeRouter({ run }));
  app.use("/v1/fines", finesRouter({ run }));
  app.use(webRouter({ run, config: config.widget }));
  app.use((_req, res) => sendError(res, 404, "not_found", "No such route."));
  app.use(edgeErrorHandler);
  return app;
};

export const createServer = async (options: ServerOptions): Promise<RunningServer> => {
  const layer = AppServices.pipe(
    Layer.provideMerge(options.model ?? ConfiguredModel),
    Layer.provideMerge(AppConfig.fromValues(options.config)),
  );
  const runtime: AppRuntime = ManagedRuntime.make(layer);
  const tracing = await runtime.runPromise(Tracing.use(Effect.succeed));
  const edges = options.edges ?? EDGE_DEFAULTS;
  const app = createApp(runtime, tracing, options.config, edges);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? options.config.port, edges.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  answerClientErrors(server);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = edges.host === "0.0.0.0" || edges.host === "::" ? "127.0.0.1" : edges.host.includes(":") ? `[${edges.host}]` : edges.host;
  return {
    server,
    url: `http://${host}:${port}`,
    runtime,
    tracing,
    // Graceful: no new connections, idle ones closed, in-flight requests finish until the deadline, then their connections are cut.
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), edges.shutdownDeadlineMs);
      await closed;
      clearTimeout(deadline);
      await runtime.dispose();
    },
  };
};
