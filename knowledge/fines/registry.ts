/**
 * The fines registry port: unpaid traffic fines of a plate. Two adapters: the embedded one (a
 * table with a sample dataset, embedded-registry.ts) and an external fines API over HTTP
 * (http-registry.ts). Amounts are integer cents; the total is their exact sum.
 */
import { Context, Data, type Effect } from "effect";

export interface Fine {
  readonly folio: string;
  readonly description: string;
  readonly authority: string;
  /** ISO date, "2026-03-14". */
  readonly issuedOn: string;
  readonly amountCents: number;
}

export interface FinesLookup {
  /** Canonical plate, e.g. "NXR4521". */
  readonly plate: string;
  /** Unpaid fines, oldest first. */
  readonly fines: ReadonlyArray<Fine>;
  readonly totalCents: number;
  /** Which registry answered ("sample" data or the external API). */
  readonly source: "sample" | "http";
}

/** The registry could not answer (down, timed out, or answered something unreadable). */
export class FinesRegistryError extends Data.TaggedError("FinesRegistryError")<{
  readonly reason: "unavailable" | "timeout" | "bad_response";
  readonly message: string;
  readonly cause?: unknown;
}> {}

export interface FinesRegistryShape {
  readonly kind: "embedded" | "http";
  /** The unpaid fines of a canonical plate (an unknown plate has none). */
  readonly lookup: (plate: string) => Effect.Effect<FinesLookup, FinesRegistryError>;
}

export class FinesRegistry extends Context.Service<FinesRegistry, FinesRegistryShape>()("FinesRegistry") {}
