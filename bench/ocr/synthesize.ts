/**
 * Synthetic plate photos for the OCR benchmark and tests (no real-world photos were available).
 * Deterministic: the same seed gives the same plates, the same scenes and the same bytes.
 *
 * A plate (2:1, white with a coloured band and the state's name, characters in the formats of
 * lib/mx-plates.ts, hyphens as printed) is rendered with sharp from SVG, then either kept as a clean
 * crop or warped with a true homography (perspective) onto a car-like rear (body colour, bumper,
 * lights, shadows) and distorted by class: blur, noise, dark, overexposed, gradient lighting,
 * partial occlusion (a bolt or a small sticker over part of one character).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp, { type OverlayOptions } from "sharp";
import { displayPlate, normalizePlate, type PlateFormat } from "../../lib/mx-plates.ts";

export type Distortion = "clean" | "photo" | "perspective" | "blur" | "noise" | "dark" | "overexposed" | "gradient" | "occlusion";
export const DISTORTIONS: ReadonlyArray<Distortion> = ["clean", "photo", "perspective", "blur", "noise", "dark", "overexposed", "gradient", "occlusion"];

export interface Sample {
  readonly id: string;
  readonly plate: string;
  readonly format: PlateFormat;
  readonly state: string;
  readonly distortion: Distortion;
  readonly image: Buffer;
  readonly mime: "image/png" | "image/jpeg" | "image/webp";
}

/** Formats per state as lib/mx-plates.ts documents them (three or four digits; the 2016 series; earlier CDMX). */
const STATES: ReadonlyArray<{ readonly name: string; readonly formats: ReadonlyArray<PlateFormat>; readonly band: string }> = [
  { name: "CIUDAD DE MÉXICO", formats: ["LLL-NNN-L", "NNN-LLL"], band: "#b3124e" },
  { name: "ESTADO DE MÉXICO", formats: ["LLL-NNN-L", "LLL-NNNN"], band: "#1d6b3a" },
  { name: "JALISCO", formats: ["LLL-NNN-L", "LLL-NNNN"], band: "#1f4e9c" },
  { name: "NUEVO LEÓN", formats: ["LLL-NNN-L", "LLL-NNNN"], band: "#0f3d7a" },
  { name: "PUEBLA", formats: ["LLL-NNNN", "LLL-NNN"], band: "#6a1b2c" },
  { name: "QUERÉTARO", formats: ["LLL-NNN", "LLL-NNNN"], band: "#444444" },
  { name: "YUCATÁN", formats: ["LLL-NNN", "LLL-NNNN"], band: "#b86a00" },
];

const LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"; // no I, O, Q (NOM-001-SCT-2)
const DIGITS = "0123456789";

/** mulberry32: small, fast, deterministic. */
export const rng = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (lo: number, hi: number) => lo + (hi - lo) * next(),
    int: (lo: number, hi: number) => Math.floor(lo + (hi - lo + 1) * next()),
    pick: <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(next() * xs.length)]!,
  };
};
type Rng = ReturnType<typeof rng>;

