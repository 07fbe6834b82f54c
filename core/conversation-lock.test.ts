import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeInProcessLock } from "./conversation-lock.ts";

describe("in-process conversation lock", () => {
  it("runs one conversation's turns one at a time in arrival order", async () => {
    const lock = makeInProcessLock();
    const events: string[] = [];
    const turns = [30, 5, 15, 0].map((delay, i) =>
      Effect.runPromise(
        lock.withLock(
          "a",
          Effect.gen(function* () {
            events.push(`start ${i}`);
            yield* Effect.sleep(delay);
            events.push(`end ${i}`);
            return i;
          }),
        ),
      ),
    );
    expect(await Promise.all(turns)).toEqual([0, 1, 2, 3]);
    expect(events).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("runs different conversations in parallel, survives a failing turn and forgets idle ones", async () => {
    const lock = makeInProcessLock();
    let running = 0;
    let maxRunning = 0;
    const turn = Effect.gen(function* () {
      running++;
      maxRunning = Math.max(maxRunning, running);
      yield* Effect.sleep(20);
      running--;
    });
    const failing = Effect.runPromise(lock.withLock("a", Effect.fail("boom")));
    await Promise.all([
      Effect.runPromise(lock.withLock("a", turn)),
      Effect.runPromise(lock.withLock("b", turn)),
      Effect.runPromise(lock.withLock("c", turn)),
      failing.catch(() => undefined),
    ]);
    expect(maxRunning).toBe(3);
    await expect(failing).rejects.toBeDefined();
    expect(lock.activeKeys()).toBe(0);
  });
});
