import type { BodyType, Car, Transmission } from "../car.ts";

/** Needs a buyer can express, mapped to catalog attributes in knowledge/catalog/search/needs.ts. */
export type Need = "familiar" | "economico" | "premium" | "ciudad" | "siete_pasajeros";

export type SortOrder = "relevance" | "price_asc" | "price_desc" | "year_desc" | "year_asc" | "km_asc";

/** One search, the same on every engine (embedded and Meilisearch). */
export interface CarSearchQuery {
  /** Free text over make, model and version, typo tolerant. */
  readonly text?: string;
  readonly make?: string;
  readonly model?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly minYear?: number;
  readonly maxYear?: number;
  readonly maxKm?: number;
  readonly bluetooth?: boolean;
  readonly carPlay?: boolean;
  readonly transmission?: Transmission;
  readonly bodyTypes?: ReadonlyArray<BodyType>;
  readonly needs?: ReadonlyArray<Need>;
  readonly sort?: SortOrder;
  /** Default 5, at most 50. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface CarSearchFacets {
  readonly makes: ReadonlyArray<{ readonly make: string; readonly count: number }>;
  readonly price: { readonly min: number; readonly max: number } | null;
  readonly year: { readonly min: number; readonly max: number } | null;
}

export interface CarSearchResult {
  readonly cars: ReadonlyArray<Car>;
  readonly total: number;
  /** Facets over the whole catalog matching the text (before the numeric filters). */
  readonly facets: CarSearchFacets;
  /** When nothing matches: the nearest options, loosest filters dropped first. */
  readonly nearest: ReadonlyArray<Car>;
}
