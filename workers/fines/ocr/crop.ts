/**
 * The image tesseract sees for one text line: the line cut out of the grey photo with wide margins
 * (a character the locator missed is still in), rotated level, scaled so characters are ~56 px tall
 * (tesseract reads best at 30-60 px capitals), contrast-stretched, binarised with Otsu's threshold
 * (computed around the text, so a bolt or a sticker lighter than the ink turns white), cleared of
 * the plate's border and what lies beyond it, trimmed to the ink and framed in white.
 */
import sharp from "sharp";
import type { Grey } from "./image.ts";
import { labelComponents, type TextLine } from "./locate.ts";

export type Variant = {
  readonly binarise: "otsu" | "otsu-dark" | "grey";
  readonly extraAngle: number;
  /** Unsharp mask before binarising (blurred photos). */
  readonly sharpen?: boolean;
};

export const VARIANTS: ReadonlyArray<Variant> = [
  { binarise: "otsu", extraAngle: 0 },
  { binarise: "grey", extraAngle: 0 },
  { binarise: "otsu", extraAngle: 0, sharpen: true },
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

/** Pixels of the crop to paint white: the regions that cannot be characters of the plate. */
export const clutterMask = (bin: Uint8Array, W: number, H: number, text: { readonly x0: number; readonly x1: number }): Uint8Array => {
  const { label, boxes } = labelComponents(bin, W, H);
  const remove = new Uint8Array(boxes.length + 1);
  let cutLeft = 0, cutRight = W;
  boxes.forEach((b, i) => {
    const bh = b.y1 - b.y0, bw = b.x1 - b.x0, cx = (b.x0 + b.x1) / 2;
    // Solid and taller than the crop (the plate's border, the dark recess around the plate) or far
    // wider (the car): not a character, and beside the text nothing beyond it is on the plate. A
    // character merged with a bolt may span the crop too, but is not solid.
    const spans = bh >= H * 0.92;
    // A thin upright stroke beside the text is the border too, when binarising broke it up.
    const stroke = bh >= H * 0.5 && bw < bh * 0.15 && (cx < text.x0 || cx > text.x1);
    const clutter = stroke || (spans && (b.count / (bw * bh) >= 0.7 || bw > H * 1.5));
    if (clutter && cx < text.x0) cutLeft = Math.max(cutLeft, b.x1);
    else if (clutter && cx > text.x1) cutRight = Math.min(cutRight, b.x0);
    const atSide = b.x0 === 0 || b.x1 === W;
    if ((clutter && (cx < text.x0 || cx > text.x1 || bw > H * 1.5)) || atSide) remove[i + 1] = 1;
  });
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (x < cutLeft || x >= cutRight || remove[label[p]!] === 1) mask[p] = 1;
    }
  }
  return mask;
};

/** The crop tesseract reads, or undefined when nothing but clutter is left in it. */
export const lineImage = async (g: Grey, line: TextLine, variant: Variant): Promise<Buffer | undefined> => {
  const ch = line.charHeight;
  // Wide on both sides: a character the locator missed (cut by a sticker, merged with a bolt) is
  // still in the crop; the plate's border and what lies beyond it are painted out (clutterMask).
  const side = ch * 2.4;
  const padY = Math.round(ch * 1.2);
  const left = Math.max(0, Math.round(line.x0 - side - ch)), top = Math.max(0, line.y0 - padY);
  const right = Math.min(g.width, Math.round(line.x1 + side + ch)), bottom = Math.min(g.height, line.y1 + padY);
  const angle = line.angle + variant.extraAngle;
  const rotated = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .rotate(-angle, { background: { r: 255, g: 255, b: 255 } })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The line's centre stays at the rotated image's centre; cut the level line with margins.
  const cx = rotated.info.width / 2 + ((line.x0 + line.x1) / 2 - (left + right) / 2);
  const cy = rotated.info.height / 2 + ((line.y0 + line.y1) / 2 - (top + bottom) / 2);
  const rad = (Math.abs(angle) * Math.PI) / 180;
  const lineW = (line.x1 - line.x0) * Math.cos(rad) + ch * 0.2;
  const cw = Math.round(lineW + side * 2), chh = Math.round(ch * 1.25);
  const ex = Math.max(0, Math.round(cx - cw / 2)), ey = Math.max(0, Math.round(cy - chh / 2));
  const ew = Math.min(cw, rotated.info.width - ex), eh = Math.min(chh, rotated.info.height - ey);
  const scale = TARGET_CHAR / ch;
  let pipeline = sharp(rotated.data, { raw: { width: rotated.info.width, height: rotated.info.height, channels: 1 } })
    .extract({ left: ex, top: ey, width: ew, height: eh })
    .resize({ width: Math.round(ew * scale), kernel: "cubic" });
  if (variant.sharpen === true) {
    const scaled = await pipeline.raw().toBuffer({ resolveWithObject: true });
    pipeline = sharp(scaled.data, { raw: { width: scaled.info.width, height: scaled.info.height, channels: 1 } }).sharpen({ sigma: 2, m1: 1, m2: 3 });
  }
  const { data, info } = await pipeline.normalise().greyscale().raw().toBuffer({ resolveWithObject: true });
  const W = info.width, H = info.height;
  const px = new Uint8Array(data.buffer, data.byteOffset, W * H);
  // Where the located characters are, in the crop's pixels.
  const textX0 = Math.max(0, (cx - lineW / 2 - ex) * (W / ew)), textX1 = Math.min(W, (cx + lineW / 2 - ex) * (W / ew));
  // Otsu on the text and a little around it, not on the car beyond the plate.
  const margin = TARGET_CHAR * 0.5;
  const core: number[] = [];
  for (let y = 0; y < H; y++) for (let x = Math.max(0, Math.round(textX0 - margin)); x < Math.min(W, Math.round(textX1 + margin)); x++) core.push(px[y * W + x]!);
  const t0 = otsu(Uint8Array.from(core));
  const t = Math.max(1, variant.binarise === "otsu-dark" ? Math.round(t0 * 0.75) : t0);
  const bin = new Uint8Array(W * H);
  for (let i = 0; i < px.length; i++) bin[i] = px[i]! < t ? 1 : 0;
  const mask = clutterMask(bin, W, H, { x0: textX0, x1: textX1 });
  for (let i = 0; i < px.length; i++) {
    if (mask[i] === 1) px[i] = 255;
    else if (variant.binarise !== "grey") px[i] = bin[i] === 1 ? 0 : 255;
  }
  // Trimmed to the ink left (tesseract's time grows with the width), specks aside.
  const kept = new Uint8Array(W * H);
  for (let i = 0; i < px.length; i++) kept[i] = bin[i] === 1 && mask[i] === 0 ? 1 : 0;
  const inked = labelComponents(kept, W, H).boxes.filter((b) => b.count >= TARGET_CHAR * TARGET_CHAR * 0.02);
  if (inked.length === 0) return undefined;
  const pad = Math.round(TARGET_CHAR * 0.4);
  const x0 = Math.max(0, Math.min(...inked.map((b) => b.x0)) - pad);
  const x1 = Math.min(W, Math.max(...inked.map((b) => b.x1)) + pad);
  const img = sharp(Buffer.from(px), { raw: { width: W, height: H, channels: 1 } }).extract({ left: x0, top: 0, width: x1 - x0, height: H });
  return img.extend({ top: 20, bottom: 20, left: 24, right: 24, background: { r: 255, g: 255, b: 255 } }).png({ compressionLevel: 1 }).toBuffer();
};
