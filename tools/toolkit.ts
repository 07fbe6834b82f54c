/**
 * The agent's tools as AI SDK tools, bound to this process's services. Tool failures become a
 * typed error output the model can explain, never an exception that ends the turn.
 */
import { tool, type ToolSet } from "ai";
import { Context, Effect, Layer } from "effect";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { QuoteStore } from "../knowledge/financing/quote-store.ts";
import { getCarDetails } from "./car-details.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import {
  TOOL_NAMES,
  calculateAffordablePriceInput,
  calculateFinancingInput,
  getCarDetailsInput,
  searchCarsInput,
  searchKnowledgeInput,
} from "./contracts.ts";
import { affordablePrice, quoteFinancing } from "../knowledge/financing/financing-service.ts";
import { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { searchCars } from "./search-cars.ts";

export interface TurnContext {
  readonly conversationId: string;
}

export interface ToolkitShape {
  readonly toolsFor: (turn: TurnContext) => ToolSet;
}

type ToolServices = CatalogSearch | CarStore | QuoteStore | KnowledgeSearch;

export class Toolkit extends Context.Service<Toolkit, ToolkitShape>()("Toolkit") {
  static readonly layer = Layer.effect(
    Toolkit,
    Effect.gen(function* () {
      const services = yield* Effect.context<ToolServices>();
      const run = <A, E>(effect: Effect.Effect<A, E, ToolServices>): Promise<A | { ok: false; error: { code: string; message: string } }> =>
        Effect.runPromiseWith(services)(
          effect.pipe(
            Effect.catchCause((cause) =>
              Effect.logError("tool failed", cause).pipe(
                Effect.as({ ok: false as const, error: { code: "tool_unavailable", message: "No pude consultar esa información en este momento." } }),
              ),
            ),
          ),
        );

      return Toolkit.of({
        toolsFor: ({ conversationId }) => ({
          [TOOL_NAMES.searchCars]: tool({
            description:
              "Busca autos en el catálogo de Kavak por texto (marca, modelo, versión; tolera errores), filtros de precio, año, km, equipamiento, tipo de carrocería o necesidades, y orden. Devuelve los autos encontrados, el total y, si no hay resultados, las opciones más cercanas.",
            inputSchema: searchCarsInput,
            execute: (input) => run(searchCars(input)),
          }),
          [TOOL_NAMES.getCarDetails]: tool({
            description: "Detalles de un auto del catálogo por su número de inventario (stockId).",
            inputSchema: getCarDetailsInput,
            execute: (input) => run(getCarDetails(input)),
          }),
          [TOOL_NAMES.calculateFinancing]: tool({
            description:
              "Simula el financiamiento de un auto del catálogo (stockId) o de un precio: tasa fija de 10% anual, plazos de 36, 48, 60 o 72 meses, enganche en pesos o porcentaje. Devuelve el pago mensual y totales por plazo, o un error explicable.",
            inputSchema: calculateFinancingInput,
            execute: (input) => run(quoteFinancing({ ...input, conversationId }).pipe(Effect.map(({ output }) => output))),
          }),
          [TOOL_NAMES.calculateAffordablePrice]: tool({
            description:
              "Simulación inversa: dado un pago mensual máximo (y enganche opcional), el precio más alto de auto que alcanza en cada plazo, al 10% anual.",
            inputSchema: calculateAffordablePriceInput,
            execute: (input) => Promise.resolve(affordablePrice(input)),
          }),
          [TOOL_NAMES.searchKnowledge]: tool({
            description:
              "Busca en la base de conocimiento de Kavak (sedes, horarios, garantía, periodo de prueba, financiamiento, documentos, auto a cuenta, vender tu auto, app). Si no devuelve resultados, no sabes la respuesta.",
            inputSchema: searchKnowledgeInput,
            execute: (input) => run(Effect.gen(function* () {
              const results = yield* (yield* KnowledgeSearch).search(input.query);
              return { results };
            })),
          }),
        }),
      });
    }),
  );
}
