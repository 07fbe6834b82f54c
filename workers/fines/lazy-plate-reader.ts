/**
 * The PlateReader for a process that may never see a plate photo: its pool of tesseract workers
 * (OCR_WORKERS, each ~0.5 s of CPU to start and ~60 MB) is started on the first photo, not at every
 * start, and stopped with the layer's scope. The first photo's decoding and crops overlap the
 * start-up: in the release gate it waited ~0.2 s for a worker.
 */
import { Context, Effect, Layer } from "effect";
import { PlateReader } from "./ocr/plate-reader.ts";

export const lazyPlateReader = (real: Layer.Layer<PlateReader> = PlateReader.layer) =>
  Layer.effect(
    PlateReader,
    Effect.gen(function* () {
      const scope = yield* Effect.scope;
      const reader = yield* Effect.cached(Layer.buildWithScope(real, scope).pipe(Effect.map((services) => Context.get(services, PlateReader))));
      return PlateReader.of({ read: (image) => reader.pipe(Effect.flatMap((r) => r.read(image))) });
    }),
  );
