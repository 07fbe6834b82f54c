import { Data } from "effect";

/** A search engine could not do what was asked (Meilisearch unreachable, a task failed, ...). */
export class CatalogSearchError extends Data.TaggedError("CatalogSearchError")<{
  readonly engine: "embedded" | "meilisearch";
  readonly operation: string;
  readonly message: string;
  readonly cause?: unknown;
}> {}
