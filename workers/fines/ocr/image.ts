/**
 * Decoding a photo for the plate reader: JPEG, PNG or WebP only (sniffed by sharp, not trusted from a
 * MIME type), EXIF orientation applied, grey, at most 1024 px wide. Anything else is refused.
 */
import sharp from "sharp";

export interface Grey {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export const SUPPORTED_FORMATS = ["jpeg", "png", "webp"] as const;

export type DecodeResult = { readonly ok: true; readonly grey: Grey } | { readonly ok: false; readonly reason: string };

export const decodeGrey = async (bytes: Uint8Array): Promise<DecodeResult> => {
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    return { ok: false, reason: "the file is not an image sharp can decode" };
  }
  if (format === undefined || !(SUPPORTED_FORMATS as ReadonlyArray<string>).includes(format)) return { ok: false, reason: `unsupported image format: ${format ?? "unknown"} (JPEG, PNG or WebP)` };
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize({ width: 1024, withoutEnlargement: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { ok: true, grey: { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height } };
  } catch (e) {
    return { ok: false, reason: `the image could not be decoded: ${e instanceof Error ? e.message : String(e)}` };
  }
};
