/**
 * The PlateReader: a photo (JPEG, PNG or WebP) in, a Mexican plate out, with a confidence.
 *
 * decode (sharp) → find character lines (locate.ts) → for the best lines, a straightened,
 * binarised, upscaled crop (crop.ts) → tesseract.js, one line, whitelisted characters → repair
 * against the plate formats and score (interpret.ts). Retries (grey instead of binary, a darker
 * threshold, ±3° rotations, the next line) run only while no confident valid plate was read.
 * The tesseract worker is started once per layer (offline: traineddata from @tesseract.js-data/eng)
 * and terminated when the layer's scope closes.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Context, Effect, Layer, Schema, Semaphore } from "effect";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import { VARIANTS, lineImage } from "./crop.ts";
import { decodeGrey } from "./image.ts";
import { interpret } from "./interpret.ts";
import { adaptiveBinary, findTextLines } from "./locate.ts";

export interface PlateReading {
  /** Canonical plate as lib/mx-plates normalises it ("NXR4521"), null when nothing plausible was read. */
  readonly plate: string | null;
  /** 0..1; below PLATE_CONFIDENCE_MIN the assistant asks the user to confirm the plate. */
  readonly confidence: number;
  readonly candidates: ReadonlyArray<{ readonly text: string; readonly confidence: number }>;
  readonly state?: string;
  readonly durationMs: number;
}

/** The image could not be decoded or is not a supported format (JPEG, PNG, WebP). */
export class PlateReadError extends Schema.TaggedError<PlateReadError>()("PlateReadError", { reason: Schema.String }) {}

/** Below this confidence the assistant must ask the user to confirm the plate before looking it up. */
export const PLATE_CONFIDENCE_MIN = 0.8;

/** At most this many tesseract calls per photo (each ~50-150 ms). */
const MAX_CALLS = 6;
const WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

const langPath = () => join(dirname(createRequire(import.meta.url).resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int");

/** A started tesseract worker set up for one line of plate characters. */
export const startTesseract = async (): Promise<Worker> => {
  const worker = await createWorker("eng", OEM.LSTM_ONLY, { langPath: langPath(), gzip: true, cacheMethod: "none" });
  await worker.setParameters({ tessedit_char_whitelist: WHITELIST, tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: "300" });
  return worker;
};

/** Reads one photo with a started worker. */
export const readPlate = async (worker: Worker, image: Uint8Array): Promise<PlateReading | { readonly error: string }> => {
  const started = performance.now();
  const decoded = await decodeGrey(image);
  if (!decoded.ok) return { error: decoded.reason };
  const g = decoded.grey;
  const lines = findTextLines(g, adaptiveBinary(g)).slice(0, 3);
  const votes = new Map<string, { score: number; reads: number }>();
  let calls = 0;
  const tryLine = async (lineIndex: number, variantIndex: number) => {
    const line = lines[lineIndex]!;
    const png = await lineImage(g, line, VARIANTS[variantIndex]!);
    const { data } = await worker.recognize(png);
    calls++;
    const best = interpret(data.text, data.confidence, line.groups)[0];
    if (best === undefined) return;
    const v = votes.get(best.plate) ?? { score: 0, reads: 0 };
    votes.set(best.plate, { score: Math.max(v.score, best.score), reads: v.reads + 1 });
  };
  const confident = () => [...votes.values()].some((v) => v.score >= PLATE_CONFIDENCE_MIN + 0.05);
  outer: for (let li = 0; li < lines.length; li++) {
    for (let vi = 0; vi < VARIANTS.length; vi++) {
      if (calls >= MAX_CALLS || confident()) break outer;
      if (li > 0 && vi > 1) break; // other lines: only the first two variants
      await tryLine(li, vi);
    }
  }
  const ranked = [...votes.entries()]
    .map(([text, v]) => ({ text, confidence: Math.min(1, v.score + (v.reads > 1 ? 0.1 : 0)) }))
    .sort((a, b) => b.confidence - a.confidence);
  const top = ranked[0];
  // Two different plates read with similar scores: unsure.
  const contested = top !== undefined && ranked[1] !== undefined && ranked[1].confidence > top.confidence - 0.1;
  const confidence = top === undefined ? 0 : Math.max(0, top.confidence - (contested ? 0.2 : 0));
  return { plate: top?.text ?? null, confidence: Number(confidence.toFixed(3)), candidates: ranked.map((c) => ({ text: c.text, confidence: Number(c.confidence.toFixed(3)) })), durationMs: Math.round(performance.now() - started) };
};

export class PlateReader extends Context.Service<PlateReader, { read(image: Uint8Array): Effect.Effect<PlateReading, PlateReadError> }>()("PlateReader") {
  /** Scoped: owns one tesseract worker (~300 ms to start, more under load), created once, terminated with the scope. */
  static readonly layer: Layer.Layer<PlateReader> = Layer.effect(
    PlateReader,
    Effect.gen(function* () {
      const worker = yield* Effect.acquireRelease(
        Effect.promise(() => startTesseract()),
        (w) => Effect.promise(() => w.terminate()).pipe(Effect.ignore),
      );
      // One worker reads one image at a time; concurrent reads queue here.
      const lock = Semaphore.makeUnsafe(1);
      const read = Effect.fn("PlateReader.read")(function* (image: Uint8Array) {
        const out = yield* Semaphore.withPermits(lock, 1)(Effect.promise(() => readPlate(worker, image)));
        if ("error" in out) return yield* new PlateReadError({ reason: out.error });
        yield* Effect.annotateCurrentSpan({ "ocr.confidence": out.confidence, "ocr.read": out.plate !== null, "ocr.duration_ms": out.durationMs });
        return out;
      });
      return PlateReader.of({ read });
    }),
  );
}
