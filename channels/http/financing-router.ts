/**
 * Financing quotes over HTTP. Money: integer pesos in requests (price, downPayment) and for whole
 * amounts in responses (price, downPayment, financed); decimal strings with two decimals for
 * computed amounts (monthlyPayment, totals, schedule rows).
 */
import { Effect } from "effect";
import express from "express";
import { z } from "zod";
import type { CarStore } from "../../knowledge/catalog/car-store.ts";
import type { QuoteStore, StoredQuote } from "../../knowledge/financing/quote-store.ts";
import { QuoteStore as QuoteStoreService } from "../../knowledge/financing/quote-store.ts";
import { ALLOWED_TERMS, amortizationSchedule, type Term } from "../../knowledge/financing/financing-math.ts";
import { FinancingError, quoteFinancing, type FinancingErrorCode } from "../../knowledge/financing/financing-service.ts";
import { sendError } from "../errors.ts";

export interface FinancingRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, CarStore | QuoteStore>) => Promise<A>;
}

const pesos = (field: string) => z.number({ error: `${field} must be a number of pesos` }).int(`${field} must be whole pesos (no cents)`);

const quoteRequest = z
  .object({
    stockId: z.number().int().positive("stockId must be a positive integer").optional(),
    price: pesos("price").positive("price must be greater than 0").optional(),
    downPayment: pesos("downPayment").nonnegative("downPayment must be 0 or more").default(0),
    termMonths: z
      .array(z.number().int(), { error: "termMonths must be a list of months" })
      .min(1, "termMonths must list at least one term")
      .max(4)
      .refine((terms) => terms.every((t) => (ALLOWED_TERMS as ReadonlyArray<number>).includes(t)), "termMonths must be among 36, 48, 60, 72")
      .default([...ALLOWED_TERMS]),
  })
  .strict()
  .refine((body) => (body.stockId === undefined) !== (body.price === undefined), { message: "give exactly one of stockId or price", path: ["stockId"] });

const FIELD_OF_ERROR: Record<FinancingErrorCode, { field: string; message: string; status: number }> = {
  car_not_found: { field: "stockId", message: "no car with that stockId", status: 404 },
  missing_price: { field: "price", message: "give stockId or price", status: 400 },
  invalid_price: { field: "price", message: "price must be a positive whole number of pesos", status: 400 },
  invalid_down_payment: { field: "downPayment", message: "downPayment must be a whole number of pesos, 0 or more", status: 400 },
  down_payment_too_high: { field: "downPayment", message: "downPayment must be below the price (valid range: 0 to price - 1)", status: 400 },
  invalid_term: { field: "termMonths", message: "termMonths must be among 36, 48, 60, 72", status: 400 },
  invalid_budget: { field: "monthlyBudget", message: "monthlyBudget must be a positive whole number of pesos", status: 400 },
};

const withSchedules = (quote: StoredQuote) => ({
  id: quote.id,
  stockId: quote.stockId,
  price: quote.price,
  downPayment: quote.downPayment,
  financed: quote.financed,
  annualRate: quote.annualRate,
  createdAt: quote.createdAt.toISOString(),
  plans: quote.plans.map((plan) => ({ ...plan, schedule: amortizationSchedule(quote.financed, plan.termMonths as Term) })),
});

export const financingRouter = ({ run }: FinancingRouterDeps) => {
  const router = express.Router();

  router.post("/quotes", async (req, res) => {
    const parsed = quoteRequest.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return res.status(400).json({ error: { code: "invalid_request", field: issue.path.join(".") || undefined, message: issue.message } });
    }
    const outcome = await run(
      quoteFinancing({ ...parsed.data, conversationId: null }).pipe(Effect.catchTag("FinancingError", (error) => Effect.succeed(error))),
    );
    if (outcome instanceof FinancingError) {
      const mapped = FIELD_OF_ERROR[outcome.code];
      return res.status(mapped.status).json({ error: { code: outcome.code, field: mapped.field, message: mapped.message } });
    }
    res.status(201).location(`${req.baseUrl}/quotes/${outcome.quote.id}`).json(withSchedules(outcome.quote));
  });

  router.get("/quotes/:id", async (req, res) => {
    const id = String(req.params.id);
    if (!/^q_[0-9a-f-]{36}$/.test(id)) return sendError(res, 404, "quote_not_found", `No quote with id ${id}.`);
    const quote = await run(QuoteStoreService.use((store) => store.get(id)));
    if (!quote) return sendError(res, 404, "quote_not_found", `No quote with id ${id}.`);
    res.json(withSchedules(quote));
  });

  return router;
};
