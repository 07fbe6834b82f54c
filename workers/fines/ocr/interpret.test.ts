/**
 * From tesseract's text to a plate (pure): format-constrained repairs by position, hyphens as
 * evidence of the printed format, the bracket tesseract reads for J, stray end characters, and
 * scores that fall with every assumption.
 */
import { describe, expect, it } from "vitest";
import { groupsFit, hyphenGroups, interpret } from "./interpret.ts";

const best = (text: string, confidence = 90, groups: number[] = []) => interpret(text, confidence, groups)[0];

describe("interpret", () => {
  it("takes a read that is already a plate as printed, clean, with tesseract's confidence", () => {
    const b = best("NXR-4521", 91);
    expect(b?.plate).toBe("NXR4521");
    expect(b?.clean).toBe(true);
    expect(b?.score).toBeCloseTo(0.91);
  });

  it("repairs letters and digits by their position in the format, at a cost", () => {
    const b = best("A8C-1Z3", 90);
    expect(b?.plate).toBe("ABC123");
    expect(b?.clean).toBe(false);
    expect(b?.score).toBeCloseTo(0.7);
  });

  it("prefers the format the printed hyphens show over a read needing no repair (2 read for Z)", () => {
    expect(best("DAB-637-2")?.plate).toBe("DAB637Z");
    expect(best("DAB-6372")?.plate).toBe("DAB6372");
  });

  it("uses the hyphens the locator saw when tesseract dropped them", () => {
    expect(best("DAB6372", 90, [3, 3, 1])?.plate).toBe("DAB637Z");
    expect(best("DAB6372", 90, [3, 4])?.plate).toBe("DAB6372");
    // Groups that do not add up to the read's length are ignored.
    expect(best("DAB6372", 90, [3, 3])?.plate).toBe("DAB6372");
  });

  it("keeps its ranking when tesseract's mean confidence is 0", () => {
    expect(best("DAB-637-2", 0)?.plate).toBe("DAB637Z");
    expect(best("RKF-621-)", 0)?.plate).toBe("RKF621J");
  });

  it("reads a closing bracket or brace where the format wants a letter as J, with a small doubt", () => {
    const b = best("ACZ-297-)", 90);
    expect(b?.plate).toBe("ACZ297J");
    expect(b?.score).toBeLessThan(0.9);
    expect(best("KT}-399-]")?.plate).toBe("KTJ399J");
  });

  it("drops a stray character at either end (the plate's border read as I or 1), at a cost", () => {
    const lead = best("IHMG-980", 90);
    expect(lead?.plate).toBe("HMG980");
    expect(lead?.clean).toBe(false);
    expect(lead?.score).toBeLessThan(0.8);
    // After a printed hyphen a "1" where the format wants a letter is more likely a J than the border.
    expect(best("HMG-980-1")?.plate).toBe("HMG980J");
    expect(best("HMG-980-1")?.clean).toBe(false);
  });

  it("reads a J seen as both a bracket and a J once", () => {
    expect(best("VK]J-44-04")?.plate).toBe("VKJ4404");
  });

  it("drops a thin stroke read as 1 beside a printed hyphen when the rest fits the hyphens", () => {
    expect(best("253-1LGJ")?.plate).toBe("253LGJ");
    // A real leading digit after the hyphen stays: ABC-1234 fits as read.
    expect(best("ABC-1234")?.plate).toBe("ABC1234");
  });

  it("ignores leading and trailing hyphens", () => {
    expect(best("-XZY-199-U-")?.plate).toBe("XZY199U");
  });

  it("answers nothing for text that cannot be a plate", () => {
    expect(interpret("", 90)).toEqual([]);
    expect(interpret("RACERS", 90)).toEqual([]);
  });
});

describe("hyphen groups", () => {
  it("counts characters between hyphens", () => {
    expect(hyphenGroups("ABC-12-34")).toEqual([3, 2, 2]);
    expect(hyphenGroups("ABC1234")).toEqual([]);
  });

  it("fit a plate's printed format, ABC-1234 also as ABC-12-34", () => {
    expect(groupsFit("ABC1234", [3, 4])).toBe(true);
    expect(groupsFit("ABC1234", [3, 2, 2])).toBe(true);
    expect(groupsFit("ABC123D", [3, 4])).toBe(false);
    expect(groupsFit("123ABC", [3, 3])).toBe(true);
  });
});
