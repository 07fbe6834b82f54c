import { describe, expect, it } from "vitest";
import { findFeatures } from "./features.ts";
import { normalize } from "./normalize.ts";

const features = (text: string) => findFeatures(normalize(text));

describe("features, body types, needs and sorting", () => {
  it.each([
    ["con bluetooth", { bluetooth: true }],
    ["que tenga carplay", { carPlay: true }],
    ["automático", { transmission: "automatica" }],
    ["estándar", { transmission: "manual" }],
    ["una camioneta", { bodyTypes: ["suv"] }],
    ["SUV", { bodyTypes: ["suv"] }],
    ["pickup", { bodyTypes: ["pickup"] }],
    ["familiar", { needs: ["familiar"] }],
    ["algo económico", { needs: ["economico"] }],
    ["barato", { needs: ["economico"] }],
    ["de lujo", { needs: ["premium"] }],
    ["premium", { needs: ["premium"] }],
    ["para la ciudad", { needs: ["ciudad"] }],
    ["7 pasajeros", { needs: ["siete_pasajeros"] }],
    ["el más barato", { sort: "price_asc" }],
    ["el más nuevo", { sort: "year_desc" }],
    ["con menos kilómetros", { sort: "km_asc" }],
  ])("%s", (text, expected) => {
    expect(features(text)).toEqual(expected);
  });

  it("'más nuevo que 2018' is a year filter, not a sort", () => {
    expect(features("más nuevo que 2018")).toEqual({});
    expect(features("2018 o más nuevo")).toEqual({});
  });
});
