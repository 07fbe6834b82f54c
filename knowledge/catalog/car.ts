/** A car of the catalog, normalised. Money is integer pesos (the catalog has no cents). */
export type Transmission = "automatica" | "manual";

export type BodyType = "sedan" | "hatchback" | "suv" | "pickup" | "minivan" | "coupe";

export interface Car {
  readonly stockId: number;
  readonly make: string;
  readonly model: string;
  readonly year: number;
  readonly version: string;
  /** Integer pesos. */
  readonly price: number;
  readonly km: number;
  /** null = not confirmed by the catalog ("no confirmado"), never "no". */
  readonly bluetooth: boolean | null;
  readonly carPlay: boolean | null;
  readonly transmission: Transmission | null;
  readonly lengthMm: number | null;
  readonly widthMm: number | null;
  readonly heightMm: number | null;
  /** Enriched at import from knowledge/catalog/body-types.ts; null when unknown. */
  readonly bodyType: BodyType | null;
  /** Seats, when known from the body-type lookup (7 for three-row SUVs and minivans). */
  readonly seats: number | null;
}
