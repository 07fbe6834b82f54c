/** npm start: migrate, seed if empty, serve every channel. */
import { Effect } from "effect";
import { appConfig } from "../core/config.ts";
import { createServer } from "./server.ts";

const config = await Effect.runPromise(appConfig);
const running = await createServer({ config });
console.log(`Kavak assistant listening on http://localhost:${config.port} (health: /health)`);

const shutdown = async (signal: string) => {
  console.log(`${signal} received, closing`);
  await running.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
