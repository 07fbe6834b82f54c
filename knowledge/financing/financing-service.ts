/** Financing simulations that are validated, computed exactly and stored, for the tool and the API. */
import { Effect } from "effect";
import { CarStore } from "../catalog/car-store.ts";
import { QuoteStore, type StoredQuote } from "./quote-store.ts";
import type { CalculateAffordablePriceInput, CalculateAffordablePriceOutput, CalculateFinancingOutput } from "../../tools/contracts.ts";
import { ALLOWED_TERMS, ANNUAL_RATE_PERCENT, maxFinancedFor, simulateFinancing, validateFinancing, type Term } from "./financing-math.ts";

export const ANNUAL_RATE_LABEL = `${ANNUAL_RATE_PERCENT}%`;
const ANNUAL_RATE_DECIMAL = (ANNUAL_RATE_PERCENT / 100).toFixed(2);

export interface FinancingRequest {
  readonly stockId?: number | undefined;
  readonly price?: number | undefined;
  readonly downPayment?: number | undefined;
  readonly downPaymentPercent?: number | undefined;
  readonly termMonths?: ReadonlyArray<number> | undefined;
  readonly conversationId: string | null;
}

type Failure = Extract<CalculateFinancingOutput, { ok: false }>;
const failure = (code: Failure["error"]["code"], message: string): Failure => ({ ok: false, error: { code, message } });

/** Down payment from an amount or a percentage of the price, half-up to the peso. */
const resolveDownPayment = (price: number, request: FinancingRequest): number | Failure => {
  if (request.downPayment !== undefined) return request.downPayment;
  if (request.downPaymentPercent === undefined) return 0;
  const percent = request.downPaymentPercent;
  if (!Number.isFinite(percent) || percent < 0 || percent >= 100)
    return failure("invalid_down_payment", "El porcentaje de enganche debe estar entre 0% y menos de 100%.");
  // Percent may carry decimals (12.5%): scale to an integer number of basis points first.
  const basisPoints = Math.round(percent * 100);
  return Math.floor((price * basisPoints + 5000) / 10000);
};

/** Validates, computes and stores one simulation. */
export const quoteFinancing = Effect.fn("financing.quote")(function* (request: FinancingRequest) {
  let price = request.price;
  let car: StoredCarRef | null = null;
  if (request.stockId !== undefined) {
    const found = yield* (yield* CarStore).get(request.stockId);
    if (!found) return { output: failure("car_not_found", `No encontré el auto con número de inventario ${request.stockId}.`), quote: undefined };
    price = found.price;
    car = { stockId: found.stockId, make: found.make, model: found.model, year: found.year, version: found.version };
  }
  if (price === undefined) return { output: failure("missing_price", "Necesito el auto o el precio para calcular el financiamiento."), quote: undefined };
  const downPayment = resolveDownPayment(price, request);
  if (typeof downPayment !== "number") return { output: downPayment, quote: undefined };
  const terms = request.termMonths && request.termMonths.length > 0 ? request.termMonths : ALLOWED_TERMS;
  const problem = validateFinancing(price, downPayment, terms);
  if (problem) return { output: failure(problem.code, problem.message), quote: undefined };

  const simulation = simulateFinancing(price, downPayment, terms as ReadonlyArray<Term>);
  const quote = yield* (yield* QuoteStore).save({
    conversationId: request.conversationId,
    stockId: car?.stockId ?? null,
    price,
    downPayment,
    financed: simulation.financed,
    annualRate: ANNUAL_RATE_DECIMAL,
    plans: simulation.plans,
  });
  const output: CalculateFinancingOutput = {
    ok: true,
    quoteId: quote.id,
    car,
    price,
    downPayment,
    financed: simulation.financed,
    annualRate: ANNUAL_RATE_LABEL,
    plans: simulation.plans,
  };
  return { output, quote: quote as StoredQuote | undefined };
});

type StoredCarRef = { stockId: number; make: string; model: string; year: number; version: string };

/** Reverse simulation: the highest car price reachable per term for a monthly budget. */
export const affordablePrice = (input: CalculateAffordablePriceInput): CalculateAffordablePriceOutput => {
  const downPayment = input.downPayment ?? 0;
  if (!Number.isSafeInteger(input.monthlyBudget) || input.monthlyBudget <= 0)
    return { ok: false, error: { code: "invalid_budget", message: "El pago mensual debe ser un monto positivo en pesos." } };
  if (!Number.isSafeInteger(downPayment) || downPayment < 0)
    return { ok: false, error: { code: "invalid_down_payment", message: "El enganche debe ser un monto en pesos, de 0 en adelante." } };
  const terms = input.termMonths && input.termMonths.length > 0 ? input.termMonths : ALLOWED_TERMS;
  const invalid = terms.find((term) => !(ALLOWED_TERMS as ReadonlyArray<number>).includes(term));
  if (invalid !== undefined)
    return { ok: false, error: { code: "invalid_term", message: `Los plazos disponibles son de 36, 48, 60 o 72 meses; ${invalid} meses no está disponible.` } };
  return {
    ok: true,
    monthlyBudget: input.monthlyBudget,
    downPayment,
    annualRate: ANNUAL_RATE_LABEL,
    plans: [...new Set(terms as ReadonlyArray<Term>)]
      .sort((a, b) => a - b)
      .map((termMonths) => {
        const maxFinanced = maxFinancedFor(input.monthlyBudget, termMonths);
        return { termMonths, maxFinanced, maxPrice: maxFinanced + downPayment };
      }),
  };
};
