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
  /** A Gaussian blur of this sigma (a shaky or out-of-focus photo); none by default. */
  readonly blur?: number;
}

/** A clean plate on a grey bumper: PNG bytes. */
export const platePhoto = async ({ plate, state = "JALISCO", margin = 40, blur }: PlatePhotoOptions): Promise<Uint8Array> => {
  // The layout of bench/ocr/synthesize.ts (the reader's benchmark): a coloured band with the state,
  // the characters in DejaVu Sans bold, "MÉXICO · PARTICULAR" below.
  const w = 480;
  const h = 240;
  const size = Math.min(104, Math.round(410 / (plate.length * 0.68)));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w + 2 * margin}" height="${h + 2 * margin}">
  <rect width="100%" height="100%" fill="#5a6270"/>
  <g transform="translate(${margin} ${margin})">
  <rect x="2" y="2" width="${w - 4}" height="${h - 4}" rx="16" fill="#f4f4f0" stroke="#333" stroke-width="4"/>
  <rect x="10" y="10" width="${w - 20}" height="40" rx="8" fill="#1f4e9c"/>
  <text x="${w / 2}" y="40" font-family="DejaVu Sans" font-weight="bold" font-size="26" fill="#fff" text-anchor="middle">${escapeXml(state)}</text>
  <text x="${w / 2}" y="${130 + size * 0.36}" font-family="DejaVu Sans" font-weight="bold" font-size="${size}" fill="#111" text-anchor="middle">${escapeXml(plate)}</text>
  <text x="${w / 2}" y="220" font-family="DejaVu Sans" font-size="20" fill="#333" text-anchor="middle">MÉXICO · PARTICULAR</text>
  </g>
</svg>`;
  const image = sharp(Buffer.from(svg));
  return new Uint8Array(await (blur === undefined ? image : image.blur(blur)).png({ compressionLevel: 9 }).toBuffer());
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
