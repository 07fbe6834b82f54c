import { describe, expect, it } from "vitest";
import { findCarMention } from "./car-mention.ts";
import { normalize } from "./normalize.ts";

const car = (text: string) => {
  const { make, model } = findCarMention(normalize(text));
  return { make, model };
};

describe("car mentions", () => {
  it.each([
    ["Nissan Versa", "Nissan", "Versa"],
    ["nisan vesra", "Nissan", "Versa"],
    ["volswagen jeta", "Volkswagen", "Jetta"],
    ["chebrolet trax", "Chevrolet", "Trax"],
    ["toyta corola", "Toyota", "Corolla"],
    ["vw", "Volkswagen", undefined],
    ["chevy", "Chevrolet", undefined],
    ["merce clase c", "Mercedes Benz", "Clase C"],
    ["mercedes", "Mercedes Benz", undefined],
    ["mazda3", "Mazda", "Mazda 3"],
    ["mazda 3", "Mazda", "Mazda 3"],
    ["crv", "Honda", "CR-V"],
    ["cr-v", "Honda", "CR-V"],
    ["vocho", "Volkswagen", "Beetle"],
    ["beetle", "Volkswagen", "Beetle"],
    ["x-trail", "Nissan", "X-Trail"],
  ])("%s → %s %s", (text, make, model) => {
    expect(car(text)).toEqual({ make, model });
  });

  it.each(["qué marca tienen", "que onda", "la última", "puedo pagar, qué me alcanza", "solo quiero ver", "el audio"])("finds no car in %s", (text) => {
    expect(car(text)).toEqual({ make: undefined, model: undefined });
  });
});
