import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { findNumbers, wordsToNumber } from "./numbers.ts";

const values = (text: string) => findNumbers(normalize(text)).map((n) => n.value);

describe("numbers", () => {
  it.each([
    ["300000", 300000],
    ["$300,000", 300000],
    ["300.000", 300000],
    ["300 mil", 300000],
    ["300k", 300000],
    ["300 mil pesos", 300000],
    ["1.5 millones", 1500000],
    ["medio millón", 500000],
    ["un millón", 1000000],
    ["un millón y medio", 1500000],
    ["2 millones y medio", 2500000],
    ["cincuenta mil", 50000],
    ["doscientos cincuenta mil", 250000],
    ["$5,478.29", 5478.29],
  ])("reads %s as %d", (text, value) => {
    expect(values(text)).toEqual([value]);
  });

  it("marks money and percentages", () => {
    const [money] = findNumbers(normalize("unos 300 mil"));
    expect(money?.money).toBe(true);
    const [percent] = findNumbers(normalize("20%"));
    expect(percent).toMatchObject({ value: 20, percent: true });
  });

  it("does not read articles or 'mil gracias' as amounts, nor 'km' as thousands", () => {
    expect(values("quiero un auto")).toEqual([]);
    expect(values("mil gracias")).toEqual([]);
    expect(values("45,000 km")).toEqual([45000]);
  });

  it("combines number words", () => {
    expect(wordsToNumber(["trescientos", "mil"])).toBe(300000);
    expect(wordsToNumber(["veinticinco", "mil"])).toBe(25000);
    expect(wordsToNumber(["hola"])).toBeUndefined();
  });
});
