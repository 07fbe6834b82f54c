import { describe, expect, it } from "vitest";
import type { BodyType } from "../car.ts";
import { toSearchDoc } from "./documents.ts";
import { FilterColumns } from "./filter-columns.ts";
import { matchesFilters, type PlanFilters } from "./plan.ts";
import type { Need } from "./query.ts";
import { sampleCars } from "./testing/sample-catalog.ts";
import { prng } from "./testing/prng.ts";

const docs = sampleCars().map(toSearchDoc);
const columns = new FilterColumns();
docs.forEach((doc, slot) => columns.set(slot, doc));

const BODIES: BodyType[] = ["sedan", "hatchback", "suv", "pickup", "minivan", "coupe"];
const NEEDS: Need[] = ["familiar", "economico", "premium", "ciudad", "siete_pasajeros"];

/** Random filter combinations, seeded. */
const randomFilters = (random: () => number): PlanFilters => {
  const maybe = <T>(value: () => T): T | undefined => (random() < 0.3 ? value() : undefined);
  const some = <T>(items: T[]) => items.filter(() => random() < 0.3);
  const filters: Record<string, unknown> = {
    makeKey: maybe(() => (random() < 0.9 ? docs[Math.floor(random() * docs.length)]!.makeKey : "ferrari")),
    modelKey: maybe(() => docs[Math.floor(random() * docs.length)]!.modelKey),
    minPrice: maybe(() => 150_000 + Math.floor(random() * 300_000)),
    maxPrice: maybe(() => 200_000 + Math.floor(random() * 500_000)),
    minYear: maybe(() => 2014 + Math.floor(random() * 8)),
    maxYear: maybe(() => 2016 + Math.floor(random() * 8)),
    minKm: maybe(() => Math.floor(random() * 60_000)),
    maxKm: maybe(() => 20_000 + Math.floor(random() * 100_000)),
    bluetooth: maybe(() => random() < 0.5),
    carPlay: maybe(() => random() < 0.5),
    transmission: maybe(() => (random() < 0.5 ? "automatica" : "manual")),
    bodyTypes: maybe(() => some(BODIES)),
    needs: maybe(() => some(NEEDS)),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as PlanFilters;
};

describe("filter columns", () => {
  it("agree with the reference filter on 2,000 random filter combinations", () => {
    const random = prng(42);
    let nonEmpty = 0;
    for (let i = 0; i < 2_000; i++) {
      const filters = randomFilters(random);
      const reference = matchesFilters(filters);
      const compiled = columns.compile(filters);
      const expected = docs.flatMap((doc, slot) => (reference(doc) ? [slot] : []));
      const actual = docs.flatMap((_, slot) => (compiled(slot) ? [slot] : []));
      expect(actual, JSON.stringify(filters)).toEqual(expected);
      if (expected.length > 0 && expected.length < docs.length) nonEmpty++;
    }
    // The combinations must exercise the filters, not only match everything or nothing.
    expect(nonEmpty).toBeGreaterThan(500);
  });

  it("an unknown make matches nothing", () => {
    const compiled = columns.compile({ makeKey: "ferrari" });
    expect(docs.some((_, slot) => compiled(slot))).toBe(false);
  });
});
