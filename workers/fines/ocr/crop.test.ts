/**
 * Cleaning a line crop before tesseract (pure): the plate's border and what lies beyond it, and
 * blobs cut by the crop's sides, are painted out; characters stay.
 */
import { describe, expect, it } from "vitest";
import { clutterMask } from "./crop.ts";

const W = 200, H = 40;
const image = () => new Uint8Array(W * H);
const fill = (bin: Uint8Array, x0: number, y0: number, x1: number, y1: number) => {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) bin[y * W + x] = 1;
};
const at = (m: Uint8Array, x: number, y: number) => m[y * W + x];

describe("clutterMask", () => {
  it("keeps characters and paints out a border bar beside the text and everything beyond it", () => {
    const bin = image();
    fill(bin, 30, 0, 34, H); // the plate's border, full height
    fill(bin, 10, 12, 20, 28); // beyond the border: the car
    fill(bin, 60, 5, 80, 35); // a character
    fill(bin, 100, 5, 120, 35); // a character
    const m = clutterMask(bin, W, H, { x0: 55, x1: 125 });
    expect(at(m, 32, 20)).toBe(1);
    expect(at(m, 15, 20)).toBe(1);
    expect(at(m, 70, 20)).toBe(0);
    expect(at(m, 110, 20)).toBe(0);
  });

  it("keeps a character merged with a bolt beside the text (spans the crop, not solid)", () => {
    const bin = image();
    fill(bin, 30, 0, 34, H);
    fill(bin, 30, 0, 50, 4);
    fill(bin, 46, 0, 50, H);
    fill(bin, 60, 5, 80, 35);
    const m = clutterMask(bin, W, H, { x0: 55, x1: 125 });
    expect(at(m, 32, 20)).toBe(0);
    expect(at(m, 70, 20)).toBe(0);
  });

  it("keeps a full-height stroke inside the text (a 1 or an I), paints out blobs cut by the sides", () => {
    const bin = image();
    fill(bin, 90, 0, 94, H);
    fill(bin, 190, 10, W, 30);
    const m = clutterMask(bin, W, H, { x0: 55, x1: 125 });
    expect(at(m, 92, 20)).toBe(0);
    expect(at(m, 195, 20)).toBe(1);
  });


  it("paints out a thin stroke beside the text (a border binarising broke up) and what lies beyond", () => {
    const bin = image();
    fill(bin, 36, 8, 39, 32); // 24 of 40 px tall, 3 wide
    fill(bin, 20, 12, 30, 28);
    fill(bin, 60, 5, 80, 35);
    const m = clutterMask(bin, W, H, { x0: 55, x1: 125 });
    expect(at(m, 37, 20)).toBe(1);
    expect(at(m, 25, 20)).toBe(1);
    expect(at(m, 70, 20)).toBe(0);
  });
});
