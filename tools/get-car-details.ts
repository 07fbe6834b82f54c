import { tool } from "ai";
import { Effect } from "effect";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { toCarCard } from "./car-card.ts";
import { getCarDetailsInput, type GetCarDetailsInput, type GetCarDetailsOutput } from "./contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

export const getCarDetails = Effect.fnUntraced(function* ({ stockId }: GetCarDetailsInput) {
  const car = yield* (yield* CarStore).get(stockId);
  const output: GetCarDetailsOutput = car
    ? { found: true, car: { ...toCarCard(car), lengthMm: car.lengthMm, widthMm: car.widthMm, heightMm: car.heightMm, seats: car.seats } }
    : { found: false, stockId };
  return output;
});

export const getCarDetailsTool = (run: RunTool<CarStore>) =>
  tool({
    description: "Detalles de un auto del catálogo por su número de inventario (stockId).",
    inputSchema: modelSchema(getCarDetailsInput),
    execute: (input) => run(getCarDetails(input)),
  });
