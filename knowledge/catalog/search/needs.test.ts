import { describe, expect, it } from "vitest";
import type { Car } from "../car.ts";
import { engineLitres, NEED_RULES, needsOf } from "./needs.ts";
import { sampleCars } from "./testing/sample-catalog.ts";

const sample = sampleCars();
const car = (stockId: number): Car => sample.find((c) => c.stockId === stockId)!;
const base: Car = { ...car(322722) };

describe("needs table", () => {
  it("covers every need once, each with its meaning in words", () => {
    expect(NEED_RULES.map((rule) => rule.need)).toEqual(["familiar", "economico", "premium", "ciudad", "siete_pasajeros"]);
    for (const rule of NEED_RULES) expect(rule.meaning.length).toBeGreaterThan(10);
  });

  it.each([
    [125904, "Honda Odyssey (minivan, 8 seats)", ["familiar", "siete_pasajeros"]],
    [322966, "Chevrolet Captiva 7 pasajeros, $385,999", ["familiar", "siete_pasajeros"]],
    [322722, "Nissan Versa 2020 $265,999, 4,495 mm", []],
    [173312, "Nissan Versa 2018 $220,999 1.6 L, 4,492 mm", ["economico"]],
    [312395, "Nissan March $184,999, 3,827 mm", ["economico", "ciudad"]],
    [160422, "BMW M2 coupé, 4,468 mm", ["premium"]],
    [217986, "Mini Cooper 3,821 mm", ["premium", "ciudad"]],
    [324711, "Nissan Frontier pickup", []],
    [176276, "Chevrolet Trax: small SUV", ["familiar", "ciudad"]],
  ])("%s %s → %j", (stockId, _label, needs) => {
    expect(needsOf(car(stockId))).toEqual(needs);
  });

  it("economico: price limit inclusive, big engines out", () => {
    expect(needsOf({ ...base, price: 250_000, version: "1.6 SENSE" })).toContain("economico");
    expect(needsOf({ ...base, price: 250_001, version: "1.6 SENSE" })).not.toContain("economico");
    expect(needsOf({ ...base, price: 200_000, version: "3.5 V6" })).not.toContain("economico");
    expect(needsOf({ ...base, price: 200_000, version: "SPORT" })).toContain("economico");
    expect(engineLitres("2.0 GT TA")).toBe(2);
    expect(engineLitres("GT 2.0")).toBeNull();
  });

  it("ciudad: length limit inclusive; unknown length counts only for hatchbacks", () => {
    expect(needsOf({ ...base, lengthMm: 4400 })).toContain("ciudad");
    expect(needsOf({ ...base, lengthMm: 4401 })).not.toContain("ciudad");
    expect(needsOf({ ...base, lengthMm: null, bodyType: "hatchback" })).toContain("ciudad");
    expect(needsOf({ ...base, lengthMm: null, bodyType: "sedan" })).not.toContain("ciudad");
    expect(needsOf({ ...base, lengthMm: 4300, bodyType: "minivan" })).not.toContain("ciudad");
  });

  it("unknown seats never make a car seven-seat", () => {
    expect(needsOf({ ...base, bodyType: "suv", seats: null })).toEqual(["familiar"]);
  });
});
