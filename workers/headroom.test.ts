import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeHeadroom } from "./headroom.ts";

describe("headroom for workers in the web process", () => {
  it("counts the requests of the last second", () => {
    let now = 1_000_000;
    const headroom = makeHeadroom({ yieldAboveRps: 20, maxWaitMs: 1_000, now: () => now });
    for (let i = 0; i < 30; i++) headroom.noteRequest();
    expect(headroom.requestRate()).toBe(30);
    now += 500;
    for (let i = 0; i < 5; i++) headroom.noteRequest();
    expect(headroom.requestRate()).toBe(35);
    now += 600; // the first 30 are now older than a second
    expect(headroom.requestRate()).toBe(5);
    now += 10_000; // long quiet: every slot is stale
    expect(headroom.requestRate()).toBe(0);
  });

  it("lets a worker take a job at once while requests are few", async () => {
    const headroom = makeHeadroom({ yieldAboveRps: 20, maxWaitMs: 60_000 });
    for (let i = 0; i < 20; i++) headroom.noteRequest();
    const started = Date.now();
    await Effect.runPromise(headroom.admit);
    // Had it waited, it would have waited until the requests aged out (a second).
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("holds a worker while requests pour in, and releases it once they ease", async () => {
    const headroom = makeHeadroom({ yieldAboveRps: 20, maxWaitMs: 60_000 });
    for (let i = 0; i < 100; i++) headroom.noteRequest();
    const started = Date.now();
    await Effect.runPromise(headroom.admit);
    const waited = Date.now() - started;
    // Released when the burst left the one-second window, long before the 60 s cap.
    expect(waited).toBeGreaterThanOrEqual(800);
    expect(headroom.requestRate()).toBeLessThanOrEqual(20);
  });

  it("never holds a worker longer than the cap, however long the flood", async () => {
    const headroom = makeHeadroom({ yieldAboveRps: 20, maxWaitMs: 300 });
    for (let i = 0; i < 100; i++) headroom.noteRequest();
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) headroom.noteRequest();
    }, 20);
    try {
      const started = Date.now();
      await Effect.runPromise(headroom.admit);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(300);
      expect(headroom.requestRate()).toBeGreaterThan(20); // the flood was still on
    } finally {
      clearInterval(flood);
    }
  });

  it("with yieldAboveRps 0 never holds a worker", async () => {
    const headroom = makeHeadroom({ yieldAboveRps: 0, maxWaitMs: 60_000 });
    for (let i = 0; i < 1_000; i++) headroom.noteRequest();
    const started = Date.now();
    await Effect.runPromise(headroom.admit);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
