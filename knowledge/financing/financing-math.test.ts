import { describe, expect, it } from "vitest";
import vectors from "./vectors.json" with { type: "json" };
import {
  ALLOWED_TERMS,
  amortizationSchedule,
  maxFinancedFor,
  monthlyPaymentCents,
  simulateFinancing,
  validateFinancing,
  type Term,
} from "./financing-math.ts";
import { divideHalfUp, formatPesos } from "./money.ts";

describe("financing math", () => {
  it.each(vectors.vectors)("matches vector $price - $downPayment at $termMonths months", (v) => {
    expect(validateFinancing(v.price, v.downPayment, [v.termMonths])).toBeUndefined();
    const result = simulateFinancing(v.price, v.downPayment, [v.termMonths as Term]);
    expect(result.financed).toBe(v.financed);
    expect(result.plans).toEqual([
      { termMonths: v.termMonths, monthlyPayment: v.monthlyPayment, totalPaid: v.totalPaid, totalInterest: v.totalInterest },
    ]);
  });

  it.each(vectors.invalid)("rejects $why", (v) => {
    const problem = validateFinancing(v.price, v.downPayment, [v.termMonths]);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(/[a-zá-ú]/);
  });

  it("gives the Nissan Versa 2020 example of the challenge", () => {
    const { plans } = simulateFinancing(265_999, 50_000, [48]);
    expect(plans[0]!.monthlyPayment).toBe("5478.29");
  });

  it("rounds half-up exactly at the boundary", () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(4n, 10n)).toBe(0n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(divideHalfUp(25n, 10n)).toBe(3n);
  });

  it("formats pesos for people", () => {
    expect(formatPesos(26_599_900n)).toBe("$265,999");
    expect(formatPesos(547_829n)).toBe("$5,478.29");
    expect(formatPesos(100n, { alwaysCents: true })).toBe("$1.00");
  });

  it.each(ALLOWED_TERMS)("schedule at %i months ends at exactly zero and sums to the financed amount", (term) => {
    const rows = amortizationSchedule(215_999, term);
    expect(rows).toHaveLength(term);
    expect(rows.at(-1)!.balance).toBe("0.00");
    const principalCents = rows.reduce((sum, row) => sum + BigInt(row.principal.replace(".", "")), 0n);
    expect(principalCents).toBe(21_599_900n);
    const regular = simulateFinancing(265_999, 50_000, [term]).plans[0]!.monthlyPayment;
    expect(rows[0]!.payment).toBe(regular);
    // The last payment differs from the regular one by rounding only (under one peso).
    const diff = BigInt(rows.at(-1)!.payment.replace(".", "")) - BigInt(regular.replace(".", ""));
    expect(diff < 100n && diff > -100n).toBe(true);
  });

  it.each(ALLOWED_TERMS)("reverse simulation at %i months is the largest whole-peso amount within budget", (term) => {
    const max = maxFinancedFor(5_000, term);
    expect(monthlyPaymentCents(BigInt(max) * 100n, term)).toBeLessThanOrEqual(500_000n);
    expect(monthlyPaymentCents(BigInt(max + 1) * 100n, term)).toBeGreaterThan(500_000n);
  });

  it("never runs a schedule's balance below zero on tiny amounts, and still ends at 0.00", () => {
    for (const term of [36, 48, 60, 72] as const)
      for (const financed of [1, 2, 3, 7, 10]) {
        const rows = amortizationSchedule(financed, term);
        expect(rows).toHaveLength(term);
        expect(rows.every((row) => !row.balance.startsWith("-") && !row.payment.startsWith("-") && !row.principal.startsWith("-"))).toBe(true);
        expect(rows.at(-1)!.balance).toBe("0.00");
        // Principal repaid adds up to what was financed, to the cent.
        const principal = rows.reduce((sum, row) => sum + BigInt(row.principal.replace(".", "")), 0n);
        expect(principal).toBe(BigInt(financed) * 100n);
      }
  });
});
