/**
 * Voting over the reads of one photo (pure): when to stop reading, which plate wins, and a
 * confidence that falls when reads disagree.
 */
import { describe, expect, it } from "vitest";
import type { Interpretation } from "./interpret.ts";
import { PLATE_CONFIDENCE_MIN, settled, tally } from "./plate-reader.ts";

const read = (plate: string, score: number, clean = true): { best: Interpretation } => ({ best: { plate, score, cost: clean ? 0 : 1, clean } });
const none = { best: undefined };

describe("settled", () => {
  it("stops after one clean, confident read", () => {
    expect(settled([read("NXR4521", 0.9)])).toBe(true);
  });

  it("reads again after one repaired or unsure read", () => {
    expect(settled([read("NXR4521", 0.9, false)])).toBe(false);
    expect(settled([read("NXR4521", 0.7)])).toBe(false);
    expect(settled([none])).toBe(false);
  });

  it("stops when two or more reads agree by a clear majority", () => {
    expect(settled([read("NXR4521", 0.3, false), read("NXR4521", 0.2, false)])).toBe(true);
    expect(settled([read("NXR4521", 0.3), read("NXR4526", 0.3)])).toBe(false);
    expect(settled([read("NXR4521", 0.3), read("NXR4526", 0.3), read("NXR4521", 0.3)])).toBe(true);
  });
});

describe("tally", () => {
  it("gives one read's plate and score", () => {
    expect(tally([read("NXR4521", 0.9)])).toMatchObject({ plate: "NXR4521", confidence: 0.9 });
  });

  it("picks the plate most reads agree on, and counts a dissenting read as zero confidence", () => {
    const out = tally([read("WPS9726", 0.9), read("WPS9720", 0.85), read("WPS9720", 0.85)]);
    expect(out.plate).toBe("WPS9720");
    expect(out.confidence).toBeCloseTo(1.7 / 3);
    expect(out.confidence).toBeLessThan(PLATE_CONFIDENCE_MIN);
    expect(out.candidates.map((c) => c.text)).toEqual(["WPS9720", "WPS9726"]);
  });

  it("ignores reads that found no plate, and reads nothing from none", () => {
    expect(tally([none, read("NXR4521", 0.9), read("NXR4521", 0.8)]).confidence).toBeCloseTo(0.85);
    expect(tally([none, none])).toMatchObject({ plate: null, confidence: 0 });
  });
});