const plateText = (r: Rng, format: PlateFormat): string => {
  let out = "";
  for (const k of format) out += k === "L" ? r.pick([...LETTERS]) : k === "N" ? r.pick([...DIGITS]) : "-";
  return out;
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

const PLATE_W = 480;
const PLATE_H = 240;

/** The plate alone, RGBA at 480×240. */
const renderPlate = async (r: Rng, printed: string, state: { name: string; band: string }): Promise<Buffer> => {
  const font = r.pick(["DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Sans Mono"]);
  const size = Math.min(104, Math.round(410 / (printed.length * (font === "DejaVu Sans Condensed" ? 0.62 : 0.68))));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PLATE_W}" height="${PLATE_H}">
  <rect x="2" y="2" width="${PLATE_W - 4}" height="${PLATE_H - 4}" rx="16" fill="#f4f4f0" stroke="#333" stroke-width="4"/>
  <rect x="10" y="10" width="${PLATE_W - 20}" height="40" rx="8" fill="${state.band}"/>
  <text x="${PLATE_W / 2}" y="40" font-family="DejaVu Sans" font-weight="bold" font-size="26" fill="#fff" text-anchor="middle">${esc(state.name)}</text>
  <text x="${PLATE_W / 2}" y="${130 + size * 0.36}" font-family="${font}" font-weight="bold" font-size="${size}" fill="#111" text-anchor="middle">${esc(printed)}</text>
  <text x="${PLATE_W / 2}" y="220" font-family="DejaVu Sans" font-size="20" fill="#333" text-anchor="middle">MÉXICO · PARTICULAR</text>
  <circle cx="60" cy="30" r="0" fill="#888"/>
</svg>`;
  return sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer();
};

/** Homography mapping the unit square's corners (0,0),(1,0),(1,1),(0,1) to the quad q. */
const squareToQuad = (q: ReadonlyArray<readonly [number, number]>) => {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q as [[number, number], [number, number], [number, number], [number, number]];
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const h = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1] as const;
};

/** Inverse of a 3×3 matrix (row major). */
const invert = (m: ReadonlyArray<number>): number[] => {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
};

/** Warps the RGBA plate onto a transparent W×H canvas so its corners land on quad (bilinear). */
const warpOnto = (src: Buffer, sw: number, sh: number, quad: ReadonlyArray<readonly [number, number]>, W: number, H: number): Buffer => {
  const inv = invert(squareToQuad(quad));
  const out = Buffer.alloc(W * H * 4);
  const xs = quad.map((p) => p[0]), ys = quad.map((p) => p[1]);
  const xa = Math.max(0, Math.floor(Math.min(...xs))), xb = Math.min(W - 1, Math.ceil(Math.max(...xs)));
  const ya = Math.max(0, Math.floor(Math.min(...ys))), yb = Math.min(H - 1, Math.ceil(Math.max(...ys)));
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const w = inv[6]! * x + inv[7]! * y + inv[8]!;
      const u = ((inv[0]! * x + inv[1]! * y + inv[2]!) / w) * (sw - 1);
      const v = ((inv[3]! * x + inv[4]! * y + inv[5]!) / w) * (sh - 1);
      if (u < 0 || v < 0 || u > sw - 1 || v > sh - 1) continue;
      const u0 = Math.floor(u), v0 = Math.floor(v), u1 = Math.min(sw - 1, u0 + 1), v1 = Math.min(sh - 1, v0 + 1);
      const fu = u - u0, fv = v - v0;
      for (let k = 0; k < 4; k++) {
        const p = (xx: number, yy: number) => src[(yy * sw + xx) * 4 + k]!;
        out[(y * W + x) * 4 + k] = Math.round((p(u0, v0) * (1 - fu) + p(u1, v0) * fu) * (1 - fv) + (p(u0, v1) * (1 - fu) + p(u1, v1) * fu) * fv);
      }
    }
  }
  return out;
};

/** A car's rear as SVG: body, rear window, lights, bumper, plate recess, shadows, some clutter. */
const carSvg = (r: Rng, W: number, H: number, plateBox: { x: number; y: number; w: number; h: number }): string => {
  const body = r.pick(["#8a1c1c", "#1c3d8a", "#c8c8c8", "#2b2b2b", "#e8e8e8", "#556b2f", "#7a7a7a", "#d9a400"]);
  const bg = r.pick(["#9aa6b0", "#6d7f5a", "#b9a88d", "#505a64", "#c7d0d8"]);
  const cx = plateBox.x + plateBox.w / 2;
  const bodyW = plateBox.w * r.range(3.2, 4.2);
  const left = cx - bodyW / 2;
  const top = plateBox.y - plateBox.h * r.range(1.6, 2.4);
  const bumperY = plateBox.y + plateBox.h * r.range(0.9, 1.4);
  const clutter = Array.from({ length: 6 }, () => {
    const x = r.range(0, W), y = r.range(0, H * 0.35), w = r.range(20, 120), h = r.range(10, 60);
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${r.pick(["#fff", "#333", "#777", "#aab"])}" opacity="${r.range(0.2, 0.6).toFixed(2)}"/>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.25"/><stop offset="1" stop-color="#000" stop-opacity="0.3"/></linearGradient></defs>
  <rect width="${W}" height="${H}" fill="${bg}"/>${clutter}
  <rect x="0" y="${H * 0.82}" width="${W}" height="${H * 0.18}" fill="#3a3a3a"/>
  <rect x="${left}" y="${top}" width="${bodyW}" height="${bumperY - top + plateBox.h * 0.8}" rx="40" fill="${body}"/>
  <rect x="${left + bodyW * 0.12}" y="${top - plateBox.h * 1.6}" width="${bodyW * 0.76}" height="${plateBox.h * 1.5}" rx="20" fill="#223" opacity="0.85"/>
  <rect x="${left + bodyW * 0.03}" y="${top + plateBox.h * 0.3}" width="${bodyW * 0.18}" height="${plateBox.h * 0.7}" rx="8" fill="#c0141b"/>
  <rect x="${left + bodyW * 0.79}" y="${top + plateBox.h * 0.3}" width="${bodyW * 0.18}" height="${plateBox.h * 0.7}" rx="8" fill="#c0141b"/>
  <text x="${cx}" y="${top + plateBox.h * 0.9}" font-family="DejaVu Sans" font-size="${plateBox.h * 0.28}" fill="#ddd" text-anchor="middle">${r.pick(["KAVAK", "SEDAN", "GT", "1.6L"])}</text>
  <rect x="${left - 10}" y="${bumperY}" width="${bodyW + 20}" height="${plateBox.h * 0.7}" rx="18" fill="#1e1e1e"/>
  <rect x="${plateBox.x - plateBox.w * 0.06}" y="${plateBox.y - plateBox.h * 0.08}" width="${plateBox.w * 1.12}" height="${plateBox.h * 1.16}" rx="6" fill="#111" opacity="0.55"/>
  <rect width="${W}" height="${H}" fill="url(#g)"/>
</svg>`;
};

