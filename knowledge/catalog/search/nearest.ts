/**
 * Nearest options when a search matches nothing: the loosest conditions are dropped first, one
 * group at a time and cumulatively, until something matches. A dropped number (year, km, price)
 * is not just removed: the cars closest to the asked range come first ("no tengo Corolla 2021;
 * tengo uno 2020"). The same ladder runs on both engines (it only calls `execute`).
 *
 * Ladder: year → km → price → equipment (bluetooth, CarPlay, transmission) → body type and
 * needs → model (keeping its make when known) → text (each word alone, or the make a model
 * word belongs to: "vocho" → Volkswagen). The make filter is never dropped. Nothing left → [].
 */
import { Effect } from "effect";
import type { Car } from "../car.ts";
import { makeKeyOf, makeOfModelWord } from "./aliases.ts";
import type { EngineResult, PlanFilters, SearchPlan } from "./plan.ts";
import type { SortOrder } from "./query.ts";

type Execute<E> = (plan: SearchPlan) => Effect.Effect<EngineResult, E>;

type Dimension = "year" | "km" | "price";

interface Step {
  readonly name: string;
  readonly applies: (plan: SearchPlan) => boolean;
  readonly drop: (filters: PlanFilters) => PlanFilters;
  readonly closestBy?: Dimension;
}

const without = (filters: PlanFilters, ...keys: ReadonlyArray<keyof PlanFilters>): PlanFilters => {
  const copy: Record<string, unknown> = { ...filters };
  for (const key of keys) delete copy[key];
  return copy as PlanFilters;
};

const has = (plan: SearchPlan, ...keys: ReadonlyArray<keyof PlanFilters>) => keys.some((key) => plan.filters[key] !== undefined);

export const RELAXATION_STEPS: ReadonlyArray<Step> = [
  { name: "year", applies: (p) => has(p, "minYear", "maxYear"), drop: (f) => without(f, "minYear", "maxYear"), closestBy: "year" },
  { name: "km", applies: (p) => has(p, "maxKm"), drop: (f) => without(f, "maxKm"), closestBy: "km" },
  { name: "price", applies: (p) => has(p, "minPrice", "maxPrice"), drop: (f) => without(f, "minPrice", "maxPrice"), closestBy: "price" },
  { name: "equipment", applies: (p) => has(p, "bluetooth", "carPlay", "transmission"), drop: (f) => without(f, "bluetooth", "carPlay", "transmission") },
  { name: "body_and_needs", applies: (p) => has(p, "bodyTypes", "needs"), drop: (f) => without(f, "bodyTypes", "needs") },
  {
    name: "model",
    applies: (p) => has(p, "modelKey"),
    drop: (f) => {
      const make = f.makeKey ?? (f.modelKey ? makeOfModelWord(f.modelKey) : undefined);
      return { ...without(f, "modelKey"), ...(make ? { makeKey: makeKeyOf(make) } : {}) };
    },
  },
];

interface Side {
  readonly filters: PlanFilters;
  readonly sort: SortOrder;
  readonly distance: (car: Car) => number;
}

/** The searches on each side of the asked range of one dimension, closest first. */
const sidesOf = (dimension: Dimension, asked: PlanFilters, relaxed: PlanFilters): Side[] => {
  const sides: Side[] = [];
  if (dimension === "year") {
    if (asked.minYear !== undefined)
      sides.push({ filters: { ...relaxed, maxYear: asked.minYear - 1 }, sort: "year_desc", distance: (car) => asked.minYear! - car.year });
    if (asked.maxYear !== undefined)
      // At equal distance the newer car comes first.
      sides.push({ filters: { ...relaxed, minYear: asked.maxYear + 1 }, sort: "year_asc", distance: (car) => car.year - asked.maxYear! - 0.5 });
  } else if (dimension === "price") {
    if (asked.maxPrice !== undefined)
      sides.push({ filters: { ...relaxed, minPrice: asked.maxPrice + 1 }, sort: "price_asc", distance: (car) => (car.price - asked.maxPrice!) / asked.maxPrice! });
    if (asked.minPrice !== undefined)
      sides.push({ filters: { ...relaxed, maxPrice: asked.minPrice - 1 }, sort: "price_desc", distance: (car) => (asked.minPrice! - car.price) / asked.minPrice! });
  } else if (asked.maxKm !== undefined) {
    sides.push({ filters: { ...relaxed, minKm: asked.maxKm + 1 }, sort: "km_asc", distance: (car) => car.km - asked.maxKm! });
  }
  return sides;
};

const closest = <E>(execute: Execute<E>, plan: SearchPlan, asked: PlanFilters, dimension: Dimension) =>
  Effect.gen(function* () {
    const found: Array<{ car: Car; distance: number }> = [];
    for (const side of sidesOf(dimension, asked, plan.filters)) {
      const { cars } = yield* execute({ ...plan, filters: side.filters, sort: side.sort });
      for (const car of cars) found.push({ car, distance: side.distance(car) });
    }
    return found.sort((a, b) => a.distance - b.distance).slice(0, plan.limit).map((entry) => entry.car);
  });

/** Each word alone, then the makes that model words belong to; first hits first. */
const wordByWord = <E>(execute: Execute<E>, plan: SearchPlan) =>
  Effect.gen(function* () {
    const seen = new Set<number>();
    const cars: Car[] = [];
    const add = (found: ReadonlyArray<Car>) => {
      for (const car of found) if (!seen.has(car.stockId) && cars.length < plan.limit) (seen.add(car.stockId), cars.push(car));
    };
    if (plan.terms.length > 1) for (const term of plan.terms) add((yield* execute({ ...plan, terms: [term] })).cars);
    if (plan.filters.makeKey === undefined) {
      for (const term of plan.terms) {
        const make = makeOfModelWord(term);
        if (make && cars.length < plan.limit) add((yield* execute({ ...plan, terms: [], filters: { ...plan.filters, makeKey: makeKeyOf(make) } })).cars);
      }
    }
    return cars;
  });

export interface Nearest {
  readonly cars: ReadonlyArray<Car>;
  /** The condition groups dropped to find them (empty when none were found). */
  readonly relaxed: ReadonlyArray<string>;
}

export const findNearest = <E>(execute: Execute<E>, plan: SearchPlan): Effect.Effect<Nearest, E> =>
  Effect.gen(function* () {
    let current: SearchPlan = { ...plan, offset: 0 };
    const relaxed: string[] = [];
    for (const step of RELAXATION_STEPS) {
      if (!step.applies(current)) continue;
      const asked = current.filters;
      current = { ...current, filters: step.drop(current.filters) };
      relaxed.push(step.name);
      const cars = step.closestBy ? yield* closest(execute, current, asked, step.closestBy) : (yield* execute(current)).cars;
      if (cars.length > 0) return { cars, relaxed };
    }
    if (current.terms.length > 0) {
      relaxed.push("text");
      const cars = yield* wordByWord(execute, current);
      if (cars.length > 0) return { cars, relaxed };
    }
    return { cars: [], relaxed: [] };
  });
