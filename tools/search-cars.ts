import { Effect } from "effect";
import { toCarCard } from "./car-card.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import type { SearchCarsInput, SearchCarsOutput } from "./contracts.ts";

export const searchCars = Effect.fn("tool.search_cars")(function* (input: SearchCarsInput) {
  const catalog = yield* CatalogSearch;
  const { query, ...filters } = input;
  const result = yield* catalog.search({ ...filters, ...(query ? { text: query } : {}), limit: input.limit ?? 5 });
  const output: SearchCarsOutput = {
    total: result.total,
    offset: input.offset ?? 0,
    cars: result.cars.map(toCarCard),
    nearest: result.nearest.map(toCarCard),
    facets: result.facets,
  };
  return output;
});
