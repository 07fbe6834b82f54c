/**
 * A search as both engines execute it: the query's text read into terms and hints, make/model
 * names resolved to keys, defaults and bounds applied. Engines never see a CarSearchQuery.
 */
import type { BodyType, Car, Transmission } from "../car.ts";
import { makeKeyOf, modelKeyOf } from "./aliases.ts";
import type { SearchDoc } from "./documents.ts";
import type { CarSearchFacets, CarSearchQuery, Need, SortOrder } from "./query.ts";
import { interpretText } from "./text-query.ts";

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

export interface PlanFilters {
  readonly makeKey?: string;
  readonly modelKey?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly minYear?: number;
  readonly maxYear?: number;
  readonly maxKm?: number;
  /** Internal: only the nearest-options search sets it (cars just above a km limit). */
  readonly minKm?: number;
  readonly bluetooth?: boolean;
  readonly carPlay?: boolean;
  readonly transmission?: Transmission;
  /** Any of these bodies. */
  readonly bodyTypes?: ReadonlyArray<BodyType>;
  /** All of these needs. */
  readonly needs?: ReadonlyArray<Need>;
}

export interface SearchPlan {
  /** Every term must match (each within the typo rule); empty = no text condition. */
  readonly terms: ReadonlyArray<string>;
  readonly filters: PlanFilters;
  readonly sort: SortOrder;
  readonly limit: number;
  readonly offset: number;
}

export interface EngineResult {
  readonly cars: ReadonlyArray<Car>;
  readonly total: number;
}

export interface EngineResultWithFacets extends EngineResult {
  readonly facets: CarSearchFacets;
}

const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;

/**
 * Joins neighbouring words that spell a known name without the space ("cr v" → "crv",
 * "rav 4" → "rav4", "mazda 3" → "mazda3"), as Meilisearch does with word concatenation.
 */
export const joinKnownPairs = (terms: ReadonlyArray<string>, isKnownCompact: (word: string) => boolean): string[] => {
  const joined: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    const pair = i + 1 < terms.length ? `${terms[i]}${terms[i + 1]}` : undefined;
    if (pair !== undefined && isKnownCompact(pair)) {
      joined.push(pair);
      i++;
    } else joined.push(terms[i]!);
  }
  return joined;
};

const clampInt = (value: number | undefined, min: number, max: number, fallback: number) =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)));

export const buildPlan = (query: CarSearchQuery, isKnownCompact: (word: string) => boolean): SearchPlan => {
  const { terms, hints } = interpretText(query.text ?? "");
  const pick = <K extends keyof typeof hints>(key: K, own: (typeof hints)[K] | undefined) => (own !== undefined ? own : hints[key]);
  const filters: PlanFilters = definedOnly({
    makeKey: query.make?.trim() ? makeKeyOf(query.make) : undefined,
    modelKey: query.model?.trim() ? modelKeyOf(query.model) : undefined,
    minPrice: pick("minPrice", query.minPrice),
    maxPrice: pick("maxPrice", query.maxPrice),
    minYear: pick("minYear", query.minYear),
    maxYear: pick("maxYear", query.maxYear),
    maxKm: pick("maxKm", query.maxKm),
    bluetooth: pick("bluetooth", query.bluetooth),
    carPlay: pick("carPlay", query.carPlay),
    transmission: pick("transmission", query.transmission),
    bodyTypes: query.bodyTypes && query.bodyTypes.length > 0 ? query.bodyTypes : hints.bodyTypes,
    needs: query.needs && query.needs.length > 0 ? query.needs : hints.needs,
  });
  return {
    terms: joinKnownPairs(terms, isKnownCompact),
    filters,
    // Asking for something cheap means the cheapest first, unless an order was asked for.
    sort: query.sort ?? hints.sort ?? (filters.needs?.includes("economico") ? "price_asc" : "relevance"),
    limit: clampInt(query.limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: clampInt(query.offset, 0, Number.MAX_SAFE_INTEGER, 0),
  };
};

/** The filters as one predicate over search documents (the embedded engine's filter). */
export const matchesFilters = (filters: PlanFilters) => {
  const checks: Array<(doc: SearchDoc) => boolean> = [];
  const f = filters;
  if (f.makeKey !== undefined) checks.push((d) => d.makeKey === f.makeKey);
  if (f.modelKey !== undefined) checks.push((d) => d.modelKey === f.modelKey);
  if (f.minPrice !== undefined) checks.push((d) => d.price >= f.minPrice!);
  if (f.maxPrice !== undefined) checks.push((d) => d.price <= f.maxPrice!);
  if (f.minYear !== undefined) checks.push((d) => d.year >= f.minYear!);
  if (f.maxYear !== undefined) checks.push((d) => d.year <= f.maxYear!);
  if (f.maxKm !== undefined) checks.push((d) => d.km <= f.maxKm!);
  if (f.minKm !== undefined) checks.push((d) => d.km >= f.minKm!);
  // true = confirmed; false = not confirmed as present (no or unknown).
  if (f.bluetooth !== undefined) checks.push(f.bluetooth ? (d) => d.bluetooth === true : (d) => d.bluetooth !== true);
  if (f.carPlay !== undefined) checks.push(f.carPlay ? (d) => d.carPlay === true : (d) => d.carPlay !== true);
  if (f.transmission !== undefined) checks.push((d) => d.transmission === f.transmission);
  if (f.bodyTypes !== undefined && f.bodyTypes.length > 0) {
    const bodies = new Set<string>(f.bodyTypes);
    checks.push((d) => d.bodyType !== null && bodies.has(d.bodyType));
  }
  if (f.needs !== undefined && f.needs.length > 0) checks.push((d) => f.needs!.every((need) => d.needs.includes(need)));
  return (doc: SearchDoc) => {
    for (const check of checks) if (!check(doc)) return false;
    return true;
  };
};

/** The filters as a Meilisearch filter expression (same meaning as `matchesFilters`). */
export const meilisearchFilter = (filters: PlanFilters): string[] => {
  const f = filters;
  const quote = (value: string) => JSON.stringify(value);
  const parts: string[] = [];
  if (f.makeKey !== undefined) parts.push(`makeKey = ${quote(f.makeKey)}`);
  if (f.modelKey !== undefined) parts.push(`modelKey = ${quote(f.modelKey)}`);
  if (f.minPrice !== undefined) parts.push(`price >= ${f.minPrice}`);
  if (f.maxPrice !== undefined) parts.push(`price <= ${f.maxPrice}`);
  if (f.minYear !== undefined) parts.push(`year >= ${f.minYear}`);
  if (f.maxYear !== undefined) parts.push(`year <= ${f.maxYear}`);
  if (f.maxKm !== undefined) parts.push(`km <= ${f.maxKm}`);
  if (f.minKm !== undefined) parts.push(`km >= ${f.minKm}`);
  if (f.bluetooth !== undefined) parts.push(f.bluetooth ? "bluetooth = true" : "NOT bluetooth = true");
  if (f.carPlay !== undefined) parts.push(f.carPlay ? "carPlay = true" : "NOT carPlay = true");
  if (f.transmission !== undefined) parts.push(`transmission = ${quote(f.transmission)}`);
  if (f.bodyTypes !== undefined && f.bodyTypes.length > 0) parts.push(`bodyType IN [${f.bodyTypes.map(quote).join(", ")}]`);
  for (const need of f.needs ?? []) parts.push(`needs = ${quote(need)}`);
  return parts;
};
