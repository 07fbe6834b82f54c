/**
 * npm run worker: the background workers alone (no HTTP server), for deployments that run web
 * instances with RUN_WORKERS=false and scale workers separately. Needs PostgreSQL (DATABASE_URL):
 * the embedded PGlite lives inside one process, where `npm start` already runs the workers.
 * SIGTERM/SIGINT: running jobs get up to 10 s to finish; the rest are retried by another worker.
 */
import { Effect, Layer, ManagedRuntime, Redacted } from "effect";
import { AppConfig, appConfig } from "../core/config.ts";
import { log } from "../observability/logging.ts";
import { setupTracing } from "../observability/tracing.ts";
import { AppServices, ConfiguredModel } from "./app-layer.ts";

// This process exists to run them, whatever the environment says for the web instances.
process.env.RUN_WORKERS = "true";

const loaded = await Effect.runPromise(appConfig);
if (!loaded.database.url) {
  log.error(
    "npm run worker needs DATABASE_URL (PostgreSQL). With the embedded database, `npm start` runs the workers in its own process.",
  );
  process.exit(1);
}
// The web instances seed the sample catalog; two processes seeding an empty database at once would race.
const config = { ...loaded, database: { ...loaded.database, seedCatalog: false } };
// The instrumentations are registered by the --import preload (npm run worker); this sets up the SDK.
const tracing = setupTracing({
  serviceName: `${config.telemetry.serviceName}-worker`,
  otlpEndpoint: config.telemetry.otlpEndpoint,
  captureContent: config.telemetry.captureContent,
  idKey: config.telemetry.idKey === undefined ? undefined : Redacted.value(config.telemetry.idKey),
});
const runtime = ManagedRuntime.make(AppServices.pipe(Layer.provideMerge(ConfiguredModel), Layer.provideMerge(AppConfig.fromValues(config))));
await runtime.runPromise(Effect.void);
log.info("Kavak workers running (WhatsApp replies); Ctrl-C to stop");

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received, stopping the workers`);
  await runtime.dispose();
  await tracing.flush();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
