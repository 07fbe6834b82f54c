/** The sales assistant's toolkit: the tools the model sees, each in its own file. */
import { Effect } from "effect";
import type { CarStore } from "../knowledge/catalog/car-store.ts";
import type { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import type { QuoteStore } from "../knowledge/financing/quote-store.ts";
import type { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { calculateAffordablePriceTool } from "./calculate-affordable-price.ts";
import { calculateFinancingTool } from "./calculate-financing.ts";
import { compactForMemory } from "./compact.ts";
import { TOOL_NAMES } from "./contracts.ts";
import { getCarDetailsTool } from "./get-car-details.ts";
import { makeToolRunner } from "./run-tool.ts";
import { searchCarsTool } from "./search-cars.ts";
import { searchKnowledgeTool } from "./search-knowledge.ts";

export type SalesToolServices = CatalogSearch | CarStore | QuoteStore | KnowledgeSearch;

export const makeSalesToolkit = Effect.gen(function* () {
  const run = yield* makeToolRunner<SalesToolServices>();
  return {
    tools: {
      [TOOL_NAMES.searchCars]: searchCarsTool(run),
      [TOOL_NAMES.getCarDetails]: getCarDetailsTool(run),
      [TOOL_NAMES.calculateFinancing]: calculateFinancingTool(run),
      [TOOL_NAMES.calculateAffordablePrice]: calculateAffordablePriceTool(run),
      [TOOL_NAMES.searchKnowledge]: searchKnowledgeTool(run),
    },
    contextFor: (turn: { readonly conversationId: string }) => ({ [TOOL_NAMES.calculateFinancing]: { conversationId: turn.conversationId } }),
    compactForMemory,
  };
});
