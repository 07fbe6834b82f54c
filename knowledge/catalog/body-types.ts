/**
 * Body type and seats of each catalog model: a reviewed lookup, then a documented fallback.
 *
 * The lookup covers every model of knowledge/catalog/data/catalog.csv (checked by
 * body-types.test.ts) plus common Mexican-market models a future import is likely to bring.
 * Seats are the usual count for the model; null where the same model name is sold with two or
 * three rows (then only the version can say, see `seatsFromVersion`).
 *
 * Fallback for a model the lookup does not know (documented in knowledge/catalog/search/SEMANTICS.md):
 * - height ≥ 1,600 mm → "suv" (every sedan/hatchback of the sample is under 1,560 mm, every
 *   SUV/minivan/pickup over 1,568 mm), seats unknown;
 * - otherwise, with the length known: < 4,200 mm → "hatchback", ≥ 4,400 mm → "sedan";
 * - otherwise null ("no confirmado"): we do not guess.
 */
import { foldAccents } from "../../lib/fold-accents.ts";
import type { BodyType } from "./car.ts";

export interface BodyInfo {
  readonly bodyType: BodyType | null;
  readonly seats: number | null;
}

/** Optional evidence that refines models sold in more than one body (Mazda 3 sedan/hatchback...). */
export interface BodyDetails {
  readonly version?: string | null;
  readonly lengthMm?: number | null;
}

interface ModelEntry {
  readonly make: string;
  readonly model: string;
  readonly bodyType: BodyType;
  readonly seats: number | null;
  /** Models sold as sedan and hatchback: below this length it is the hatchback. */
  readonly hatchbackBelowMm?: number;
  readonly note?: string;
}

const m = (make: string, model: string, bodyType: BodyType, seats: number | null, extra: Partial<ModelEntry> = {}): ModelEntry => ({
  make,
  model,
  bodyType,
  seats,
  ...extra,
});

