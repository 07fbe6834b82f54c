/**
 * Deterministic plate photos for tests and golden conversations (no binaries in the repository):
 * a Mexican private-car plate drawn as SVG and rasterised by sharp, and a photo with no plate in
 * it. The same arguments give the same PNG bytes.
 */
import sharp from "sharp";

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface PlatePhotoOptions {
  /** As printed: "NXR-4521". */
  readonly plate: string;
  /** Printed above the characters, as on real plates: "JALISCO". */
  readonly state?: string;
  /** Pixels of grey margin around the plate (a car's bumper around it). */
  readonly margin?: number;
}

/** A clean plate on a grey bumper: PNG bytes. */
export const platePhoto = async ({ plate, state = "MÉXICO", margin = 40 }: PlatePhotoOptions): Promise<Uint8Array> => {
  const w = 520;
  const h = 260;
  // DejaVu Sans Mono's advance is 0.6 em: the characters fill at most 470 px of the plate.
  const size = Math.min(100, Math.floor(470 / (0.6 * plate.length)));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w + 2 * margin}" height="${h + 2 * margin}">
  <rect width="100%" height="100%" fill="#5a6270"/>
  <rect x="${margin}" y="${margin}" width="${w}" height="${h}" rx="18" fill="#ffffff" stroke="#1b1b1b" stroke-width="6"/>
  <text x="${margin + w / 2}" y="${margin + 52}" font-family="DejaVu Sans" font-size="34" font-weight="bold" fill="#8a1c1c" text-anchor="middle">${escapeXml(state)}</text>
  <text x="${margin + w / 2}" y="${margin + 178}" font-family="DejaVu Sans Mono" font-size="${size}" font-weight="bold" fill="#111111" text-anchor="middle">${escapeXml(plate)}</text>
  <text x="${margin + w / 2}" y="${margin + 235}" font-family="DejaVu Sans" font-size="22" fill="#333333" text-anchor="middle">PARTICULAR</text>
</svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer());
};

/** A photo with no plate in it (a sky over a grey car body): PNG bytes. */
export const photoWithoutPlate = async (): Promise<Uint8Array> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9cc4e8"/><stop offset="1" stop-color="#e8f1f8"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#sky)"/>
  <rect x="60" y="170" width="360" height="90" rx="30" fill="#7d8591"/>
  <circle cx="130" cy="265" r="34" fill="#222"/><circle cx="350" cy="265" r="34" fill="#222"/>
</svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer());
};
