import { describe, expect, it } from "vitest";
import { findAmounts } from "./amounts.ts";
import { normalize } from "./normalize.ts";

const amounts = (text: string) => ({ ...findAmounts(normalize(text), []) });

describe("amount roles", () => {
  it.each([
    ["menos de 300 mil", { maxPrice: 300000 }],
    ["hasta $250,000", { maxPrice: 250000 }],
    ["más de 500 mil", { minPrice: 500000 }],
    ["no más de 220 mil", { maxPrice: 220000 }],
    ["no menos de 150 mil", { minPrice: 150000 }],
    ["puedo dar como 8 mil al mes", { monthlyBudget: 8000 }],
    ["puedo dar 8 mil de enganche", { downPayment: 8000 }],
    ["algo alrededor de 300 mil", { minPrice: 270000, maxPrice: 330000 }],
    ["entre 150 y 250 mil", { minPrice: 150000, maxPrice: 250000 }],
    ["de 200 a 300 mil", { minPrice: 200000, maxPrice: 300000 }],
    ["como de 250", { minPrice: 225000, maxPrice: 275000 }],
    ["un auto de 300 mil", { plainPrice: 300000 }],
    ["con 50 mil de enganche", { downPayment: 50000 }],
    ["enganche de 60 mil", { downPayment: 60000 }],
    ["sin enganche", { downPayment: 0 }],
    ["20% de enganche", { downPaymentPercent: 20 }],
    ["5 mil al mes", { monthlyBudget: 5000 }],
    ["mensualidades de máximo 8 mil", { monthlyBudget: 8000 }],
    ["menos de 50 mil km", { maxKm: 50000 }],
    ["con 50 mil", { withAmount: 50000 }],
    // "los": the amount already stated, its role comes from the intent (a down payment when financing)
    ["y a 72 meses con los 80 mil", { withAmount: 80000 }],
  ])("%s", (text, expected) => {
    expect(amounts(text)).toEqual(expected);
  });

  it("skips spans already read as years or terms", () => {
    const text = normalize("versa 2020 a 48 meses");
    expect(findAmounts(text, [[6, 10], [11, 22]])).toEqual({});
  });
});