/** Every model of the 100-car sample (reviewed one by one against its dimensions and versions). */
const SAMPLE_MODELS: ReadonlyArray<ModelEntry> = [
  m("Audi", "A1", "hatchback", null, { note: "3-door has 4 seats, Sportback 5" }),
  m("BMW", "Serie 1", "hatchback", 5),
  m("BMW", "Serie 2", "coupe", 4, { note: "the sample's is the M2 coupé" }),
  m("BMW", "Serie 3", "sedan", 5),
  m("BMW", "Serie 7", "sedan", 5),
  m("BMW", "X1", "suv", 5),
  m("BMW", "X3", "suv", 5),
  m("BMW", "X5", "suv", 5, { note: "third row optional, rare in Mexico" }),
  m("Chevrolet", "Aveo", "sedan", 5),
  m("Chevrolet", "Captiva", "suv", 7, { note: "2022+ Captiva sold mostly with 7 seats; the sample's says 7 PASAJEROS" }),
  m("Chevrolet", "Onix", "sedan", 5, { hatchbackBelowMm: 4200 }),
  m("Chevrolet", "Sonic", "sedan", 5, { hatchbackBelowMm: 4200 }),
  m("Chevrolet", "Spark", "hatchback", 5),
  m("Chevrolet", "Tracker", "suv", 5),
  m("Chevrolet", "Trax", "suv", 5),
  m("Dodge", "Durango", "suv", 7),
  m("Dodge", "Journey", "suv", null, { note: "2009-2020 offered 7 seats; 2022+ (GAC based) has 5" }),
  m("Fiat", "Palio", "hatchback", 5, { note: "Palio Adventure is a small wagon; no wagon type, closest is hatchback" }),
  m("Fiat", "Uno", "hatchback", 5),
  m("Ford", "EcoSport", "suv", 5),
  m("Ford", "Escape", "suv", 5),
  m("Ford", "Figo", "sedan", 5, { hatchbackBelowMm: 4000, note: "sold as sedan (4,249 mm) and hatchback (~3,890 mm)" }),
  m("Honda", "BR-V", "suv", 7),
  m("Honda", "CR-V", "suv", 5),
  m("Honda", "Civic", "sedan", 5, { hatchbackBelowMm: 4520 }),
  m("Honda", "HR-V", "suv", 5),
  m("Honda", "Odyssey", "minivan", 8),
  m("Infiniti", "Q70", "sedan", 5),
  m("JAC", "SEI2", "suv", 5),
  m("Jeep", "Compass", "suv", 5),
  m("Kia", "Forte", "sedan", 5, { hatchbackBelowMm: 4450 }),
  m("Kia", "Rio", "sedan", 5, { hatchbackBelowMm: 4200, note: "sedan 4,385 mm, hatchback ~4,065 mm" }),
  m("Kia", "Sportage", "suv", 5),
  m("Land Rover", "Discovery Sport", "suv", null, { note: "5 or 5+2 seats depending on version" }),
  m("Lincoln", "Nautilus", "suv", 5),
  m("MG", "Hs", "suv", 5),
  m("MG", "MG5", "sedan", 5),
  m("Mazda", "CX-5", "suv", 5),
  m("Mazda", "CX-9", "suv", 7),
  m("Mazda", "Mazda 3", "sedan", 5, { hatchbackBelowMm: 4500, note: "versions say SEDAN or HATCHBACK; hatchback ~4,460 mm" }),
  m("Mercedes Benz", "Clase A", "hatchback", 5, { note: "A-Class sedan (2019+) is ~4,550 mm" }),
  m("Mercedes Benz", "Clase C", "sedan", 5),
  m("Mercedes Benz", "Clase CLA", "sedan", 5, { note: "four-door coupé, a sedan for buyers" }),
  m("Mini", "Cooper", "hatchback", null, { note: "3-door 4 seats, 5-door 5" }),
  m("Nissan", "Altima", "sedan", 5),
  m("Nissan", "Frontier", "pickup", 5),
  m("Nissan", "Kicks", "suv", 5),
  m("Nissan", "March", "hatchback", 5),
  m("Nissan", "Murano", "suv", 5),
  m("Nissan", "Pathfinder", "suv", 7),
  m("Nissan", "Sentra", "sedan", 5),
  m("Nissan", "Versa", "sedan", 5),
  m("Nissan", "X-Trail", "suv", null, { note: "2 ROW = 5 seats, 3 ROW = 7" }),
  m("Peugeot", "208", "hatchback", 5),
  m("Renault", "Captur", "suv", 5),
  m("Renault", "Duster", "suv", 5),
  m("Renault", "Koleos", "suv", 5),
  m("Seat", "Ibiza", "hatchback", 5),
  m("Seat", "Toledo", "sedan", 5),
  m("Suzuki", "Swift", "hatchback", 5),
  m("Toyota", "Avanza", "minivan", 7),
  m("Toyota", "Corolla", "sedan", 5),
  m("Toyota", "RAV4", "suv", 5),
  m("Toyota", "Yaris", "hatchback", 5, { note: "hatchback 4,145 mm; the Yaris sedan is ~4,425 mm", hatchbackBelowMm: 4300 }),
  m("Volkswagen", "Gol", "hatchback", 5),
  m("Volkswagen", "Jetta", "sedan", 5),
  m("Volkswagen", "Passat", "sedan", 5),
  m("Volkswagen", "T-Cross", "suv", 5),
  m("Volkswagen", "Tiguan", "suv", null, { note: "Tiguan 5 seats, Tiguan Allspace 5+2" }),
  m("Volkswagen", "Touareg", "suv", 5),
  m("Volkswagen", "Vento", "sedan", 5),
  m("Volvo", "S60", "sedan", 5),
];

/** Common models of the Mexican used-car market that the sample does not have (yet). */
const OTHER_MODELS: ReadonlyArray<ModelEntry> = [
  m("Volkswagen", "Beetle", "hatchback", 4),
  m("Volkswagen", "Golf", "hatchback", 5),
  m("Volkswagen", "Polo", "hatchback", 5),
  m("Volkswagen", "Virtus", "sedan", 5),
  m("Volkswagen", "Taos", "suv", 5),
  m("Volkswagen", "Saveiro", "pickup", 2),
  m("Volkswagen", "Amarok", "pickup", 5),
  m("Nissan", "NP300", "pickup", 5),
  m("Nissan", "Tsuru", "sedan", 5),
  m("Toyota", "Hilux", "pickup", 5),
  m("Toyota", "Tacoma", "pickup", 5),
  m("Toyota", "Camry", "sedan", 5),
  m("Toyota", "Highlander", "suv", 7),
  m("Toyota", "Sienna", "minivan", 8),
  m("Toyota", "Prius", "hatchback", 5),
  m("Honda", "City", "sedan", 5),
  m("Honda", "Fit", "hatchback", 5),
  m("Honda", "Accord", "sedan", 5),
  m("Honda", "Pilot", "suv", 8),
  m("Chevrolet", "Beat", "hatchback", 5),
  m("Chevrolet", "Cavalier", "sedan", 5),
  m("Chevrolet", "Equinox", "suv", 5),
  m("Chevrolet", "Suburban", "suv", 8),
  m("Chevrolet", "Tahoe", "suv", 8),
  m("Chevrolet", "S10", "pickup", 5),
  m("Chevrolet", "Silverado", "pickup", 5),
  m("Ford", "Ranger", "pickup", 5),
  m("Ford", "Lobo", "pickup", 5),
  m("Ford", "Explorer", "suv", 7),
  m("Ford", "Mustang", "coupe", 4),
  m("Ford", "Territory", "suv", 5),
  m("RAM", "700", "pickup", 5),
  m("RAM", "1500", "pickup", 5),
  m("Dodge", "Attitude", "sedan", 5),
  m("Mazda", "Mazda 2", "sedan", 5, { hatchbackBelowMm: 4200 }),
  m("Mazda", "CX-3", "suv", 5),
  m("Mazda", "CX-30", "suv", 5),
  m("Mazda", "MX-5", "coupe", 2),
  m("Kia", "Seltos", "suv", 5),
  m("Kia", "Sorento", "suv", 7),
  m("Hyundai", "Grand i10", "hatchback", 5, { hatchbackBelowMm: 3900 }),
  m("Hyundai", "Accent", "sedan", 5),
  m("Hyundai", "Elantra", "sedan", 5),
  m("Hyundai", "Tucson", "suv", 5),
  m("Hyundai", "Creta", "suv", 5),
  m("Suzuki", "Vitara", "suv", 5),
  m("Suzuki", "Ertiga", "minivan", 7),
  m("Jeep", "Wrangler", "suv", null),
  m("Jeep", "Grand Cherokee", "suv", 5),
  m("Audi", "A3", "sedan", 5, { hatchbackBelowMm: 4400 }),
  m("Audi", "Q3", "suv", 5),
  m("Audi", "Q5", "suv", 5),
  m("Mercedes Benz", "Clase GLA", "suv", 5),
  m("Mitsubishi", "L200", "pickup", 5),
  m("Mitsubishi", "Outlander", "suv", 7),
];

