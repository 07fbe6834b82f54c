/**
 * Headroom for the web process: when the workers run inside it (npm start), Node's one event loop
 * serves both the webhooks and the agent turns, and a burst of webhooks would wait behind turns. So
 * the HTTP server counts the requests it receives, and while they arrive faster than
 * `yieldAboveRps` a worker waits before taking its next job: acknowledgements come first, and the
 * backlog (safe in the queue) is answered as soon as the burst eases. A worker never waits longer
 * than `maxWaitMs` for one job, so answers slow down under a flood but never stop.
 *
 * A process without an HTTP server (npm run worker) receives no requests, so its workers never wait.
 */
import { Context, Effect, Layer } from "effect";
import { workersConfig } from "./config.ts";

/** Requests are counted in BUCKETS slots of BUCKET_MS: the rate is over the last second. */
const BUCKET_MS = 100;
const BUCKETS = 10;
/** While waiting for room, a worker looks again this often. */
const RECHECK_MS = 50;

export interface HeadroomShape {
  /** The HTTP server calls it once per request received. */
  readonly noteRequest: () => void;
  /** Requests per second received over the last second. */
  readonly requestRate: () => number;
  /** Completes when this process has room for a job (or after the longest wait). */
  readonly admit: Effect.Effect<void>;
}

export const makeHeadroom = (options: { readonly yieldAboveRps: number; readonly maxWaitMs: number; readonly now?: () => number }): HeadroomShape => {
  const now = options.now ?? Date.now;
  const counts = new Array<number>(BUCKETS).fill(0);
  let currentBucket = Math.floor(now() / BUCKET_MS);

  /** Moves the ring forward to the present, zeroing the slots of the buckets that went by. */
  const advance = () => {
    const bucket = Math.floor(now() / BUCKET_MS);
    for (let b = Math.max(currentBucket + 1, bucket - BUCKETS + 1); b <= bucket; b++) counts[b % BUCKETS] = 0;
    currentBucket = Math.max(currentBucket, bucket);
  };
  const requestRate = () => {
    advance();
    return counts.reduce((sum, count) => sum + count, 0) * (1000 / (BUCKETS * BUCKET_MS));
  };
  const noteRequest = () => {
    advance();
    const slot = currentBucket % BUCKETS;
    counts[slot] = (counts[slot] ?? 0) + 1;
  };
  const busy = () => options.yieldAboveRps > 0 && requestRate() > options.yieldAboveRps;

  const admit = Effect.gen(function* () {
    const started = now();
    while (busy() && now() - started < options.maxWaitMs) yield* Effect.sleep(`${RECHECK_MS} millis`);
  });
  return { noteRequest, requestRate, admit };
};

export class Headroom extends Context.Service<Headroom, HeadroomShape>()("Headroom") {
  static readonly layer = Layer.effect(
    Headroom,
    Effect.gen(function* () {
      const { yieldAboveRps, yieldMaxWaitMs } = yield* workersConfig;
      return Headroom.of(makeHeadroom({ yieldAboveRps, maxWaitMs: yieldMaxWaitMs }));
    }),
  );
}
