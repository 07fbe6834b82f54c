/**
 * French amortisation at a fixed nominal annual rate compounded monthly, computed exactly with
 * rationals over bigint: the monthly payment is P·r·(1+r)^n / ((1+r)^n − 1), rounded half-up to
 * the cent; totals are the rounded payment times n. With r = 1/120 (10% / 12) every quantity is a
 * ratio of integers, so nothing is lost to floating point.
 */
import { centsToDecimal, divideHalfUp, pesosToCents } from "./money.ts";

export const ANNUAL_RATE_PERCENT = 10;
export const ALLOWED_TERMS = [36, 48, 60, 72] as const;
export type Term = (typeof ALLOWED_TERMS)[number];

/** Monthly rate as a fraction rateNum/rateDen: 10% / 12 = 1/120. */
const RATE_NUM = BigInt(ANNUAL_RATE_PERCENT);
const RATE_DEN = 1200n;

export const isAllowedTerm = (months: number): months is Term => (ALLOWED_TERMS as ReadonlyArray<number>).includes(months);

export type FinancingProblem =
  | { readonly code: "invalid_price"; readonly message: string }
  | { readonly code: "invalid_down_payment"; readonly message: string }
  | { readonly code: "down_payment_too_high"; readonly message: string }
  | { readonly code: "invalid_term"; readonly message: string };

export interface PlanFigures {
  readonly termMonths: Term;
  readonly monthlyPaymentCents: bigint;
  readonly totalPaidCents: bigint;
  readonly totalInterestCents: bigint;
}

/** Monthly payment in cents for a financed amount in cents. */
export const monthlyPaymentCents = (financedCents: bigint, termMonths: number): bigint => {
  // (1+r)^n = ((RATE_DEN + RATE_NUM) / RATE_DEN)^n
  const growthNum = (RATE_DEN + RATE_NUM) ** BigInt(termMonths);
  const growthDen = RATE_DEN ** BigInt(termMonths);
  // payment = P * (RATE_NUM/RATE_DEN) * growthNum / (growthNum - growthDen)
  return divideHalfUp(financedCents * RATE_NUM * growthNum, RATE_DEN * (growthNum - growthDen));
};

export const planFor = (financedCents: bigint, termMonths: Term): PlanFigures => {
  const payment = monthlyPaymentCents(financedCents, termMonths);
  const totalPaid = payment * BigInt(termMonths);
  return { termMonths, monthlyPaymentCents: payment, totalPaidCents: totalPaid, totalInterestCents: totalPaid - financedCents };
};

/** Checks a request; the messages are Spanish because the assistant relays them to the buyer. */
export const validateFinancing = (price: number, downPayment: number, terms: ReadonlyArray<number>): FinancingProblem | undefined => {
  if (!Number.isSafeInteger(price) || price <= 0) return { code: "invalid_price", message: "El precio debe ser un monto positivo en pesos." };
  if (!Number.isSafeInteger(downPayment) || downPayment < 0) return { code: "invalid_down_payment", message: "El enganche debe ser un monto en pesos, de 0 en adelante." };
  if (downPayment >= price) return { code: "down_payment_too_high", message: "El enganche debe ser menor que el precio del auto." };
  const badTerm = terms.find((term) => !isAllowedTerm(term));
  if (badTerm !== undefined || terms.length === 0)
    return { code: "invalid_term", message: `Los plazos disponibles son de 36, 48, 60 o 72 meses (3 a 6 años); ${badTerm ?? "ese plazo"} meses no está disponible.` };
  return undefined;
};

export interface FinancingResult {
  readonly price: number;
  readonly downPayment: number;
  readonly financed: number;
  readonly plans: ReadonlyArray<{ termMonths: Term; monthlyPayment: string; totalPaid: string; totalInterest: string }>;
}

/** The whole simulation for integer-peso inputs; call validateFinancing first. */
export const simulateFinancing = (price: number, downPayment: number, terms: ReadonlyArray<Term>): FinancingResult => {
  const financed = price - downPayment;
  const financedCents = pesosToCents(financed);
  const uniqueTerms = [...new Set(terms)].sort((a, b) => a - b);
  return {
    price,
    downPayment,
    financed,
    plans: uniqueTerms.map((term) => {
      const plan = planFor(financedCents, term);
      return {
        termMonths: term,
        monthlyPayment: centsToDecimal(plan.monthlyPaymentCents),
        totalPaid: centsToDecimal(plan.totalPaidCents),
        totalInterest: centsToDecimal(plan.totalInterestCents),
      };
    }),
  };
};

export interface ScheduleRow {
  readonly month: number;
  readonly payment: string;
  readonly interest: string;
  readonly principal: string;
  readonly balance: string;
}

/**
 * Month-by-month schedule. Interest each month is the balance times r, rounded half-up; the last
 * payment absorbs the rounding so the balance ends at exactly 0.00. A payment never takes the
 * balance below zero: on tiny amounts (a rounded payment of a few cents repays more than is owed)
 * that month pays the balance plus its interest, and the months after it owe 0.00.
 */
export const amortizationSchedule = (financed: number, termMonths: Term): ReadonlyArray<ScheduleRow> => {
  const payment = monthlyPaymentCents(pesosToCents(financed), termMonths);
  let balance = pesosToCents(financed);
  const rows: ScheduleRow[] = [];
  for (let month = 1; month <= termMonths; month++) {
    const interest = divideHalfUp(balance * RATE_NUM, RATE_DEN);
    const closes = month === termMonths || payment - interest > balance;
    const principal = closes ? balance : payment - interest;
    const thisPayment = principal + interest;
    balance -= principal;
    rows.push({
      month,
      payment: centsToDecimal(thisPayment),
      interest: centsToDecimal(interest),
      principal: centsToDecimal(principal),
      balance: centsToDecimal(balance),
    });
  }
  return rows;
};

/**
 * Reverse simulation: the largest amount (whole pesos) whose monthly payment at this term does not
 * exceed the budget.
 */
export const maxFinancedFor = (monthlyBudget: number, termMonths: Term): number => {
  const budgetCents = pesosToCents(monthlyBudget);
  const growthNum = (RATE_DEN + RATE_NUM) ** BigInt(termMonths);
  const growthDen = RATE_DEN ** BigInt(termMonths);
  // Invert the payment formula exactly, then step down to whole pesos whose rounded payment fits.
  let pesos = (budgetCents * RATE_DEN * (growthNum - growthDen)) / (RATE_NUM * growthNum) / 100n;
  while (pesos > 0n && monthlyPaymentCents(pesos * 100n, termMonths) > budgetCents) pesos -= 1n;
  while (monthlyPaymentCents((pesos + 1n) * 100n, termMonths) <= budgetCents) pesos += 1n;
  return Number(pesos);
};
