/** AI SDK tools over the catalog fixture, with the real contract's names and input schemas. */
import { tool } from "ai";
import {
  calculateAffordablePriceInput,
  calculateFinancingInput,
  getCarDetailsInput,
  searchCarsInput,
  searchKnowledgeInput,
  TOOL_NAMES,
} from "../../../tools/contracts.ts";
import { affordable, carDetails, financing, knowledge, loadCatalog, searchCars } from "./catalog-fixture.ts";

export const fixtureTools = () => {
  const catalog = loadCatalog();
  return {
    [TOOL_NAMES.searchCars]: tool({ description: "Busca autos del catálogo", inputSchema: searchCarsInput, execute: async (input) => searchCars(catalog, input) }),
    [TOOL_NAMES.getCarDetails]: tool({ description: "Detalles de un auto", inputSchema: getCarDetailsInput, execute: async ({ stockId }) => carDetails(catalog, stockId) }),
    [TOOL_NAMES.calculateFinancing]: tool({ description: "Calcula el financiamiento", inputSchema: calculateFinancingInput, execute: async (input) => financing(catalog, input) }),
    [TOOL_NAMES.calculateAffordablePrice]: tool({ description: "Precio máximo según pago mensual", inputSchema: calculateAffordablePriceInput, execute: async (input) => affordable(input) }),
    [TOOL_NAMES.searchKnowledge]: tool({ description: "Busca en la base de conocimiento de Kavak", inputSchema: searchKnowledgeInput, execute: async ({ query }) => knowledge(query) }),
  };
};
