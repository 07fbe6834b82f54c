/**
 * The tools' contract: names, input schemas and output shapes. The agent, the offline model,
 * the channels (cards in the widget) and the evals all depend on exactly this.
 */
import { z } from "zod";

export const TOOL_NAMES = {
  searchCars: "search_cars",
  getCarDetails: "get_car_details",
  calculateFinancing: "calculate_financing",
  calculateAffordablePrice: "calculate_affordable_price",
  searchKnowledge: "search_knowledge",
  // closing the sale (issue 14): contracts in closing-contracts.ts
  requestAdvisor: "request_advisor",
  bookAppointment: "book_appointment",
  manageAppointment: "manage_appointment",
  recordSatisfaction: "record_satisfaction",
  checkFines: "check_fines",
} as const;

export const searchCarsInput = z.object({
  query: z.string().max(200).optional().describe("Texto libre: marca, modelo o versión (tolera errores de dedo)"),
  make: z.string().max(60).optional(),
  model: z.string().max(60).optional(),
  minPrice: z.number().int().nonnegative().optional().describe("Precio mínimo en pesos"),
  maxPrice: z.number().int().positive().optional().describe("Precio máximo en pesos"),
  minYear: z.number().int().min(1990).max(2100).optional(),
  maxYear: z.number().int().min(1990).max(2100).optional(),
  maxKm: z.number().int().positive().optional(),
  bluetooth: z.boolean().optional(),
  carPlay: z.boolean().optional(),
  transmission: z.enum(["automatica", "manual"]).optional(),
  bodyTypes: z.array(z.enum(["sedan", "hatchback", "suv", "pickup", "minivan", "coupe"])).optional(),
  needs: z.array(z.enum(["familiar", "economico", "premium", "ciudad", "siete_pasajeros"])).optional(),
  sort: z.enum(["relevance", "price_asc", "price_desc", "year_desc", "year_asc", "km_asc"]).optional(),
  limit: z.number().int().min(1).max(10).optional(),
  offset: z.number().int().min(0).optional(),
});
export type SearchCarsInput = z.infer<typeof searchCarsInput>;

/** What a tool says about one car. Money in integer pesos. */
export interface CarCard {
  readonly stockId: number;
  readonly make: string;
  readonly model: string;
  readonly year: number;
  readonly version: string;
  readonly price: number;
  readonly km: number;
  readonly transmission: "automatica" | "manual" | null;
  readonly bluetooth: boolean | null;
  readonly carPlay: boolean | null;
  readonly bodyType: string | null;
}

export interface SearchCarsOutput {
  readonly total: number;
  readonly offset: number;
  readonly cars: ReadonlyArray<CarCard>;
  /** When nothing matched: the closest options and what exists (makes, price and year bounds). */
  readonly nearest: ReadonlyArray<CarCard>;
  readonly facets: {
    readonly makes: ReadonlyArray<{ readonly make: string; readonly count: number }>;
    readonly price: { readonly min: number; readonly max: number } | null;
    readonly year: { readonly min: number; readonly max: number } | null;
  };
}

export const getCarDetailsInput = z.object({ stockId: z.number().int().positive() });
export type GetCarDetailsInput = z.infer<typeof getCarDetailsInput>;
export type GetCarDetailsOutput =
  | { readonly found: true; readonly car: CarCard & { readonly lengthMm: number | null; readonly widthMm: number | null; readonly heightMm: number | null; readonly seats: number | null } }
  | { readonly found: false; readonly stockId: number };

/** Inputs are checked by the tool itself (not the schema) so the model can explain a bad term kindly. */
export const calculateFinancingInput = z.object({
  stockId: z.number().int().positive().optional().describe("Auto del catálogo; usa su precio"),
  price: z.number().int().optional().describe("Precio en pesos si no es un auto del catálogo"),
  downPayment: z.number().int().optional().describe("Enganche en pesos"),
  downPaymentPercent: z.number().optional().describe("Enganche como porcentaje del precio (0-99)"),
  termMonths: z.array(z.number().int()).max(6).optional().describe("Plazos en meses: 36, 48, 60 o 72. Vacío = todos"),
});
export type CalculateFinancingInput = z.infer<typeof calculateFinancingInput>;

export interface FinancingPlan {
  readonly termMonths: number;
  /** Decimal strings with two decimals, e.g. "5478.29". */
  readonly monthlyPayment: string;
  readonly totalPaid: string;
  readonly totalInterest: string;
}

export type CalculateFinancingOutput =
  | {
      readonly ok: true;
      readonly quoteId: string;
      readonly car: { readonly stockId: number; readonly make: string; readonly model: string; readonly year: number; readonly version: string } | null;
      readonly price: number;
      readonly downPayment: number;
      readonly financed: number;
      /** "10%" nominal annual. */
      readonly annualRate: string;
      readonly plans: ReadonlyArray<FinancingPlan>;
    }
  | { readonly ok: false; readonly error: { readonly code: FinancingErrorCode; readonly message: string } };

export type FinancingErrorCode =
  | "car_not_found"
  | "missing_price"
  | "invalid_price"
  | "invalid_down_payment"
  | "down_payment_too_high"
  | "invalid_term";

export const calculateAffordablePriceInput = z.object({
  monthlyBudget: z.number().int().positive().describe("Pago mensual máximo en pesos"),
  downPayment: z.number().int().nonnegative().optional(),
  termMonths: z.array(z.number().int()).max(6).optional(),
});
export type CalculateAffordablePriceInput = z.infer<typeof calculateAffordablePriceInput>;
export type CalculateAffordablePriceOutput =
  | {
      readonly ok: true;
      readonly monthlyBudget: number;
      readonly downPayment: number;
      readonly annualRate: string;
      /** Per term: the largest amount financeable and the highest car price reachable (integer pesos). */
      readonly plans: ReadonlyArray<{ readonly termMonths: number; readonly maxFinanced: number; readonly maxPrice: number }>;
    }
  | { readonly ok: false; readonly error: { readonly code: "invalid_budget" | "invalid_term" | "invalid_down_payment"; readonly message: string } };

export const searchKnowledgeInput = z.object({ query: z.string().min(1).max(500) });
export type SearchKnowledgeInput = z.infer<typeof searchKnowledgeInput>;
export interface SearchKnowledgeOutput {
  /**
   * Empty when nothing scores above the relevance threshold: the assistant must abstain.
   * Otherwise the sections an answer quotes: the best one, and a second one only when it answers another part
   * of the question. `reference` is the link or source name the knowledge base keeps for the document.
   */
  readonly results: ReadonlyArray<{ readonly title: string; readonly topic: string; readonly text: string; readonly score: number; readonly reference?: string }>;
}
