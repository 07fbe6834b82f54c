/** npm start: migrate, seed if empty, serve every channel. */
import { Effect } from "effect";
import { appConfig } from "../core/config.ts";
import { edgeConfig } from "./edges/config.ts";
import { log } from "../observability/logging.ts";
import { createServer } from "./server.ts";

const config = await Effect.runPromise(appConfig);
const edges = await Effect.runPromise(edgeConfig);
const running = await createServer({ config, edges });
log.info(`Kavak assistant listening on ${running.url} (HOST=${edges.host}; health: /health, API docs: /docs)`);

let closing = false;
/** Stop accepting, let in-flight requests finish within SHUTDOWN_DEADLINE_MS, release the runtime, exit. */
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  log.info(`${signal} received, closing (in-flight requests get ${edges.shutdownDeadlineMs} ms)`);
  // Whatever happens while closing, the process ends shortly after the deadline.
  setTimeout(() => process.exit(1), edges.shutdownDeadlineMs + 5_000).unref();
  await running.close().catch((error: unknown) => log.error({ err: error instanceof Error ? error.stack : String(error) }, "shutdown failed"));
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
