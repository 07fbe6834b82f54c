/**
 * Financing simulations that are validated, computed exactly and stored. Domain results; invalid
 * requests fail with a FinancingError whose message can be read to a customer as is.
 */
import { Data, Effect, Result } from "effect";
import { CarStore } from "../catalog/car-store.ts";
import { QuoteStore, type StoredQuote } from "./quote-store.ts";
import { ALLOWED_TERMS, ANNUAL_RATE_PERCENT, maxFinancedFor, simulateFinancing, validateFinancing, type Term } from "./financing-math.ts";

export const ANNUAL_RATE_LABEL = `${ANNUAL_RATE_PERCENT}%`;
const ANNUAL_RATE_DECIMAL = (ANNUAL_RATE_PERCENT / 100).toFixed(2);

export type FinancingErrorCode =
  | "car_not_found"
  | "missing_price"
  | "invalid_price"
  | "invalid_down_payment"
  | "down_payment_too_high"
  | "invalid_term"
  | "invalid_budget";

export class FinancingError extends Data.TaggedError("FinancingError")<{
  readonly code: FinancingErrorCode;
  /** Spanish, fit to be said to the customer. */
  readonly message: string;
}> {}

export interface FinancingRequest {
  readonly stockId?: number | undefined;
  readonly price?: number | undefined;
  readonly downPayment?: number | undefined;
  readonly downPaymentPercent?: number | undefined;
  readonly termMonths?: ReadonlyArray<number> | undefined;
  readonly conversationId: string | null;
}

export interface QuotedCar {
  readonly stockId: number;
  readonly make: string;
  readonly model: string;
  readonly year: number;
  readonly version: string;
}

export interface FinancingQuote {
  readonly quote: StoredQuote;
  /** The catalog car the quote is for, or null for a bare price. */
  readonly car: QuotedCar | null;
}

const fail = (code: FinancingErrorCode, message: string) => Effect.fail(new FinancingError({ code, message }));

/** Down payment from an amount or a percentage of the price, half-up to the peso. */
const resolveDownPayment = (price: number, request: FinancingRequest) => {
  if (request.downPayment !== undefined) return Effect.succeed(request.downPayment);
  if (request.downPaymentPercent === undefined) return Effect.succeed(0);
  const percent = request.downPaymentPercent;
  if (!Number.isFinite(percent) || percent < 0 || percent >= 100)
    return fail("invalid_down_payment", "El porcentaje de enganche debe estar entre 0% y menos de 100%.");
  // Percent may carry decimals (12.5%): scale to an integer number of basis points first.
  const basisPoints = Math.round(percent * 100);
  return Effect.succeed(Math.floor((price * basisPoints + 5000) / 10000));
};

/**
 * A request the customer got wrong is an answer, not a fault: the span ends OK with the rejection
 * as an attribute, and the FinancingError is raised outside it.
 */
const rejectionsOutsideSpan =
  (name: string) =>
  <A, E, R>(effect: Effect.Effect<A, E | FinancingError, R>): Effect.Effect<A, E | FinancingError, R> =>
    effect.pipe(
      Effect.map((value) => Result.succeed(value) as Result.Result<A, FinancingError>),
      Effect.catchIf(
        (error): error is FinancingError => error instanceof FinancingError,
        (rejection) => Effect.annotateCurrentSpan("financing.rejected", rejection.code).pipe(Effect.as(Result.fail(rejection))),
      ),
      Effect.withSpan(name),
      Effect.flatMap(Effect.fromResult),
    );

/** Validates, computes and stores one simulation. */
export const quoteFinancing = (request: FinancingRequest) => quote(request).pipe(rejectionsOutsideSpan("financing.quote"));

const quote = Effect.fnUntraced(function* (request: FinancingRequest) {
  let price = request.price;
  let car: QuotedCar | null = null;
  if (request.stockId !== undefined) {
    const found = yield* (yield* CarStore).get(request.stockId);
    if (!found) return yield* fail("car_not_found", `No encontré el auto con número de inventario ${request.stockId}.`);
    price = found.price;
    car = { stockId: found.stockId, make: found.make, model: found.model, year: found.year, version: found.version };
  }
  if (price === undefined) return yield* fail("missing_price", "Necesito el auto o el precio para calcular el financiamiento.");
  const downPayment = yield* resolveDownPayment(price, request);
  const terms = request.termMonths && request.termMonths.length > 0 ? request.termMonths : ALLOWED_TERMS;
  const problem = validateFinancing(price, downPayment, terms);
  if (problem) return yield* fail(problem.code, problem.message);

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
  const result: FinancingQuote = { quote: { ...quote, plans: simulation.plans }, car };
  return result;
});

export interface AffordablePlans {
  readonly monthlyBudget: number;
  readonly downPayment: number;
  readonly annualRate: string;
  /** Per term: the largest amount financeable and the highest car price reachable (integer pesos). */
  readonly plans: ReadonlyArray<{ readonly termMonths: number; readonly maxFinanced: number; readonly maxPrice: number }>;
}

/** Reverse simulation: the highest car price reachable per term for a monthly budget. */
export const affordablePrices = (input: AffordableRequest) => affordable(input).pipe(rejectionsOutsideSpan("financing.affordable"));

type AffordableRequest = {
  readonly monthlyBudget: number;
  readonly downPayment?: number | undefined;
  readonly termMonths?: ReadonlyArray<number> | undefined;
};

const affordable = Effect.fnUntraced(function* (input: {
  readonly monthlyBudget: number;
  readonly downPayment?: number | undefined;
  readonly termMonths?: ReadonlyArray<number> | undefined;
}) {
  const downPayment = input.downPayment ?? 0;
  if (!Number.isSafeInteger(input.monthlyBudget) || input.monthlyBudget <= 0)
    return yield* fail("invalid_budget", "El pago mensual debe ser un monto positivo en pesos.");
  if (!Number.isSafeInteger(downPayment) || downPayment < 0)
    return yield* fail("invalid_down_payment", "El enganche debe ser un monto en pesos, de 0 en adelante.");
  const terms = input.termMonths && input.termMonths.length > 0 ? input.termMonths : ALLOWED_TERMS;
  const invalid = terms.find((term) => !(ALLOWED_TERMS as ReadonlyArray<number>).includes(term));
  if (invalid !== undefined)
    return yield* fail("invalid_term", `Los plazos disponibles son de 36, 48, 60 o 72 meses; ${invalid} meses no está disponible.`);
  const result: AffordablePlans = {
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
  return result;
});
