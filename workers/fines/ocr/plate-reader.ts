/**
 * CONTRACT PLACEHOLDER written by the lead so the tree builds while the OCR helper builds the real
 * reader; it is replaced by the real implementation (tesseract.js) in this same file.
 */
import { Context, Data, Effect, Layer } from "effect";

export interface PlateReading {
  readonly plate: string | null;
  readonly confidence: number;
  readonly candidates: ReadonlyArray<{ readonly text: string; readonly confidence: number }>;
  readonly state?: string;
  readonly durationMs: number;
}

export class PlateReadError extends Data.TaggedError("PlateReadError")<{ readonly reason: string }> {}

export const PLATE_CONFIDENCE_MIN = 0.8;

export class PlateReader extends Context.Service<PlateReader, { read(image: Uint8Array): Effect.Effect<PlateReading, PlateReadError> }>()("PlateReader") {
  static readonly layer = Layer.succeed(PlateReader, PlateReader.of({ read: () => Effect.fail(new PlateReadError({ reason: "the plate reader is not built yet" })) }));
}
