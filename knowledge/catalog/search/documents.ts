/**
 * The search document of a car: the same shape in both engines (MiniSearch fields, Meilisearch
 * documents), with the derived fields search needs: aliases, compact forms, keys, needs.
 */
import type { BodyType, Car, Transmission } from "../car.ts";
import { aliasesOf } from "./aliases.ts";
import { needsOf } from "./needs.ts";
import type { Need } from "./query.ts";
import { compact, tokenize } from "./text.ts";

export interface SearchDoc {
  /** The stock id (Meilisearch primary key). */
  readonly id: number;
  readonly make: string;
  readonly model: string;
  readonly version: string;
  /** Nicknames of the make and model ("chevy", "vw", "crv"). */
  readonly aliases: ReadonlyArray<string>;
  /** Names without spaces or dashes ("crv", "mazda3", "toyotacorolla"), for "no spaces" queries. */
  readonly compact: ReadonlyArray<string>;
  /** compact(make) and compact(model): what the make/model filters compare. */
  readonly makeKey: string;
  readonly modelKey: string;
  readonly year: number;
  readonly price: number;
  readonly km: number;
  readonly bluetooth: boolean | null;
  readonly carPlay: boolean | null;
  readonly transmission: Transmission | null;
  readonly bodyType: BodyType | null;
  readonly seats: number | null;
  readonly lengthMm: number | null;
  readonly widthMm: number | null;
  readonly heightMm: number | null;
  readonly needs: ReadonlyArray<Need>;
}

/** Searchable fields, most important first (Meilisearch's attribute ranking follows this order). */
export const SEARCHABLE_FIELDS = ["model", "compact", "aliases", "make", "version"] as const;
export type SearchableField = (typeof SEARCHABLE_FIELDS)[number];

/** Rank of a field for relevance: a match in the model beats one in the make, which beats the version. */
export const FIELD_RANK: Record<SearchableField, number> = { model: 0, compact: 0, aliases: 1, make: 1, version: 2 };

export const compactFormsOf = (make: string, model: string): string[] => {
  const forms = new Set<string>([compact(`${make}${model}`)]);
  if (tokenize(model).length > 1) forms.add(compact(model));
  if (tokenize(make).length > 1) forms.add(compact(make));
  return [...forms];
};

interface NameFields {
  readonly aliases: ReadonlyArray<string>;
  readonly compact: ReadonlyArray<string>;
  readonly makeKey: string;
  readonly modelKey: string;
}

/** Fields that depend on make and model only, computed once per model (catalogs repeat models). */
const nameFieldsCache = new Map<string, NameFields>();
const nameFieldsOf = (make: string, model: string): NameFields => {
  const key = `${make}\u0000${model}`;
  let fields = nameFieldsCache.get(key);
  if (!fields) {
    fields = { aliases: aliasesOf(make, model), compact: compactFormsOf(make, model), makeKey: compact(make), modelKey: compact(model) };
    if (nameFieldsCache.size > 50_000) nameFieldsCache.clear();
    nameFieldsCache.set(key, fields);
  }
  return fields;
};

export const toSearchDoc = (car: Car): SearchDoc => ({
  id: car.stockId,
  make: car.make,
  model: car.model,
  version: car.version,
  ...nameFieldsOf(car.make, car.model),
  year: car.year,
  price: car.price,
  km: car.km,
  bluetooth: car.bluetooth,
  carPlay: car.carPlay,
  transmission: car.transmission,
  bodyType: car.bodyType,
  seats: car.seats,
  lengthMm: car.lengthMm,
  widthMm: car.widthMm,
  heightMm: car.heightMm,
  needs: needsOf(car),
});

export const carOfDoc = (doc: SearchDoc): Car => ({
  stockId: doc.id,
  make: doc.make,
  model: doc.model,
  year: doc.year,
  version: doc.version,
  price: doc.price,
  km: doc.km,
  bluetooth: doc.bluetooth ?? null,
  carPlay: doc.carPlay ?? null,
  transmission: doc.transmission ?? null,
  lengthMm: doc.lengthMm ?? null,
  widthMm: doc.widthMm ?? null,
  heightMm: doc.heightMm ?? null,
  bodyType: doc.bodyType ?? null,
  seats: doc.seats ?? null,
});
