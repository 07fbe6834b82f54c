import { describe, expect, it } from "vitest";
import { KeyedQueue } from "./conversation-lock.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("KeyedQueue", () => {
  it("runs one key's tasks one at a time in submission order", async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const tasks = [30, 5, 15, 0].map((delay, i) =>
      queue.run("a", async () => {
        events.push(`start ${i}`);
        await sleep(delay);
        events.push(`end ${i}`);
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(events).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("runs different keys in parallel and survives a failing task", async () => {
    const queue = new KeyedQueue();
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(20);
      running--;
    };
    const failing = queue.run("a", async () => {
      throw new Error("boom");
    });
    await Promise.all([queue.run("a", task), queue.run("b", task), queue.run("c", task), failing.catch(() => undefined)]);
    expect(maxRunning).toBe(3);
    await expect(failing).rejects.toThrow("boom");
    await sleep(0);
    expect(queue.activeKeys).toBe(0);
  });
});
