/**
 * The PlateReader: a photo (JPEG, PNG or WebP) in, a Mexican plate out, with a confidence.
 *
 * decode (sharp) → find character lines (locate.ts) → for the best lines, a straightened,
 * binarised, upscaled crop (crop.ts) → tesseract.js, one line, whitelisted characters → repair
 * against the plate formats and score (interpret.ts). Retries (grey instead of binary, an unsharp
 * mask, a darker threshold, ±3° rotations, the next line) run only while the reads do not settle
 * the plate (one clean confident read, or a clear majority); the reads then vote, and a read that
 * disagrees lowers the confidence, so a doubtful plate falls below PLATE_CONFIDENCE_MIN.
 * The layer owns a pool of OCR_WORKERS tesseract workers (offline: traineddata from
 * @tesseract.js-data/eng), started when it is built and terminated when its scope closes. A photo
 * borrows a worker for each tesseract call only (decoding, line finding and crops run outside), so
 * photos read at the same time share the workers call by call instead of queueing photo by photo.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { Config, Context, Effect, Layer, Pool, Schema } from "effect";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import { VARIANTS, lineImage } from "./crop.ts";
import { decodeGrey } from "./image.ts";
import { type Interpretation, interpret } from "./interpret.ts";
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

/** Settings of the plate reader (README.md lists them). */
export const ocrConfig = Config.all({
  /** Tesseract workers per process: photos read at the same time (each worker ~60 MB). At least 1. */
  workers: Config.Int("OCR_WORKERS").pipe(
    Config.withDefault(Math.min(2, availableParallelism())),
    Config.map((n) => Math.max(1, n)),
  ),
});

/** At most this many tesseract calls per photo (each ~50-150 ms). */
const MAX_CALLS = 6;
// Brackets too: tesseract reads the plate font's J as one (interpret.ts turns it back into J).
const WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-)]}";