const compose = async (r: Rng, plateRgba: Buffer, distortion: Distortion): Promise<{ image: Buffer; mime: Sample["mime"] }> => {
  const W = r.pick([640, 800, 960]);
  const H = Math.round(W * 0.75);
  const pw = W * r.range(0.22, 0.34);
  const ph = pw / 2;
  const x = r.range(W * 0.25, W * 0.75 - pw);
  const y = r.range(H * 0.4, H * 0.62);
  const strong = distortion === "perspective";
  const yaw = r.range(-1, 1) * (strong ? 0.35 : 0.08); // one side nearer: taller
  const pitch = r.range(0, 1) * (strong ? 0.25 : 0.05); // seen from above: bottom wider
  const rot = (r.range(-1, 1) * (strong ? 9 : 3) * Math.PI) / 180;
  const ddx = pw * pitch * 0.5, lh = ph * (1 + yaw * 0.5), rh = ph * (1 - yaw * 0.5);
  const c = { x: x + pw / 2, y: y + ph / 2 };
  const raw: Array<[number, number]> = [
    [x + ddx * 0.5, c.y - lh / 2],
    [x + pw - ddx * 0.5, c.y - rh / 2],
    [x + pw + ddx * 0.5, c.y + rh / 2],
    [x - ddx * 0.5, c.y + lh / 2],
  ];
  const quad = raw.map(([px, py]) => {
    const dx = px - c.x, dy = py - c.y;
    return [c.x + dx * Math.cos(rot) - dy * Math.sin(rot), c.y + dx * Math.sin(rot) + dy * Math.cos(rot)] as [number, number];
  });
  const background = await sharp(Buffer.from(carSvg(r, W, H, { x, y, w: pw, h: ph }))).ensureAlpha().raw().toBuffer();
  const warped = warpOnto(plateRgba, PLATE_W, PLATE_H, quad, W, H);
  let img = sharp(background, { raw: { width: W, height: H, channels: 4 } }).composite([{ input: warped, raw: { width: W, height: H, channels: 4 } }]);
  const flat = await img.png().toBuffer();
  return finish(r, flat, W, H, distortion, quad);
};

