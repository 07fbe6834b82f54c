import { tool } from "ai";
import { Effect } from "effect";
import { z } from "zod";
import type { CarStore } from "../knowledge/catalog/car-store.ts";
import { ANNUAL_RATE_LABEL, quoteFinancing } from "../knowledge/financing/financing-service.ts";
import type { QuoteStore } from "../knowledge/financing/quote-store.ts";
import { calculateFinancingInput, type CalculateFinancingInput, type CalculateFinancingOutput } from "./contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

/** The quote is stored with the conversation it was made in. */
export const calculateFinancingContext = z.object({ conversationId: z.string() });

export const calculateFinancing = (input: CalculateFinancingInput, conversationId: string | null) =>
  quoteFinancing({ ...input, conversationId }).pipe(
    Effect.map(({ quote, car }): CalculateFinancingOutput => ({
      ok: true,
      quoteId: quote.id,
      car,
      price: quote.price,
      downPayment: quote.downPayment,
      financed: quote.financed,
      annualRate: ANNUAL_RATE_LABEL,
      plans: quote.plans,
    })),
  );

export const calculateFinancingTool = (run: RunTool<CarStore | QuoteStore>) =>
  tool({
    description:
      "Simula el financiamiento de un auto del catálogo (stockId) o de un precio: tasa fija de 10% anual, plazos de 36, 48, 60 o 72 meses, enganche en pesos o porcentaje. Devuelve el pago mensual y totales por plazo, o un error explicable.",
    inputSchema: modelSchema(calculateFinancingInput),
    contextSchema: calculateFinancingContext,
    execute: (input, { context }) => run(calculateFinancing(input, context.conversationId)),
  });
