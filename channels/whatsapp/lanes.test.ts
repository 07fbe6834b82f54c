import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { makeLanes } from "./lanes.ts";

describe("makeLanes", () => {
  it("runs one key's tasks in queue order even when later tasks are faster", async () => {
    const lanes = makeLanes();
    const finished: number[] = [];
    await Promise.all(
      [50, 10, 30, 0, 20].map((delay, i) =>
        lanes.run("a", async () => {
          await sleep(delay);
          finished.push(i);
        }),
      ),
    );
    expect(finished).toEqual([0, 1, 2, 3, 4]);
    expect(lanes.active()).toBe(0);
  });

  it("runs different keys in parallel and survives a failing task", async () => {
    const lanes = makeLanes();
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(20);
      running--;
    };
    const failing = lanes.run("a", async () => {
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    await Promise.all([lanes.run("a", task), lanes.run("b", task), lanes.run("c", task)]);
    expect(maxRunning).toBe(3);
  });
});