/** Applies the distortion class to a composed scene (or a clean crop) and encodes it. */
const finish = async (r: Rng, png: Buffer, W: number, H: number, distortion: Distortion, quad: ReadonlyArray<readonly [number, number]>): Promise<{ image: Buffer; mime: Sample["mime"] }> => {
  let img = sharp(png);
  const overlays: OverlayOptions[] = [];
  if (distortion === "blur") img = sharp(await img.blur(r.range(1.2, 2.2)).png().toBuffer());
  if (distortion === "dark") img = sharp(await img.linear(r.range(0.25, 0.4), 0).png().toBuffer());
  if (distortion === "overexposed") img = sharp(await img.linear(r.range(0.5, 0.7), r.range(110, 150)).png().toBuffer());
  if (distortion === "gradient") {
    const dir = r.pick([["0", "0", "1", "0"], ["0", "0", "0", "1"], ["1", "0", "0", "1"]]);
    overlays.push({
      input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><linearGradient id="l" x1="${dir[0]}" y1="${dir[1]}" x2="${dir[2]}" y2="${dir[3]}"><stop offset="0" stop-color="#000" stop-opacity="${r.range(0.55, 0.75).toFixed(2)}"/><stop offset="0.5" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="${r.range(0.35, 0.55).toFixed(2)}"/></linearGradient></defs><rect width="${W}" height="${H}" fill="url(#l)"/></svg>`),
    });
  }
  if (distortion === "occlusion") {
    // A bolt or a small sticker over part of one character (at most about a third of its height).
    const [q0, q1, q2, q3] = quad as [[number, number], [number, number], [number, number], [number, number]];
    const t = r.range(0.12, 0.88); // along the characters
    const s = r.pick([0.2, 0.78]); // near the top or the bottom of the characters
    const top = [q0[0] + (q1[0] - q0[0]) * t, q0[1] + (q1[1] - q0[1]) * t];
    const bottom = [q3[0] + (q2[0] - q3[0]) * t, q3[1] + (q2[1] - q3[1]) * t];
    const vy = 0.3 + s * 0.45; // characters span about 0.3..0.75 of the plate's height
    const cx = top[0]! + (bottom[0]! - top[0]!) * vy, cy = top[1]! + (bottom[1]! - top[1]!) * vy;
    const ph = Math.hypot(bottom[0]! - top[0]!, bottom[1]! - top[1]!);
    const rad = ph * r.range(0.05, 0.075);
    overlays.push({
      input: Buffer.from(
        r.next() < 0.5
          ? `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><circle cx="${cx}" cy="${cy}" r="${rad}" fill="#9a9a9a" stroke="#555" stroke-width="2"/><line x1="${cx - rad * 0.7}" y1="${cy}" x2="${cx + rad * 0.7}" y2="${cy}" stroke="#444" stroke-width="2"/></svg>`
          : `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect x="${cx - rad}" y="${cy - rad * 0.8}" width="${rad * 2}" height="${rad * 1.6}" rx="3" fill="${r.pick(["#e7d34a", "#7fc4e8", "#f29ab8"])}"/></svg>`,
      ),
    });
  }
  if (overlays.length > 0) img = sharp(await img.composite(overlays).png().toBuffer());
  if (distortion === "noise") {
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    const sigma = r.range(14, 26);
    for (let i = 0; i < data.length; i++) {
      if (info.channels === 4 && i % 4 === 3) continue;
      const g = (r.next() + r.next() + r.next() - 1.5) * 2 * sigma;
      data[i] = Math.max(0, Math.min(255, data[i]! + g));
    }
    img = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  }
  const kind = r.pick(["jpeg", "jpeg", "png", "webp"] as const);
  if (kind === "jpeg") return { image: await img.flatten().jpeg({ quality: r.int(70, 92) }).toBuffer(), mime: "image/jpeg" };
  if (kind === "webp") return { image: await img.webp({ quality: 85 }).toBuffer(), mime: "image/webp" };
  return { image: await img.png().toBuffer(), mime: "image/png" };
};

/** One sample, fully determined by its seed and distortion class. */
export const synthesize = async (seed: number, distortion: Distortion): Promise<Sample> => {
  const r = rng(seed * 7919 + DISTORTIONS.indexOf(distortion));
  const state = r.pick(STATES);
  const format = r.pick(state.formats);
  const printed = plateText(r, format);
  const plate = normalizePlate(printed);
  if (plate === undefined) throw new Error(`generator made an invalid plate ${printed}`);
  const rgba = await renderPlate(r, format === "LLL-NNNN" && r.next() < 0.3 ? `${printed.slice(0, 6)}-${printed.slice(6)}` : printed, state);
  const id = `${String(seed).padStart(3, "0")}-${distortion}-${plate.plate}`;
  if (distortion === "clean") {
    // A tight crop of the plate, straight, at a random size.
    const w = r.int(220, 520);
    const png = await sharp(rgba, { raw: { width: PLATE_W, height: PLATE_H, channels: 4 } }).resize(w).flatten({ background: "#ffffff" }).png().toBuffer();
    const kind = r.pick(["image/png", "image/jpeg"] as const);
    const image = kind === "image/png" ? png : await sharp(png).jpeg({ quality: 90 }).toBuffer();
    return { id, plate: plate.plate, format, state: state.name, distortion, image, mime: kind };
  }
  const { image, mime } = await compose(r, rgba, distortion);
  return { id, plate: plate.plate, format, state: state.name, distortion, image, mime };
};

/** `count` samples per distortion class (9 classes), seeds 1..count. */
export const synthesizeSet = async (count: number): Promise<Sample[]> => {
  const out: Sample[] = [];
  for (let seed = 1; seed <= count; seed++) for (const d of DISTORTIONS) out.push(await synthesize(seed, d));
  return out;
};

/** Writes samples to a directory (a temp dir; generated images are not committed). */
export const writeSamples = (dir: string, samples: ReadonlyArray<Sample>) => {
  mkdirSync(dir, { recursive: true });
  for (const s of samples) writeFileSync(join(dir, `${s.id}.${s.mime.split("/")[1]}`), s.image);
};

export const printedPlate = displayPlate;
