import { describe, expect, it } from "vitest";
import { interpretText } from "./text-query.ts";
import { adjacentSwaps, allowedEdits, tokenize } from "./text.ts";

describe("text primitives", () => {
  it("tokenizes names, versions and accents", () => {
    expect(tokenize("CR-V 2.0 SEDÁN 5 PTAS.")).toEqual(["cr", "v", "2.0", "sedan", "5", "ptas"]);
  });

  it("lists the words with two neighbouring letters swapped", () => {
    expect(adjacentSwaps("vesra")).toContain("versa");
  });

  it("allows 0 typos up to 3 letters, 1 up to 6, 2 from 7, none in words with digits", () => {
    expect([allowedEdits("kia"), allowedEdits("jeta"), allowedEdits("nisan"), allowedEdits("corola"), allowedEdits("volswagen"), allowedEdits("x1")]).toEqual([0, 1, 1, 1, 2, 0]);
  });
});

describe("interpretText", () => {
  it.each([
    ["nisan vesra", ["nisan", "vesra"], {}],
    ["toyta corola 2020", ["toyta", "corola"], { minYear: 2020, maxYear: 2020 }],
    ["un vocho", ["vocho"], {}],
    ["chevy barato", ["chevy"], { needs: ["economico"], sort: "price_asc" }],
    ["bmw x1", ["bmw", "x1"], {}],
    ["camioneta familiar de menos de 400 mil", [], { bodyTypes: ["suv", "pickup", "minivan"], needs: ["familiar"], maxPrice: 400_000 }],
    ["algo con carplay y automático", [], { carPlay: true, transmission: "automatica" }],
    ["mercedes clase a", ["mercedes", "clase", "a"], {}],
    ["sedán con menos de 50 mil km", [], { bodyTypes: ["sedan"], maxKm: 50_000 }],
    ["jetta entre 2017 y 2019", ["jetta"], { minYear: 2017, maxYear: 2019 }],
    ["suv de 7 pasajeros hasta $450,000", [], { bodyTypes: ["suv"], needs: ["siete_pasajeros"], maxPrice: 450_000 }],
    ["versa 2019 en adelante", ["versa"], { minYear: 2019 }],
    ["algo de 300k", [], { maxPrice: 300_000 }],
    ["desde 200 mil", [], { minPrice: 200_000 }],
    ["con apple car play y bluetooth", [], { carPlay: true, bluetooth: true }],
    ["algo nuevo con tercera fila", [], { needs: ["siete_pasajeros"], sort: "year_desc" }],
    ["sentra con poco kilometraje", ["sentra"], { sort: "km_asc" }],
    ["entre 200 y 300 mil", [], { minPrice: 200_000, maxPrice: 300_000 }],
    ["aveo hasta 2018", ["aveo"], { maxYear: 2018 }],
    ["aveo antes de 2018", ["aveo"], { maxYear: 2017 }],
    ["troca estándar de lujo", [], { bodyTypes: ["pickup"], transmission: "manual", needs: ["premium"] }],
    ["x-trail 3 filas menos de 1.5 millones", ["x", "trail"], { needs: ["siete_pasajeros"], maxPrice: 1_500_000 }],
  ])("%s", (text, terms, hints) => {
    const result = interpretText(text);
    expect(result.terms).toEqual(terms);
    expect(result.hints).toEqual(hints);
  });
});
