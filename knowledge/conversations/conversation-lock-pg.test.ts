/**
 * The PostgreSQL conversation lock, with two lock instances standing for two app instances
 * (each has its own lock session) on one database.
 */
import { Effect, Exit, Fiber, Redacted } from "effect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, postgresForTest, postgresForTestUnavailable } from "../db/testing/throwaway-postgres.ts";
import { LOCK_NAMESPACE, makePgConversationLock } from "./conversation-lock-pg.ts";

const skip = postgresForTestUnavailable();

describe.skipIf(skip !== undefined)(`PostgreSQL conversation lock${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let url = "";
  let release: () => Promise<void> = async () => {};
  let a: ReturnType<typeof makePgConversationLock>;
  let b: ReturnType<typeof makePgConversationLock>;

  beforeAll(async () => {
    ({ url, release } = await postgresForTest());
    a = makePgConversationLock(Redacted.make(url));
    b = makePgConversationLock(Redacted.make(url));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await release();
  });

  const sql = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(statement)).rows;
    } finally {
      await client.end();
    }
  };
  // Only this lock's namespace in this test's database: other test files (pg-boss, other apps) share the server.
  const advisoryLocksHeld = async () =>
    Number(
      (
        await sql(
          `select count(*) as n from pg_locks where locktype = 'advisory' and granted and classid = ${LOCK_NAMESPACE}
             and database = (select oid from pg_database where datname = current_database())`,
        )
      )[0].n,
    );

  it("runs one conversation's turns one at a time across instances; other conversations in parallel", async () => {
    let running = 0;
    let overlapped = false;
    const order: string[] = [];
    const turn = (label: string, ms: number) =>
      Effect.gen(function* () {
        running += 1;
        if (running > 1) overlapped = true;
        order.push(`start ${label}`);
        yield* Effect.sleep(`${ms} millis`);
        order.push(`end ${label}`);
        running -= 1;
      });
    const turns = [0, 1, 2, 3, 4, 5].map((i) => Effect.runPromise((i % 2 === 0 ? a : b).lock.withLock("conv-1", turn(String(i), 30))));
    // Another conversation is not held up by conv-1's queue.
    await Effect.runPromise(b.lock.withLock("conv-2", Effect.void));
    const conv1EventsWhenConv2Ran = order.length;
    await Promise.all(turns);
    expect(overlapped).toBe(false);
    expect(order).toHaveLength(12);
    for (let i = 0; i < 12; i += 2) expect(order[i]!.replace("start", "end")).toBe(order[i + 1]);
    expect(conv1EventsWhenConv2Ran).toBeLessThan(12);
    expect(a.stats.contended + b.stats.contended).toBeGreaterThan(0);
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it("releases the lock when the turn fails or is interrupted, waiting or holding", async () => {
    await expect(Effect.runPromise(a.lock.withLock("conv-3", Effect.fail("boom")))).rejects.toBeDefined();
    expect(await advisoryLocksHeld()).toBe(0);

    // A holds conv-3 forever; B waits; both are interrupted.
    const holding = Effect.runFork(a.lock.withLock("conv-3", Effect.never));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = Effect.runFork(b.lock.withLock("conv-3", Effect.succeed("never runs")));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await advisoryLocksHeld()).toBe(1);
    await Effect.runPromise(Fiber.interrupt(waiting));
    expect(Exit.hasInterrupts(await Effect.runPromise(Fiber.await(waiting)))).toBe(true);
    await Effect.runPromise(Fiber.interrupt(holding));
    expect(await advisoryLocksHeld()).toBe(0);
    // And B gets it at once.
    expect(await Effect.runPromise(b.lock.withLock("conv-3", Effect.succeed("ok")))).toBe("ok");
  });

  it("reconnects a lock session that was cut", async () => {
    const before = a.stats.sessions;
    await sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kavak-agent-lock' and datname = current_database()");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await Effect.runPromise(a.lock.withLock("conv-4", Effect.succeed(1)))).toBe(1);
    expect(a.stats.sessions).toBe(before + 1);
  });

  it("runs the turn under the in-process lock alone when the database is unreachable (the turn's own store calls fail)", async () => {
    const down = makePgConversationLock(Redacted.make(`postgres://postgres@127.0.0.1:${await freePort()}/none`));
    let running = 0;
    let overlapped = false;
    const turn = Effect.gen(function* () {
      running += 1;
      if (running > 1) overlapped = true;
      yield* Effect.sleep("10 millis");
      running -= 1;
      return "ran";
    });
    const results = await Promise.all([1, 2, 3].map(() => Effect.runPromise(down.lock.withLock("conv-5", turn))));
    expect(results).toEqual(["ran", "ran", "ran"]);
    expect(overlapped).toBe(false);
    expect(down.stats.unavailable).toBe(3);
    await down.close();
  });
});
