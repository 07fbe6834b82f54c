/** Finds which car a message points at among the cars shown before. */
import type { CarCard } from "../../../tools/contracts.ts";
import type { CarReference, Slots } from "../nlu/types.ts";
import type { DialogueState } from "./state.ts";

const best = (cars: ReadonlyArray<CarCard>, better: (a: CarCard, b: CarCard) => boolean): CarCard | undefined =>
  cars.reduce<CarCard | undefined>((acc, c) => (acc === undefined || better(c, acc) ? c : acc), undefined);

export const resolveReference = (ref: CarReference, state: DialogueState): CarCard | undefined => {
  const shown = state.shown;
  switch (ref.kind) {
    case "ordinal":
      return ref.index > 0 ? shown[ref.index - 1] : shown[shown.length + ref.index];
    case "this":
      return state.focus ?? (shown.length === 1 ? shown[0] : undefined);
    case "year": {
      const sameYear = shown.filter((c) => c.year === ref.year);
      return sameYear.length >= 1 ? sameYear[0] : [...state.known.values()].find((c) => c.year === ref.year && (state.focus === undefined || c.model === state.focus.model));
    }
    case "cheapest":
      return best(shown, (a, b) => a.price < b.price || (a.price === b.price && a.km < b.km));
    case "priciest":
      return best(shown, (a, b) => a.price > b.price);
    case "newest":
      // "el más nuevo con menos km": among cars of the same year, the one with fewer km
      return best(shown, (a, b) => a.year > b.year || (a.year === b.year && a.km < b.km));
    case "least_km":
      return best(shown, (a, b) => a.km < b.km || (a.km === b.km && a.year > b.year));
    case "stock":
      return state.known.get(ref.stockId) ?? shown.find((c) => c.stockId === ref.stockId);
  }
};

const same = (a: string, b: string): boolean => a.localeCompare(b, "es", { sensitivity: "base" }) === 0;

/** Cars seen before that fit the make/model/year named. */
export const matchNamed = (slots: Slots, cars: Iterable<CarCard>): CarCard[] =>
  [...cars].filter(
    (c) =>
      (slots.model === undefined || same(c.model, slots.model)) &&
      (slots.make === undefined || same(c.make, slots.make)) &&
      (slots.minYear === undefined || c.year >= slots.minYear) &&
      (slots.maxYear === undefined || c.year <= slots.maxYear),
  );

/**
 * The car a message names: a reference ("el segundo"), or a model named among the cars shown ("el
 * Versa 2020"). Undefined when nothing or more than one car fits.
 */
const SUPERLATIVES: ReadonlySet<CarReference["kind"]> = new Set(["cheapest", "priciest", "newest", "least_km"]);

export const resolveNamedCar = (slots: Slots, state: DialogueState): CarCard | undefined => {
  // "el Forte más nuevo": the superlative among that model's cars, shown or seen before
  if (slots.reference !== undefined && SUPERLATIVES.has(slots.reference.kind) && (slots.model !== undefined || slots.make !== undefined)) {
    const shown = matchNamed(slots, state.shown);
    const pool = shown.length > 0 ? shown : matchNamed(slots, state.known.values());
    return resolveReference(slots.reference, { ...state, shown: pool });
  }
  if (slots.reference !== undefined) {
    const car = resolveReference(slots.reference, state);
    if (car !== undefined) return car;
  }
  if (slots.model === undefined) return undefined;
  if (state.focus !== undefined && matchNamed(slots, [state.focus]).length === 1 && matchNamed(slots, state.shown).length <= 1) return state.focus;
  const inShown = matchNamed(slots, state.shown);
  if (inShown.length === 1) return inShown[0];
  if (inShown.length > 1) return undefined;
  const known = matchNamed(slots, state.known.values());
  return known.length === 1 ? known[0] : undefined;
};

/** Picks the car a search was meant to find, when exactly one result fits. */
export const pickFound = (cars: ReadonlyArray<CarCard>, slots: Slots): CarCard | undefined => {
  if (cars.length === 1) return cars[0];
  const fit = matchNamed(slots, cars);
  return fit.length === 1 ? fit[0] : undefined;
};
