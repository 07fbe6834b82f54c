/**
 * The real application (agent, tools, stores) with the offline model on a test database of its own,
 * plus the channel event store, for end-to-end channel tests.
 */
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect";
import { AppServices, OfflineModel } from "../../../app/app-layer.ts";
import { AppConfig, appConfig } from "../../../core/config.ts";
import { AgentModel } from "../../../core/model.ts";
import { ChannelEventStore } from "../../whatsapp/delivery/channel-event-store.ts";
import { createTestDatabase } from "../../../knowledge/db/test-database.ts";

/** `env`: settings read as the services start (e.g. APPOINTMENTS_FIXED_NOW), over the process environment. */
export const startAppRuntime = async (env: Record<string, string> = {}) => {
  const { options, drop } = await createTestDatabase();
  const defaults = await Effect.runPromise(appConfig);
  const config = {
    ...defaults,
    database: { ...defaults.database, url: options.url, pgliteDataDir: options.pgliteDataDir || "memory://", seedCatalog: true },
  };
  const layer = ChannelEventStore.layer.pipe(
    Layer.provideMerge(AppServices),
    Layer.provideMerge(OfflineModel),
    Layer.provideMerge(AppConfig.fromValues(config)),
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { ...(process.env as Record<string, string>), ...env } }))),
  );
  const runtime = ManagedRuntime.make(layer);
  await runtime.runPromise(Effect.void);
  return {
    runtime,
    close: async () => {
      await runtime.dispose();
      await drop();
    },
  };
};
