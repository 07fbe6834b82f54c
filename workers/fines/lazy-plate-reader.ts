/**
 * The PlateReader for a process that may never see a plate photo: the tesseract worker is started
 * on the first photo (about 300 ms once), not at every start, and stopped with the layer's scope.
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
