/** A real server on a free port, over a database of its own, for channel tests. */
import { Effect, type Layer } from "effect";
import { appConfig, type AppConfigShape } from "../../core/config.ts";
import { AgentModel } from "../../core/model.ts";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import { OfflineModel } from "../app-layer.ts";
import { createServer, type RunningServer } from "../server.ts";

export interface TestServer extends RunningServer {
  readonly config: AppConfigShape;
}

export const startTestServer = async (
  overrides: (config: AppConfigShape) => AppConfigShape = (config) => config,
  model: Layer.Layer<AgentModel> = OfflineModel,
): Promise<TestServer> => {
  const { options, drop } = await createTestDatabase();
  const defaults = await Effect.runPromise(appConfig);
  const config = overrides({
    ...defaults,
    port: 0,
    database: { ...defaults.database, url: options.url, pgliteDataDir: options.pgliteDataDir || "memory://" },
  });
  const running = await createServer({ config, model, port: 0 });
  return {
    ...running,
    config,
    close: async () => {
      await running.close();
      await drop();
    },
  };
};

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