export const KNOWN_MODELS: ReadonlyArray<Omit<ModelEntry, "hatchbackBelowMm" | "note">> = [...SAMPLE_MODELS, ...OTHER_MODELS].map(
  ({ make, model, bodyType, seats }) => ({ make, model, bodyType, seats }),
);

/** Lower case, no accents, letters and digits only: "Mercedes-Benz" and "mercedes benz" meet. */
const key = (value: string) => foldAccents(value).toLowerCase().replace(/[^a-z0-9]/g, "");

const LOOKUP = new Map<string, ModelEntry>([...SAMPLE_MODELS, ...OTHER_MODELS].map((entry) => [`${key(entry.make)}|${key(entry.model)}`, entry]));

/** Seats the version string states ("7 PASAJEROS", "3 ROW", "2 ROW"), or null. */
export const seatsFromVersion = (version: string): number | null => {
  const v = foldAccents(version).toUpperCase();
  const passengers = /\b([2-9])\s*(PASAJEROS|PAS\b|PLAZAS|ASIENTOS)/.exec(v);
  if (passengers) return Number(passengers[1]);
  if (/\b3\s*(ROW|FILAS)\b/.test(v)) return 7;
  if (/\b2\s*(ROW|FILAS)\b/.test(v)) return 5;
  return null;
};

const bodyFromVersion = (version: string): BodyType | null => {
  const v = version.toUpperCase();
  if (/\bHATCH(BACK)?\b|\bHB\b/.test(v)) return "hatchback";
  if (/\bSEDAN\b/.test(v)) return "sedan";
  if (/\bCOUPE\b/.test(v)) return "coupe";
  return null;
};

/** The documented fallback for a model the lookup does not know. */
const fallback = (heightMm: number | null, lengthMm: number | null): BodyInfo => {
  if (heightMm !== null && heightMm >= 1600) return { bodyType: "suv", seats: null };
  if (lengthMm !== null && lengthMm !== undefined) {
    if (lengthMm < 4200) return { bodyType: "hatchback", seats: null };
    if (lengthMm >= 4400) return { bodyType: "sedan", seats: null };
  }
  return { bodyType: null, seats: null };
};

export const classifyBody = (make: string, model: string, heightMm: number | null, details: BodyDetails = {}): BodyInfo => {
  const version = details.version ?? "";
  const lengthMm = details.lengthMm ?? null;
  const versionSeats = version ? seatsFromVersion(version) : null;
  const entry = LOOKUP.get(`${key(make)}|${key(model)}`);
  if (!entry) {
    const guess = fallback(heightMm, lengthMm);
    return { bodyType: (version && bodyFromVersion(version)) || guess.bodyType, seats: versionSeats ?? guess.seats };
  }
  let bodyType = entry.bodyType;
  if (entry.hatchbackBelowMm !== undefined) {
    const stated = version ? bodyFromVersion(version) : null;
    if (stated) bodyType = stated;
    else if (lengthMm !== null) bodyType = lengthMm < entry.hatchbackBelowMm ? "hatchback" : "sedan";
  }
  return { bodyType, seats: versionSeats ?? entry.seats };
};
