/**
 * The real application (agent, tools, stores) with the offline model on a test database of its own,
 * plus the channel event store, for end-to-end channel tests.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { AppServices, OfflineModel } from "../../../app/app-layer.ts";
import { AppConfig, appConfig } from "../../../core/config.ts";
import { AgentModel } from "../../../core/model.ts";
import { ChannelEventStore } from "../../whatsapp/delivery/channel-event-store.ts";
import { createTestDatabase } from "../../../knowledge/db/test-database.ts";

export const startAppRuntime = async () => {
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
