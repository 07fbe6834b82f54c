import { tool } from "ai";
import { Effect } from "effect";
import { affordablePrices } from "../knowledge/financing/financing-service.ts";
import { calculateAffordablePriceInput, type CalculateAffordablePriceOutput } from "./contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

export const calculateAffordablePriceTool = (run: RunTool<never>) =>
  tool({
    description:
      "Simulación inversa: dado un pago mensual máximo (y enganche opcional), el precio más alto de auto que alcanza en cada plazo, al 10% anual.",
    inputSchema: modelSchema(calculateAffordablePriceInput),
    execute: (input) => run(affordablePrices(input).pipe(Effect.map((plans): CalculateAffordablePriceOutput => ({ ok: true, ...plans })))),
  });
