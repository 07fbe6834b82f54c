/**
 * Finding the plate's characters in a photo, without knowing where the plate is:
 *  1. adaptive threshold (Bradley & Roth, "Adaptive thresholding using the integral image", 2007):
 *     dark where a pixel is darker than its neighbourhood's mean, so gradients and dim or
 *     overexposed photos binarise alike;
 *  2. connected components (8-neighbour), kept when shaped like a character (height, aspect, fill);
 *  3. characters chained into lines: similar heights, aligned centres, small gaps, as licence-plate
 *     recognisers commonly do (e.g. Anagnostopoulos et al., "License plate recognition from still
 *     images and video sequences: a survey", IEEE T-ITS 2008, connected-component methods);
 *  4. lines of 5 to 9 characters scored, best first; each comes with its skew (a fit through the
 *     characters' bottoms) so the crop can be straightened.
 */
import type { Grey } from "./image.ts";

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly count: number;
}

export interface TextLine {
  readonly boxes: ReadonlyArray<Box>;
  /** Bounding box of the characters. */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Median character height in pixels. */
  readonly charHeight: number;
  /** Skew in degrees (positive: the line goes down to the right). */
  readonly angle: number;
  readonly score: number;
  /** Character counts between printed hyphens ([3, 3, 1] for ABC-123-D); [n] when none was seen. */
  readonly groups: ReadonlyArray<number>;
}

/** Dark pixels (1) by the local-mean rule; radius ~ 1/16 of the shorter side. */
export const adaptiveBinary = (g: Grey, k = 0.15): Uint8Array => {
  const { data, width: W, height: H } = g;
  const integral = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    for (let x = 0; x < W; x++) {
      row += data[y * W + x]!;
      integral[(y + 1) * (W + 1) + x + 1] = integral[y * (W + 1) + x + 1]! + row;
    }
  }
  const r = Math.max(6, Math.round(Math.min(W, H) / 16));
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const ya = Math.max(0, y - r), yb = Math.min(H, y + r + 1);
    for (let x = 0; x < W; x++) {
      const xa = Math.max(0, x - r), xb = Math.min(W, x + r + 1);
      const sum = integral[yb * (W + 1) + xb]! - integral[ya * (W + 1) + xb]! - integral[yb * (W + 1) + xa]! + integral[ya * (W + 1) + xa]!;
      const mean = sum / ((xb - xa) * (yb - ya));
      out[y * W + x] = data[y * W + x]! < mean * (1 - k) ? 1 : 0;
    }
  }
  return out;
};

/** 8-connected dark regions: each pixel's label (0: background, i + 1: boxes[i]) and each region's bounding box. */
export const labelComponents = (bin: Uint8Array, W: number, H: number): { readonly label: Int32Array; readonly boxes: Box[] } => {
  const label = new Int32Array(W * H);
  const stack = new Int32Array(W * H);
  const boxes: Box[] = [];
  let next = 0;
  for (let start = 0; start < W * H; start++) {
    if (bin[start] === 0 || label[start] !== 0) continue;
    next++;
    let sp = 0;
    stack[sp++] = start;
    label[start] = next;
    let x0 = W, y0 = H, x1 = 0, y1 = 0, count = 0;
    while (sp > 0) {
      const p = stack[--sp]!;
      const px = p % W, py = (p - px) / W;
      count++;
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= W) continue;
          const q = ny * W + nx;
          if (bin[q] === 1 && label[q] === 0) {
            label[q] = next;
            stack[sp++] = q;
          }
        }
      }
    }
    boxes.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, count });
  }
  return { label, boxes };
};

/** Bounding boxes of 8-connected dark regions. */
export const components = (bin: Uint8Array, W: number, H: number): Box[] => labelComponents(bin, W, H).boxes;

const h = (b: Box) => b.y1 - b.y0;
const w = (b: Box) => b.x1 - b.x0;

