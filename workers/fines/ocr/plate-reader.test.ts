/**
 * The real PlateReader (tesseract.js, offline traineddata) on photos from the benchmark's generator:
 * a clean crop and a perspective photo are read exactly and confidently; a blank image reads no
 * plate; bytes that are not an image fail with PlateReadError. No timing assertions (see bench:ocr).
 */
import { Effect, ManagedRuntime } from "effect";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesize } from "../../../bench/ocr/synthesize.ts";
import { PLATE_CONFIDENCE_MIN, PlateReadError, PlateReader } from "./plate-reader.ts";

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
