/** What the conversation so far established, rebuilt from the prompt on every call. */
import type { CalculateAffordablePriceOutput, CarCard, SearchCarsInput, SearchCarsOutput } from "../../../tools/contracts.ts";
import type { BodyType, Need } from "../nlu/types.ts";

/** How to find the car a financing request names when it is not among the cars shown. */
export interface CarQuery {
  readonly make?: string;
  readonly model?: string;
  readonly query?: string;
  readonly minYear?: number;
  readonly maxYear?: number;
}

export interface FinancingFrame {
  readonly car?: CarCard;
  readonly carQuery?: CarQuery;
  /** A stated price, for a car outside the catalog. */
  readonly price?: number;
  readonly downPayment?: number;
  readonly downPaymentPercent?: number;
  readonly termMonths?: ReadonlyArray<number> | "all";
}

export interface AffordabilityFrame {
  readonly monthlyBudget?: number;
  readonly downPayment?: number;
  readonly termMonths?: ReadonlyArray<number>;
  readonly bodyTypes?: ReadonlyArray<BodyType>;
  readonly needs?: ReadonlyArray<Need>;
}

export interface QuoteMemory {
  readonly car?: CarCard;
  readonly price: number;
  readonly downPayment: number;
  /** Set when the quote was asked as a percentage, so a new term keeps "20%" rather than its amount. */
  readonly downPaymentPercent?: number;
  readonly termMonths: ReadonlyArray<number>;
}

export interface DialogueState {
  /** The list the user saw last (search results, or the nearest options when nothing matched). */
  readonly shown: ReadonlyArray<CarCard>;
  readonly lastSearch?: { readonly input: SearchCarsInput; readonly output: SearchCarsOutput };
  /** The car being talked about. */
  readonly focus?: CarCard;
  /** Which flow a bare answer ("50 mil", "a 48 meses") belongs to. */
  readonly flow?: "financing" | "affordability";
  readonly financing?: FinancingFrame;
  readonly affordability?: AffordabilityFrame;
  readonly lastQuote?: QuoteMemory;
  readonly lastAffordable?: Extract<CalculateAffordablePriceOutput, { ok: true }>;
  /** A down payment the user already stated (for a budget, or for a quote left unfinished). */
  readonly preferredDown?: { readonly downPayment?: number; readonly downPaymentPercent?: number };
  /** Every car any tool returned, by stock id. */
  readonly known: ReadonlyMap<number, CarCard>;
  /** Cars whose get_car_details output is in the conversation: a question about them needs no new call. */
  readonly detailed?: ReadonlySet<number>;
  /** What the previous turn asked the knowledge base, so "¿y en Puebla?" is read in its light. */
  readonly lastKnowledgeQuery?: string;
  /** A monthly payment the customer said they can afford: later quotes are checked against it. */
  readonly monthlyBudget?: number;
  /** What the customer's own car is worth, offered as the down payment. */
  readonly tradeIn?: number;
}

export const emptyState = (): DialogueState => ({ shown: [], known: new Map() });