const looksLikeCharacter = (b: Box, H: number): boolean => {
  const bh = h(b), bw = w(b);
  const fill = b.count / (bh * bw);
  return bh >= 8 && bh <= H * 0.6 && bw / bh >= 0.12 && bw / bh <= 1.5 && fill >= 0.15 && fill <= 0.92;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** How many characters a component of the line holds: touching characters (blur, kerning) merge into one. */
const charsIn = (b: Box, ch: number): number => Math.max(1, Math.round(w(b) / (ch * 0.95)));

/**
 * A character partly covered (a bolt merged into it, a sticker cutting it) fails the shape test,
 * and so do two or three characters that touch; at either end of a line, a component in the line's
 * band, of about the line's height and close enough, is taken back in.
 */
const extendEnds = (line: Box[], all: ReadonlyArray<Box>): Box[] => {
  const out = [...line];
  const ch = median(line.map(h));
  for (let guard = 0; guard < 3; guard++) {
    const first = out[0]!, last = out.at(-1)!;
    const inBand = (b: Box, ref: Box) => Math.abs((b.y0 + b.y1) / 2 - (ref.y0 + ref.y1) / 2) < ch * 0.45 && h(b) >= ch * 0.6 && h(b) <= ch * 2.1 && w(b) <= ch * 3.2;
    const right = all.filter((b) => b.x0 >= last.x1 - 1 && b.x0 - last.x1 < ch * 1.4 && inBand(b, last)).sort((a, b) => a.x0 - b.x0)[0];
    const left = all.filter((b) => b.x1 <= first.x0 + 1 && first.x0 - b.x1 < ch * 1.4 && inBand(b, first)).sort((a, b) => b.x1 - a.x1)[0];
    if (right !== undefined && !out.includes(right)) out.push(right);
    if (left !== undefined && !out.includes(left)) out.unshift(left);
    if (right === undefined && left === undefined) break;
  }
  return out;
};

/** Where the printed hyphens are: a short, wide component in the gap between two characters, mid-height. */
const hyphenGroups = (boxes: ReadonlyArray<Box>, all: ReadonlyArray<Box>, ch: number): number[] => {
  const groups: number[] = [];
  let run = charsIn(boxes[0]!, ch);
  for (let i = 1; i < boxes.length; i++) {
    const a = boxes[i - 1]!, b = boxes[i]!;
    const mid = ((a.y0 + a.y1) / 2 + (b.y0 + b.y1) / 2) / 2;
    const hyphen = all.some((c) => c.x0 >= a.x1 - 2 && c.x1 <= b.x0 + 2 && w(c) > h(c) && h(c) < ch * 0.4 && w(c) > ch * 0.2 && Math.abs((c.y0 + c.y1) / 2 - mid) < ch * 0.25);
    if (hyphen) {
      groups.push(run);
      run = charsIn(b, ch);
    } else run += charsIn(b, ch);
  }
  groups.push(run);
  return groups;
};

/** Lines of plate-like characters, best first. */
export const findTextLines = (g: Grey, bin: Uint8Array): TextLine[] => {
  const all = components(bin, g.width, g.height).filter((b) => b.count >= 12);
  const chars = all
    .filter((b) => looksLikeCharacter(b, g.height))
    .sort((a, b) => a.x0 - b.x0);
  const parent = chars.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < chars.length; i++) {
    const a = chars[i]!;
    for (let j = i + 1; j < chars.length; j++) {
      const b = chars[j]!;
      const hi = Math.max(h(a), h(b));
      // Up to a character hidden (a sticker) beside a hyphen.
      if (b.x0 - a.x1 > hi * 2) break;
      if (Math.min(h(a), h(b)) / hi < 0.72) continue;
      if (Math.abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) > hi * 0.4) continue;
      if (b.x0 < a.x1 - w(a) * 0.3) continue; // overlapping horizontally: not neighbours on a line
      parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, Box[]>();
  chars.forEach((c, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), c]);
  });
  const lines: TextLine[] = [];
  for (const found of groups.values()) {
    if (found.length < 4 || found.length > 10) continue;
    const boxes = extendEnds(found, all);
    const count = boxes.reduce((n, b) => n + charsIn(b, median(found.map(h))), 0);
    if (count < 5 || count > 10) continue;
    const heights = found.map(h);
    const charHeight = median(heights);
    const uniform = heights.filter((x) => Math.abs(x - charHeight) <= charHeight * 0.18).length / found.length;
    // Least-squares fit of the bottoms: the line's skew.
    const xs = found.map((b) => (b.x0 + b.x1) / 2), ys = found.map((b) => b.y1);
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length, my = ys.reduce((s, v) => s + v, 0) / ys.length;
    const sxy = xs.reduce((s, v, i) => s + (v - mx) * (ys[i]! - my), 0), sxx = xs.reduce((s, v) => s + (v - mx) ** 2, 0);
    const angle = (Math.atan2(sxx === 0 ? 0 : sxy / sxx, 1) * 180) / Math.PI;
    const countScore = count === 6 || count === 7 ? 1 : count === 8 ? 0.6 : 0.4;
    lines.push({
      boxes,
      x0: Math.min(...boxes.map((b) => b.x0)),
      y0: Math.min(...found.map((b) => b.y0)),
      x1: Math.max(...boxes.map((b) => b.x1)),
      y1: Math.max(...found.map((b) => b.y1)),
      groups: hyphenGroups(boxes, all, charHeight),
      charHeight,
      angle,
      score: countScore * uniform * Math.sqrt(charHeight),
    });
  }
  return lines.sort((a, b) => b.score - a.score);
};
