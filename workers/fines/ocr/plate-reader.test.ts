/**
 * The real PlateReader (tesseract.js, offline traineddata) on photos from the benchmark's generator:
 * a clean crop and a perspective photo are read exactly and confidently; a blank image reads no
 * plate; bytes that are not an image fail with PlateReadError. The pool of workers: concurrent reads
 * beyond its size wait and all complete, every worker is terminated when the layer's scope closes,
 * and a worker whose read crashed is replaced. No timing assertions (see bench:ocr).
 */
import { Effect, ManagedRuntime } from "effect";
import type { Worker } from "tesseract.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesize } from "../../../bench/ocr/synthesize.ts";
import { PLATE_CONFIDENCE_MIN, PlateReadError, PlateReader, startTesseract } from "./plate-reader.ts";

let runtime: ManagedRuntime.ManagedRuntime<PlateReader, never>;
const read = (image: Uint8Array) => runtime.runPromise(PlateReader.use((r) => r.read(image)).pipe(Effect.result));

beforeAll(() => {
  runtime = ManagedRuntime.make(PlateReader.layer);
}, 60_000);
afterAll(() => runtime.dispose());

describe("PlateReader (tesseract.js)", () => {
  it("reads a clean crop exactly, confidently", async () => {
    const sample = await synthesize(1, "clean");
    const out = await read(sample.image);
    expect(out._tag).toBe("Success");
    if (out._tag !== "Success") return;
    expect(out.success.plate).toBe(sample.plate);
    expect(out.success.confidence).toBeGreaterThanOrEqual(PLATE_CONFIDENCE_MIN);
    expect(out.success.candidates[0]?.text).toBe(sample.plate);
  }, 60_000);

  it("finds and reads the plate in a perspective photo of a car", async () => {
    const sample = await synthesize(4, "perspective");
    const out = await read(sample.image);
    expect(out._tag).toBe("Success");
    if (out._tag !== "Success") return;
    expect(out.success.plate).toBe(sample.plate);
  }, 60_000);

  it("reads no plate in a blank photo", async () => {
    const blank = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#8a8f96" } }).jpeg().toBuffer();
    const out = await read(blank);
    expect(out._tag).toBe("Success");
    if (out._tag !== "Success") return;
    expect(out.success.plate).toBeNull();
    expect(out.success.confidence).toBeLessThan(PLATE_CONFIDENCE_MIN);
  }, 60_000);

  it("fails with PlateReadError on bytes that are not an image, and on an unsupported format", async () => {
    const text = await read(new TextEncoder().encode("%PDF-1.7 not a photo"));
    expect(text._tag).toBe("Failure");
    if (text._tag === "Failure") expect(text.failure).toBeInstanceOf(PlateReadError);
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).gif().toBuffer();
    const unsupported = await read(gif);
    expect(unsupported._tag).toBe("Failure");
    if (unsupported._tag === "Failure") expect(unsupported.failure.reason).toMatch(/gif/);
  }, 60_000);
});

/** Real tesseract workers, counted: being started, started, terminated, and optionally crashing on their first read. */
const tracked = (options: { crashFirstRead?: boolean } = {}) => {
  let starting = 0;
  const started: Worker[] = [];
  const terminated = new Set<Worker>();
  const start = async () => {
    starting++;
    const worker = await startTesseract();
    const terminate = worker.terminate.bind(worker);
    worker.terminate = async (...args) => {
      terminated.add(worker);
      return terminate(...args);
    };
    if (options.crashFirstRead === true && started.length === 0) worker.recognize = () => Promise.reject(new Error("tesseract crashed"));
    started.push(worker);
    return worker;
  };
  return { start, started, terminated, starting: () => starting };
};

describe("PlateReader pool", () => {
  it("reads more photos at once than it has workers: all complete, every worker terminated with the scope", async () => {
    const workers = tracked();
    const pool = ManagedRuntime.make(PlateReader.layerWith({ workers: 2, start: workers.start }));
    try {
      const samples = await Promise.all([1, 2, 3].map((seed) => synthesize(seed, "clean")));
      const outs = await Promise.all(samples.map((s) => pool.runPromise(PlateReader.use((r) => r.read(s.image)))));
      expect(outs.map((o) => o.plate)).toEqual(samples.map((s) => s.plate));
      // Both workers are started with the layer (the second may still be starting when the reads end).
      expect(workers.starting()).toBe(2);
      expect(workers.terminated.size).toBe(0);
    } finally {
      await pool.dispose();
    }
    // Closing the scope waits for a worker still starting and terminates it too.
    expect(workers.started).toHaveLength(2);
    expect(workers.started.every((w) => workers.terminated.has(w))).toBe(true);
  }, 60_000);

  it("replaces a worker whose read crashed; the next read works", async () => {
    const workers = tracked({ crashFirstRead: true });
    const pool = ManagedRuntime.make(PlateReader.layerWith({ workers: 1, start: workers.start }));
    try {
      const sample = await synthesize(2, "clean");
      const first = await pool.runPromise(PlateReader.use((r) => r.read(sample.image)).pipe(Effect.exit));
      expect(first._tag).toBe("Failure");
      const second = await pool.runPromise(PlateReader.use((r) => r.read(sample.image)));
      expect(second.plate).toBe(sample.plate);
      expect(workers.started).toHaveLength(2);
      expect(workers.terminated.has(workers.started[0]!)).toBe(true);
    } finally {
      await pool.dispose();
    }
    expect(workers.terminated.size).toBe(2);
  }, 60_000);
});
