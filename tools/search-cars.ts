import { tool } from "ai";
import { Effect } from "effect";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import { toCarCard } from "./car-card.ts";
import { searchCarsInput, type SearchCarsInput, type SearchCarsOutput } from "./contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

export const searchCars = Effect.fnUntraced(function* (input: SearchCarsInput) {
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

export const searchCarsTool = (run: RunTool<CatalogSearch>) =>
  tool({
    description:
      "Busca autos en el catálogo de Kavak por texto (marca, modelo, versión; tolera errores), filtros de precio, año, km, equipamiento, tipo de carrocería o necesidades, y orden. Devuelve los autos encontrados, el total y, si no hay resultados, las opciones más cercanas.",
    inputSchema: modelSchema(searchCarsInput),
    execute: (input) => run(searchCars(input)),
  });
