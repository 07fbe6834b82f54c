/**
 * Finding the plate's line of characters (pure, on a drawn binary image): characters that touch
 * (blur, kerning) merge into one component, and the line is still found and counted.
 */
import { describe, expect, it } from "vitest";
import { findTextLines } from "./locate.ts";

const W = 300, H = 120;
const grey = { data: new Uint8Array(W * H), width: W, height: H };

/** A hollow box (fill about a half, like a glyph), 14×20 at x. */
const glyph = (bin: Uint8Array, x: number, w = 14) => {
  for (let y = 50; y < 70; y++) for (let i = x; i < x + w; i++) if (y < 54 || y >= 66 || i < x + 4 || i >= x + w - 4) bin[y * W + i] = 1;
};

describe("findTextLines", () => {
  it("finds a line of separate characters", () => {
    const bin = new Uint8Array(W * H);
    for (let k = 0; k < 7; k++) glyph(bin, 40 + k * 18);
    const [line] = findTextLines(grey, bin);
    expect(line?.boxes.length).toBe(7);
    expect(line?.charHeight).toBe(20);
  });

  it("takes back two touching characters at the start of the line", () => {
    const bin = new Uint8Array(W * H);
    glyph(bin, 40, 36); // two wide characters merged into one component
    for (let k = 0; k < 5; k++) glyph(bin, 80 + k * 18);
    const [line] = findTextLines(grey, bin);
    expect(line?.x0).toBe(40);
    expect(line?.boxes.length).toBe(6);
  });
});
