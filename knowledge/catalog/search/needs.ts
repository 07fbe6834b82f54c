/**
 * What each buyer need means in catalog attributes. Both engines use this one table: every car
 * is tagged with the needs it meets when it is indexed, and a search for needs keeps the cars
 * carrying all of them. Tested in needs.test.ts; documented in SEMANTICS.md.
 */
import type { Car } from "../car.ts";
import type { Need } from "./query.ts";

/** Makes sold as premium/luxury in Mexico. */
export const PREMIUM_MAKES: ReadonlySet<string> = new Set(
  ["Audi", "BMW", "Mercedes Benz", "Land Rover", "Lincoln", "Infiniti", "Volvo", "Mini", "Lexus", "Acura", "Porsche", "Jaguar", "Cadillac", "Genesis", "Alfa Romeo", "Maserati"].map(
    (make) => make.toLowerCase(),
  ),
);

/** Price at or under which a car counts as "económico" (integer pesos). */
export const ECONOMICO_MAX_PRICE = 250_000;
/** Largest engine (litres, from the version: "1.6 SENSE") of an "económico" car, when stated. */
export const ECONOMICO_MAX_LITRES = 2.0;
/** Longest car (mm) that counts as easy in the city. */
export const CIUDAD_MAX_LENGTH_MM = 4_400;

export interface NeedRule {
  readonly need: Need;
  /** The rule in words, as SEMANTICS.md states it. */
  readonly meaning: string;
  readonly test: (car: Car) => boolean;
}

/** "1.6 ADVANCE AUTO" → 1.6; null when the version does not start with a displacement. */
export const engineLitres = (version: string): number | null => {
  const match = /^\s*(\d\.\d)\b/.exec(version);
  return match ? Number(match[1]) : null;
};

export const NEED_RULES: ReadonlyArray<NeedRule> = [
  {
    need: "familiar",
    meaning: "room for a family: an SUV or a minivan, or 7 or more seats",
    test: (car) => car.bodyType === "suv" || car.bodyType === "minivan" || (car.seats ?? 0) >= 7,
  },
  {
    need: "economico",
    meaning: `cheap to buy and to run: price ≤ $${ECONOMICO_MAX_PRICE.toLocaleString("en-US")} and engine ≤ ${ECONOMICO_MAX_LITRES.toFixed(1)} L (when the version states it)`,
    test: (car) => car.price <= ECONOMICO_MAX_PRICE && (engineLitres(car.version) ?? 0) <= ECONOMICO_MAX_LITRES,
  },
  {
    need: "premium",
    meaning: "a premium make (Audi, BMW, Mercedes Benz, Land Rover, Lincoln, Infiniti, Volvo, Mini, Lexus, ...)",
    test: (car) => PREMIUM_MAKES.has(car.make.toLowerCase()),
  },
  {
    need: "ciudad",
    meaning: `easy to park: length ≤ ${CIUDAD_MAX_LENGTH_MM.toLocaleString("en-US")} mm and not a pickup or minivan (a hatchback when the length is unknown)`,
    test: (car) =>
      car.lengthMm !== null
        ? car.lengthMm <= CIUDAD_MAX_LENGTH_MM && car.bodyType !== "pickup" && car.bodyType !== "minivan"
        : car.bodyType === "hatchback",
  },
  {
    need: "siete_pasajeros",
    meaning: "7 or more seats (known from the body-type lookup or the version)",
    test: (car) => (car.seats ?? 0) >= 7,
  },
];

/** The needs a car meets, in table order. */
export const needsOf = (car: Car): Need[] => NEED_RULES.filter((rule) => rule.test(car)).map((rule) => rule.need);
