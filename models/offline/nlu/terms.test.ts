import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { findTerms } from "./terms.ts";

const terms = (text: string) => findTerms(normalize(text))?.termMonths;

describe("terms", () => {
  it.each([
    ["48 meses", [48]],
    ["a 4 años", [48]],
    ["a cuatro años", [48]],
    ["a 3, 4 y 5 años", [36, 48, 60]],
    ["36 o 48 meses", [36, 48]],
    ["plazo de 60", [60]],
    ["a 36", [36]],
    ["48", [48]],
    ["36 y 48", [36, 48]],
    ["a 24 meses", [24]],
    ["un año", [12]],
  ])("%s → %j", (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it("understands every term", () => {
    expect(terms("todos los plazos")).toBe("all");
  });

  it("ignores numbers that are not terms", () => {
    expect(terms("a 300 mil")).toBeUndefined();
    expect(terms("un auto con 2 años de uso")).toBeUndefined();
    expect(terms("el versa 2020")).toBeUndefined();
  });

  it("reads a list that repeats the preposition", () => {
    expect(terms("a 3 y a 5 anos")).toEqual([36, 60]);
    expect(terms("a 36, a 48 o a 60 meses")).toEqual([36, 48, 60]);
  });
});
