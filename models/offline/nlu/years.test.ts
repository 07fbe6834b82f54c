import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { findYears } from "./years.ts";

const years = (text: string) => {
  const found = findYears(normalize(text));
  return found === undefined ? undefined : { minYear: found.minYear, maxYear: found.maxYear, exact: found.exact };
};

describe("years", () => {
  it.each([
    ["2019 en adelante", { minYear: 2019 }],
    ["del 2018 para arriba", { minYear: 2018 }],
    ["más nuevo que 2018", { minYear: 2019 }],
    ["modelo superior a 2020", { minYear: 2021 }],
    ["posterior al 2017", { minYear: 2018 }],
    ["antes de 2015", { maxYear: 2014 }],
    ["2018 o anterior", { maxYear: 2018 }],
    ["del 2016 al 2019", { minYear: 2016, maxYear: 2019 }],
    ["entre 2016 y 2019", { minYear: 2016, maxYear: 2019 }],
    ["a partir del 2020", { minYear: 2020 }],
  ])("%s", (text, expected) => {
    expect(years(text)).toEqual({ minYear: undefined, maxYear: undefined, exact: undefined, ...expected });
  });

  it("a lone year is exact", () => {
    expect(years("el versa 2020")).toEqual({ minYear: undefined, maxYear: undefined, exact: 2020 });
  });

  it("money and km are not years", () => {
    expect(years("$2,020")).toBeUndefined();
    expect(years("2020 km")).toBeUndefined();
    expect(years("300 mil")).toBeUndefined();
  });
});

describe("two years joined by o/y", () => {
  it("read as a range", () => {
    expect(findYears("crv 2018 o 2019")).toMatchObject({ minYear: 2018, maxYear: 2019 });
    expect(findYears("jetta 2019 y 2017")).toMatchObject({ minYear: 2017, maxYear: 2019 });
  });
});
