/** Reads tool outputs found in the prompt defensively: they are JSON of unknown shape until checked. */
import type {
  CalculateAffordablePriceOutput,
  CalculateFinancingOutput,
  CarCard,
  GetCarDetailsOutput,
  SearchCarsOutput,
  SearchKnowledgeOutput,
} from "../../../tools/contracts.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export const isCar = (v: unknown): v is CarCard =>
  isObject(v) && typeof v.stockId === "number" && typeof v.make === "string" && typeof v.model === "string" && typeof v.year === "number" && typeof v.price === "number";

export const asSearchOutput = (v: unknown): SearchCarsOutput | undefined => {
  if (!isObject(v) || !Array.isArray(v.cars)) return undefined;
  const cars = v.cars.filter(isCar);
  const nearest = Array.isArray(v.nearest) ? v.nearest.filter(isCar) : [];
  const facets = isObject(v.facets) ? (v.facets as unknown as SearchCarsOutput["facets"]) : { makes: [], price: null, year: null };
  return {
    total: typeof v.total === "number" ? v.total : cars.length,
    offset: typeof v.offset === "number" ? v.offset : 0,
    cars,
    nearest,
    facets: { makes: Array.isArray(facets.makes) ? facets.makes : [], price: facets.price ?? null, year: facets.year ?? null },
  };
};

export const asDetailsOutput = (v: unknown): GetCarDetailsOutput | undefined => {
  if (!isObject(v)) return undefined;
  if (v.found === true && isCar(v.car)) return v as unknown as GetCarDetailsOutput;
  if (v.found === false) return { found: false, stockId: typeof v.stockId === "number" ? v.stockId : 0 };
  return undefined;
};

export const asFinancingOutput = (v: unknown): CalculateFinancingOutput | undefined => {
  if (!isObject(v)) return undefined;
  if (v.ok === true && Array.isArray(v.plans) && typeof v.price === "number") return v as unknown as CalculateFinancingOutput;
  if (v.ok === false && isObject(v.error) && typeof v.error.code === "string") return v as unknown as CalculateFinancingOutput;
  return undefined;
};

export const asAffordableOutput = (v: unknown): CalculateAffordablePriceOutput | undefined => {
  if (!isObject(v)) return undefined;
  if (v.ok === true && Array.isArray(v.plans)) return v as unknown as CalculateAffordablePriceOutput;
  if (v.ok === false && isObject(v.error)) return v as unknown as CalculateAffordablePriceOutput;
  return undefined;
};

export const asKnowledgeOutput = (v: unknown): SearchKnowledgeOutput | undefined => {
  if (!isObject(v) || !Array.isArray(v.results)) return undefined;
  return {
    results: v.results.filter((r): r is SearchKnowledgeOutput["results"][number] => isObject(r) && typeof r.text === "string"),
  };
};
