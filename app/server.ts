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
import { apiRouter } from "../channels/http/api.ts";
import { catalogAdminRouter } from "../channels/http/catalog-admin/router.ts";
import { knowledgeRouter } from "../channels/http/knowledge-routes.ts";
import { webRouter } from "../channels/web/router.ts";
import { whatsappRouter } from "../channels/whatsapp/router.ts";
import { errorHandler, sendError } from "../channels/errors.ts";

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
}

export const createApp = (runtime: AppRuntime, tracing: TracingShape, config: AppConfigShape) => {
  const run = <A, E, R extends RuntimeServices>(effect: Effect.Effect<A, E, R>) => runtime.runPromise(effect);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  // The admin API parses its own bodies (large CSV/JSON imports), so it comes before the API's 64 KB parser.
  app.use("/v1/admin", catalogAdminRouter({ run, apiKeys: config.admin.apiKeys }));
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
  app.use("/channels/whatsapp", whatsappRouter({ run, config: config.whatsapp }));
  app.use(webRouter({ run, config: config.widget }));
  app.use((_req, res) => sendError(res, 404, "not_found", "No such route."));
  app.use(errorHandler);
  return app;
};

export const createServer = async (options: ServerOptions): Promise<RunningServer> => {
  const layer = AppServices.pipe(
    Layer.provideMerge(options.model ?? ConfiguredModel),
    Layer.provideMerge(AppConfig.fromValues(options.config)),
  );
  const runtime: AppRuntime = ManagedRuntime.make(layer);
  const tracing = await runtime.runPromise(Tracing.use(Effect.succeed));
  const app = createApp(runtime, tracing, options.config);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(options.port ?? options.config.port, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    runtime,
    tracing,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.dispose();
    },
  };
};
