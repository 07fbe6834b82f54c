/** Settings of the background workers (README.md lists them). */
import { Config } from "effect";

export const workersConfig = Config.all({
  /** Run the workers inside the web process (npm start). `npm run worker` runs them on their own. */
  runWorkers: Config.Boolean("RUN_WORKERS").pipe(Config.withDefault(true)),
  /** Jobs (WhatsApp replies, different conversations) one process runs at the same time. */
  concurrency: Config.Int("WORKER_CONCURRENCY").pipe(Config.withDefault(4)),
});

export type WorkersConfig = Config.Success<typeof workersConfig>;
