/**
 * Photos of golden conversations (`photo:` in a turn): generated at run time, deterministically,
 * by the plate-photo generator (no binaries in the repository). `{ plate: NXR-4521 }` is a clean
 * plate photo; `{ plate: none }` a photo with no plate in it; `blur: 7` blurs it (a Gaussian of that
 * sigma: an out-of-focus photo, which the reader reads less surely or wrongly).
 */
import { z } from "zod";
import { photoWithoutPlate, platePhoto } from "../../knowledge/fines/testing/plate-photo.ts";

export const photoSpec = z.object({ plate: z.string().min(1), state: z.string().optional(), blur: z.number().min(0.3).max(20).optional() }).strict();
export type PhotoSpec = z.output<typeof photoSpec>;

export interface Photo {
  readonly mediaType: "image/png";
  readonly data: Uint8Array;
}

export const renderPhoto = async (spec: PhotoSpec): Promise<Photo> => ({
  mediaType: "image/png",
  data:
    spec.plate === "none"
      ? await photoWithoutPlate()
      : await platePhoto({ plate: spec.plate, ...(spec.state === undefined ? {} : { state: spec.state }), ...(spec.blur === undefined ? {} : { blur: spec.blur }) }),
});
