import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { findReference } from "./references.ts";

const ref = (text: string) => findReference(normalize(text));

describe("references to cars shown", () => {
  it.each([
    ["el segundo", { kind: "ordinal", index: 2 }],
    ["la primera", { kind: "ordinal", index: 1 }],
    ["el primero que me mostraste", { kind: "ordinal", index: 1 }],
    ["opción 3", { kind: "ordinal", index: 3 }],
    ["la 2", { kind: "ordinal", index: 2 }],
    ["el último", { kind: "ordinal", index: -1 }],
    ["el de 2020", { kind: "year", year: 2020 }],
    ["ese", { kind: "this" }],
    ["el más barato de esos", { kind: "cheapest" }],
    ["el más nuevo de los que me mostraste", { kind: "newest" }],
    ["el que tiene menos kilómetros de esos", { kind: "least_km" }],
  ])("%s", (text, expected) => {
    expect(ref(text)).toEqual(expected);
  });

  it.each(["busco un versa", "a 48 meses", "el 20% de enganche", "está bien", "primero quiero saber el precio"])("no reference in %s", (text) => {
    expect(ref(text)).toBeUndefined();
  });
});
