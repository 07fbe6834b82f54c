/**
 * The image tesseract sees for one text line: the line cut out of the grey photo with a margin,
 * rotated level, scaled so characters are ~56 px tall (tesseract reads best at 30-60 px capitals),
 * contrast-stretched, binarised with Otsu's threshold (computed on the crop, so a bolt or a
 * sticker lighter than the ink turns white) and framed in white.
 */
import sharp from "sharp";
import type { Grey } from "./image.ts";
import type { TextLine } from "./locate.ts";

export type Variant = { readonly binarise: "otsu" | "otsu-dark" | "grey"; readonly extraAngle: number };

export const VARIANTS: ReadonlyArray<Variant> = [
  { binarise: "otsu", extraAngle: 0 },
  { binarise: "grey", extraAngle: 0 },
  { binarise: "otsu-dark", extraAngle: 0 },
  { binarise: "otsu", extraAngle: 3 },
  { binarise: "otsu", extraAngle: -3 },
];

const TARGET_CHAR = 56;

/** Otsu's threshold (N. Otsu, IEEE SMC 1979) of 8-bit grey pixels. */
export const otsu = (px: Uint8Array): number => {
  const hist = new Float64Array(256);
  for (const v of px) hist[v]!++;
  const total = px.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0, wB = 0, best = 0, threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
};

export const lineImage = async (g: Grey, line: TextLine, variant: Variant): Promise<Buffer> => {
  const ch = line.charHeight;
  const pad = Math.round(ch * 1.2);
  const left = Math.max(0, line.x0 - pad), top = Math.max(0, line.y0 - pad);
  const right = Math.min(g.width, line.x1 + pad), bottom = Math.min(g.height, line.y1 + pad);
  const angle = line.angle + variant.extraAngle;
  const rotated = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .rotate(-angle, { background: { r: 255, g: 255, b: 255 } })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The line's centre stays at the rotated image's centre; cut the level line with a small margin.
  const cx = rotated.info.width / 2 + ((line.x0 + line.x1) / 2 - (left + right) / 2);
  const cy = rotated.info.height / 2 + ((line.y0 + line.y1) / 2 - (top + bottom) / 2);
  const rad = (Math.abs(angle) * Math.PI) / 180;
  const lineW = (line.x1 - line.x0) * Math.cos(rad) + ch * 0.2;
  const cw = Math.round(lineW + ch * 1.0), chh = Math.round(ch * 1.25);
  const ex = Math.max(0, Math.round(cx - cw / 2)), ey = Math.max(0, Math.round(cy - chh / 2));
  const scale = TARGET_CHAR / ch;
  const { data, info } = await sharp(rotated.data, { raw: { width: rotated.info.width, height: rotated.info.height, channels: 1 } })
    .extract({ left: ex, top: ey, width: Math.min(cw, rotated.info.width - ex), height: Math.min(chh, rotated.info.height - ey) })
    .resize({ width: Math.round(Math.min(cw, rotated.info.width - ex) * scale), kernel: "cubic" })
    .normalise()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const px = new Uint8Array(data.buffer, data.byteOffset, info.width * info.height);
  if (variant.binarise !== "grey") {
    const t = Math.max(1, variant.binarise === "otsu-dark" ? Math.round(otsu(px) * 0.75) : otsu(px));
    for (let i = 0; i < px.length; i++) px[i] = px[i]! < t ? 0 : 255;
  }
  const img = sharp(Buffer.from(px), { raw: { width: info.width, height: info.height, channels: 1 } });
  return img.extend({ top: 20, bottom: 20, left: 24, right: 24, background: { r: 255, g: 255, b: 255 } }).png({ compressionLevel: 1 }).toBuffer();
};