const langPath = () => join(dirname(createRequire(import.meta.url).resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int");

/** A started tesseract worker set up for one line of plate characters. */
export const startTesseract = async (): Promise<Worker> => {
  const worker = await createWorker("eng", OEM.LSTM_ONLY, { langPath: langPath(), gzip: true, cacheMethod: "none" });
  await worker.setParameters({ tessedit_char_whitelist: WHITELIST, tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: "300" });
  return worker;
};

/** One tesseract read of one crop, interpreted. */
interface Read {
  best: Interpretation | undefined;
}

/**
 * Votes over the reads of one photo. The confidence is the mean score of the reads, a read that
 * found another plate (or none) counting 0: one clean confident read is enough, two reads that
 * disagree are not.
 */
export const tally = (reads: ReadonlyArray<Read>): { plate: string | null; confidence: number; candidates: Array<{ text: string; confidence: number }> } => {
  const byPlate = new Map<string, { sum: number; count: number }>();
  for (const r of reads) {
    if (r.best === undefined) continue;
    const v = byPlate.get(r.best.plate) ?? { sum: 0, count: 0 };
    byPlate.set(r.best.plate, { sum: v.sum + r.best.score, count: v.count + 1 });
  }
  const total = Math.max(1, reads.filter((r) => r.best !== undefined).length);
  const candidates = [...byPlate.entries()]
    .map(([text, v]) => ({ text, count: v.count, confidence: v.sum / total }))
    .sort((a, b) => b.count - a.count || b.confidence - a.confidence);
  const top = candidates[0];
  return {
    plate: top?.text ?? null,
    confidence: top === undefined ? 0 : top.confidence,
    candidates: candidates.map(({ text, confidence }) => ({ text, confidence: Number(confidence.toFixed(3)) })),
  };
};

/** Whether the reads so far settle the plate: one clean, confident read, or a clear majority of two or more. */
export const settled = (reads: ReadonlyArray<Read>): boolean => {
  const found = reads.filter((r) => r.best !== undefined);
  if (found.length === 0) return false;
  if (found.length === 1) return reads.length === 1 && found[0]!.best!.clean && found[0]!.best!.score >= PLATE_CONFIDENCE_MIN + 0.05;
  const { plate } = tally(reads);
  const agreeing = found.filter((r) => r.best!.plate === plate).length;
  return agreeing >= 2 && agreeing / found.length > 0.6;
};

/** One tesseract call on one line crop (PNG): the text read and tesseract's confidence (0..100). */
export type Recognize = (png: Buffer) => Promise<{ readonly text: string; readonly confidence: number }>;

/** Reads one photo with a started worker. */
export const readPlate = (worker: Worker, image: Uint8Array): Promise<PlateReading | { readonly error: string }> =>
  readPlateWith(async (png) => (await worker.recognize(png)).data, image);

/**
 * Reads one photo, each tesseract call made by `recognize`: decoding, line finding and crops need no
 * worker, so a pool lends one for each call only.
 */
export const readPlateWith = async (recognize: Recognize, image: Uint8Array): Promise<PlateReading | { readonly error: string }> => {
  const started = performance.now();
  const decoded = await decodeGrey(image);
  if (!decoded.ok) return { error: decoded.reason };
  const g = decoded.grey;
  const lines = findTextLines(g, adaptiveBinary(g)).slice(0, 3);
  const reads: Read[] = [];
  let calls = 0;
  outer: for (const line of lines) {
    const lineReads: Read[] = [];
    for (const variant of VARIANTS) {
      if (calls >= MAX_CALLS || settled(reads)) break outer;
      // A line that gave no plate in two tries is probably not the plate.
      if (lineReads.length >= 2 && lineReads.every((r) => r.best === undefined)) break;
      const png = await lineImage(g, line, variant);
      const read: Read = { best: undefined };
      if (png !== undefined) {
        const data = await recognize(png);
        calls++;
        read.best = interpret(data.text, data.confidence, line.groups)[0];
      }
      reads.push(read);
      lineReads.push(read);
    }
  }
  const { plate, confidence, candidates } = tally(reads);
  return { plate, confidence: Number(confidence.toFixed(3)), candidates, durationMs: Math.round(performance.now() - started) };
};

export class PlateReader extends Context.Service<PlateReader, { read(image: Uint8Array): Effect.Effect<PlateReading, PlateReadError> }>()("PlateReader") {
  /**
   * Scoped: owns a pool of `workers` tesseract workers (each ~0.5 s of CPU to start, more under load,
   * and ~60 MB), started in the background when the layer is built and terminated with the scope.
   * Each tesseract call takes the first free worker; calls beyond the pool wait, first come first
   * served. `start` replaces how a worker is started (tests).
   */
  static readonly layerWith = (options: { readonly workers: number; readonly start?: () => Promise<Worker> }): Layer.Layer<PlateReader> =>
    Layer.effect(
      PlateReader,
      Effect.gen(function* () {
        const size = Math.max(1, Math.floor(options.workers));
        const pool = yield* Pool.make({
          acquire: Effect.acquireRelease(
            Effect.promise(options.start ?? startTesseract),
            (w) => Effect.promise(() => w.terminate()).pipe(Effect.ignore),
          ),
          size,
        });
        /** One tesseract call on the first free worker; a worker whose call crashed is replaced before anyone borrows it again. */
        const recognize = (png: Buffer, waited: (ms: number) => void) =>
          Effect.suspend(() => {
            const asked = performance.now();
            return Pool.use(pool, (worker) => {
              waited(performance.now() - asked);
              return Effect.promise(() => worker.recognize(png)).pipe(
                Effect.map(({ data }) => ({ text: data.text, confidence: data.confidence })),
                Effect.tapDefect(() => Pool.invalidate(pool, worker)),
              );
            });
          });
        const read = Effect.fn("PlateReader.read")(function* (image: Uint8Array) {
          const run = Effect.runPromiseWith(yield* Effect.context<never>());
          let queueMs = 0;
          const waited = (ms: number) => (queueMs += ms);
          const out = yield* Effect.promise((signal) => readPlateWith((png) => run(recognize(png, waited), { signal }), image));
          if ("error" in out) return yield* new PlateReadError({ reason: out.error });
          yield* Effect.annotateCurrentSpan({ "ocr.confidence": out.confidence, "ocr.read": out.plate !== null, "ocr.duration_ms": out.durationMs, "ocr.queue_ms": Math.round(queueMs), "ocr.workers": size });
          return out;
        });
        return PlateReader.of({ read });
      }),
    );

  /** The pool sized by OCR_WORKERS (README.md; default: min(2, CPUs)). */
  static readonly layer: Layer.Layer<PlateReader> = Layer.unwrap(
    Effect.gen(function* () {
      const { workers } = yield* ocrConfig;
      return PlateReader.layerWith({ workers });
    }).pipe(Effect.orDie),
  );
}
