import { describe, expect, it } from "vitest";
import { editDistance } from "./edit-distance.ts";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps as one edit each", () => {
    expect(editDistance("versa", "versa")).toBe(0);
    expect(editDistance("nisan", "nissan")).toBe(1);
    expect(editDistance("nissan", "nisan")).toBe(1);
    expect(editDistance("toyoto", "toyota")).toBe(1);
    expect(editDistance("vesra", "versa")).toBe(1);
    expect(editDistance("garantai", "garantia")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("stops at max + 1 when the words are further apart than max", () => {
    expect(editDistance("corolla", "sentra", 2)).toBe(3);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
    expect(editDistance("chevorlet", "chevrolet", 2)).toBe(1);
  });
});
