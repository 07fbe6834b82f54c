/** Settings of the background workers (README.md lists them). */
import { Config } from "effect";

export const workersConfig = Config.all({
  /** Run the workers inside the web process (npm start). `npm run worker` runs them on their own. */
  runWorkers: Config.Boolean("RUN_WORKERS").pipe(Config.withDefault(true)),
  /** Jobs (WhatsApp replies, different conversations) one process runs at the same time. */
  concurrency: Config.Int("WORKER_CONCURRENCY").pipe(Config.withDefault(4)),
  /**
   * Workers inside the web process wait (up to 1 s per job) while HTTP requests arrive faster than
   * this many per second, so acknowledgements come first (workers/headroom.ts). 0: never wait.
   */
  yieldAboveRps: Config.Int("WORKER_YIELD_ABOVE_RPS").pipe(Config.withDefault(20)),
  /** The longest such a worker waits before it takes one job anyway, so answers never stop. */
  yieldMaxWaitMs: Config.Int("WORKER_YIELD_MAX_WAIT_MS").pipe(Config.withDefault(1_000)),
});

export type WorkersConfig = Config.Success<typeof workersConfig>;
