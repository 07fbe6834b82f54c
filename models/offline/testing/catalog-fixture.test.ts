import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { financing, loadCatalog } from "./catalog-fixture.ts";

// The fixture stands in for the real tools in these tests, so it must follow the same rule.
const vectors = JSON.parse(readFileSync(new URL("../../../knowledge/financing/vectors.json", import.meta.url), "utf8")) as {
  vectors: { price: number; downPayment: number; termMonths: number; financed: number; monthlyPayment: string; totalPaid: string; totalInterest: string }[];
  invalid: { price: number; downPayment: number; termMonths: number }[];
};

describe("financing fixture", () => {
  it.each(vectors.vectors)("matches vector price=$price down=$downPayment n=$termMonths", (v) => {
    const out = financing([], { price: v.price, downPayment: v.downPayment, termMonths: [v.termMonths] });
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.plans[0]).toEqual({ termMonths: v.termMonths, monthlyPayment: v.monthlyPayment, totalPaid: v.totalPaid, totalInterest: v.totalInterest });
  });

  it.each(vectors.invalid)("rejects price=$price down=$downPayment n=$termMonths", (v) => {
    expect(financing([], { price: v.price, downPayment: v.downPayment, termMonths: [v.termMonths] }).ok).toBe(false);
  });

  it("loads the 100-car sample", () => {
    expect(loadCatalog()).toHaveLength(100);
  });
});
