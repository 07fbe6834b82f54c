/** The job queue's idle polling, on a test database (PGlite, or PostgreSQL with DATABASE_URL) with real pg-boss. */
import { Deferred, Effect, Layer, ManagedRuntime, type Scope } from "effect";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../knowledge/db/test-database.ts";
import { JobQueue } from "./queue.ts";

const runtime = ManagedRuntime.make(JobQueue.layer.pipe(Layer.provide(TestDatabase)));
const run = <A, E>(effect: Effect.Effect<A, E, JobQueue | Scope.Scope>) => runtime.runPromise(Effect.scoped(effect));

/** Counts pg-boss fetches of `name` (the queue's own boss, wrapped). */
const countFetches = (boss: PgBoss, name: string) => {
  const counter = { count: 0 };
  const fetch = boss.fetch.bind(boss);
  boss.fetch = ((queue: string, ...rest: unknown[]) => {
    if (queue === name) counter.count++;
    return (fetch as (...args: unknown[]) => unknown)(queue, ...rest);
  }) as typeof boss.fetch;
  return counter;
};

beforeAll(() => run(JobQueue.use(() => Effect.void)), 120_000);
afterAll(() => runtime.dispose());

describe("JobQueue.work, idle", () => {
  it("polls once per interval however many workers wait (four workers used to poll four times)", async () => {
    const name = "queue-test-idle";
    const pollMs = 200;
    const windowMs = 2_000;
    const fetches = await run(
      Effect.gen(function* () {
        const queue = yield* JobQueue;
        yield* queue.define(name, { retryLimit: 0 });
        const counter = countFetches(queue.boss, name);
        yield* queue.work(name, { concurrency: 4, pollMs }, () => Effect.void);
        // The workers' first look (one fetch each), then idle.
        yield* Effect.sleep(`${pollMs} millis`);
        const before = counter.count;
        yield* Effect.sleep(`${windowMs} millis`);
        return counter.count - before;
      }),
    );
    // One poller: about windowMs / pollMs fetches (10); four pollers would make about 40.
    expect(fetches).toBeGreaterThanOrEqual(windowMs / pollMs - 2);
    expect(fetches).toBeLessThanOrEqual(windowMs / pollMs + 2);
  }, 30_000);

  it("a worker that finds a job wakes the idle ones: three delayed jobs that announce nothing run at once", async () => {
    const name = "queue-test-delayed";
    const started = await run(
      Effect.gen(function* () {
        const queue = yield* JobQueue;
        yield* queue.define(name, { retryLimit: 0 });
        const allThree = yield* Deferred.make<void>();
        const running: string[] = [];
        yield* queue.work<{ n: number }, never>(name, { concurrency: 3, pollMs: 300 }, (job) =>
          Effect.gen(function* () {
            running.push(job.id);
            if (running.length === 3) yield* Deferred.succeed(allThree, undefined);
            // Each handler holds its worker until all three run side by side (or gives up).
            yield* Deferred.await(allThree).pipe(Effect.timeoutOption("5 seconds"));
          }),
        );
        // Let the workers go idle first (one polls, two wait), then make three jobs due in 1 s, unannounced.
        yield* Effect.sleep("500 millis");
        for (let n = 0; n < 3; n++) yield* Effect.promise(() => queue.boss.send(name, { n }, { startAfter: 1 }));
        const together = yield* Deferred.await(allThree).pipe(Effect.timeoutOption("4 seconds"));
        return together._tag === "Some" ? running.length : -running.length;
      }),
    );
    // Without the wake-up the two waiting workers would sleep through it: one job at a time, 5 s each.
    expect(started).toBe(3);
  }, 30_000);
});
