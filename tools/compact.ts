/**
 * What of an earlier turn's tool result stays in the model's memory: what later references need
 * ("el segundo", "ese", "el de 2020", "¿y a 60?", "más"), not what was already told to the user.
 * The current turn's results are never compacted. Unknown tools and failures are kept as they are.
 */
import type { CalculateAffordablePriceOutput, CalculateFinancingOutput, CarCard, GetCarDetailsOutput, SearchCarsOutput, SearchKnowledgeOutput } from "./contracts.ts";
import { TOOL_NAMES } from "./contracts.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A car in a list: what tells it apart and what a reference picks it by (position, year, price, km). */
export interface CompactCar {
  readonly stockId: number;
  readonly make: string;
  readonly model: string;
  readonly year: number;
  readonly version: string;
  readonly price: number;
  readonly km: number;
}

const listCar = (car: CarCard): CompactCar => ({ stockId: car.stockId, make: car.make, model: car.model, year: car.year, version: car.version, price: car.price, km: car.km });

/** Total and offset (for "más"), the cars in the order shown; the nearest options only when nothing matched. Facets go. */
export const compactSearch = (output: SearchCarsOutput) => ({
  total: output.total,
  offset: output.offset,
  cars: output.cars.map(listCar),
  ...(output.cars.length === 0 && output.nearest.length > 0 ? { nearest: output.nearest.map(listCar) } : {}),
});

/** The car's card and seats: questions about it ("¿tiene carplay?", "¿es automático?") are answered from them. Dimensions go. */
export const compactDetails = (output: GetCarDetailsOutput): GetCarDetailsOutput | { readonly found: true; readonly car: CarCard & { readonly seats: number | null } } => {
  if (!output.found) return output;
  const { lengthMm: _length, widthMm: _width, heightMm: _height, ...car } = output.car;
  return { found: true, car };
};

/** Which car, price, down payment and terms ("¿y a 60?" keeps the rest) and each term's monthly payment. Totals, rate and ids go. */
export const compactFinancing = (output: CalculateFinancingOutput) => {
  if (!output.ok) return output;
  return {
    ok: true as const,
    car: output.car === null ? null : { stockId: output.car.stockId, make: output.car.make, model: output.car.model, year: output.car.year },
    price: output.price,
    downPayment: output.downPayment,
    plans: output.plans.map((plan) => ({ termMonths: plan.termMonths, monthlyPayment: plan.monthlyPayment })),
  };
};

/** The budget asked about and the highest price per term. */
export const compactAffordable = (output: CalculateAffordablePriceOutput) => {
  if (!output.ok) return output;
  return {
    ok: true as const,
    monthlyBudget: output.monthlyBudget,
    downPayment: output.downPayment,
    plans: output.plans.map((plan) => ({ termMonths: plan.termMonths, maxPrice: plan.maxPrice })),
  };
};

/** Only what was looked up: the answer itself is in the assistant's reply, and a new question searches again. */
export const compactKnowledge = (output: SearchKnowledgeOutput) => ({ titles: [...new Set(output.results.map((result) => result.title))] });

const isCarCard = (v: unknown): v is CarCard =>
  isObject(v) && typeof v.stockId === "number" && typeof v.make === "string" && typeof v.model === "string" && typeof v.year === "number" && typeof v.price === "number";

export const compactForMemory = (toolName: string, output: unknown): unknown => {
  if (!isObject(output)) return output;
  switch (toolName) {
    case TOOL_NAMES.searchCars:
      return Array.isArray(output.cars) && output.cars.every(isCarCard) && (output.nearest === undefined || (Array.isArray(output.nearest) && output.nearest.every(isCarCard)))
        ? compactSearch({ ...(output as unknown as SearchCarsOutput), nearest: (output.nearest as CarCard[] | undefined) ?? [] })
        : output;
    case TOOL_NAMES.getCarDetails:
      return output.found === true && isCarCard(output.car) ? compactDetails(output as unknown as GetCarDetailsOutput) : output;
    case TOOL_NAMES.calculateFinancing:
      return output.ok === true && Array.isArray(output.plans) ? compactFinancing(output as unknown as CalculateFinancingOutput) : output;
    case TOOL_NAMES.calculateAffordablePrice:
      return output.ok === true && Array.isArray(output.plans) ? compactAffordable(output as unknown as CalculateAffordablePriceOutput) : output;
    case TOOL_NAMES.searchKnowledge:
      return Array.isArray(output.results) && output.results.every((r) => isObject(r) && typeof r.title === "string")
        ? compactKnowledge(output as unknown as SearchKnowledgeOutput)
        : output;
    default:
      return output;
  }
};
