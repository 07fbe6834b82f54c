/**
 * Financing quotes over HTTP. Money: integer pesos in requests (price, downPayment) and for whole
 * amounts in responses (price, downPayment, financed); decimal strings with two decimals for
 * computed amounts (monthlyPayment, totals, schedule rows).
 */
import { Effect } from "effect";
import express, { type Response } from "express";
import { DatabaseError } from "../../knowledge/db/database.ts";
import type { CarStore } from "../../knowledge/catalog/car-store.ts";
import type { QuoteStore, StoredQuote } from "../../knowledge/financing/quote-store.ts";
import { QuoteStore as QuoteStoreService } from "../../knowledge/financing/quote-store.ts";
import { amortizationSchedule, type Term } from "../../knowledge/financing/financing-math.ts";
import { FinancingError, quoteFinancing, type FinancingErrorCode } from "../../knowledge/financing/financing-service.ts";
import { sendError } from "../errors.ts";
import { fieldsOf, quoteIdSchema, quoteRequestSchema } from "./schemas.ts";

export interface FinancingRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, CarStore | QuoteStore>) => Promise<A>;
}

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

const storageUnavailable = (res: Response) => sendError(res, 503, "storage_unavailable", "The quote store is not available right now. Try again.");

export const financingRouter = ({ run }: FinancingRouterDeps) => {
  const router = express.Router();

  router.post("/quotes", async (req, res) => {
    if (req.is("application/json") === false)
      return sendError(res, 415, "unsupported_media_type", 'Send the quote request as JSON {"stockId" or "price", "downPayment", "termMonths"}.');
    const parsed = quoteRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const fields = fieldsOf(parsed.error);
      return res.status(400).json({ error: { code: "invalid_request", field: fields[0]!.field === "(body)" ? undefined : fields[0]!.field, message: fields[0]!.message, fields } });
    }
    const outcome = await run(
      quoteFinancing({ ...parsed.data, conversationId: null }).pipe(
        Effect.catchTag("FinancingError", (error) => Effect.succeed(error)),
        Effect.catchTag("DatabaseError", (error) => Effect.succeed(error)),
      ),
    );
    if (outcome instanceof DatabaseError) return storageUnavailable(res);
    if (outcome instanceof FinancingError) {
      const mapped = FIELD_OF_ERROR[outcome.code];
      return res.status(mapped.status).json({ error: { code: outcome.code, field: mapped.field, message: mapped.message } });
    }
    res.status(201).location(`${req.baseUrl}/quotes/${outcome.quote.id}`).json(withSchedules(outcome.quote));
  });

  router.get("/quotes/:id", async (req, res) => {
    const id = quoteIdSchema.safeParse(req.params.id);
    if (!id.success) return sendError(res, 404, "quote_not_found", "No quote with that id.");
    const quote = await run(QuoteStoreService.use((store) => store.get(id.data)).pipe(Effect.catchTag("DatabaseError", (error) => Effect.succeed(error))));
    if (quote instanceof DatabaseError) return storageUnavailable(res);
    if (!quote) return sendError(res, 404, "quote_not_found", `No quote with id ${id.data}.`);
    res.json(withSchedules(quote));
  });

  return router;
};
