/** What the NLU understands from one user message. Field names follow the tools' inputs. */

export const INTENTS = [
  "greeting",
  "thanks",
  "goodbye",
  "help",
  "search_cars",
  "more_results",
  "car_details",
  "financing",
  "affordability",
  "knowledge",
  "cancel",
  "off_topic",
  "injection",
  "gibberish",
  "provide_info",
  "affirm",
  "deny",
] as const;
export type Intent = (typeof INTENTS)[number];

export type BodyType = "sedan" | "hatchback" | "suv" | "pickup" | "minivan" | "coupe";
export type Need = "familiar" | "economico" | "premium" | "ciudad" | "siete_pasajeros";
export type Sort = "price_asc" | "price_desc" | "year_desc" | "year_asc" | "km_asc";

/** A pointer back at a car shown before. */
export type CarReference =
  | { readonly kind: "ordinal"; readonly index: number } // 1-based; -1 = the last one
  | { readonly kind: "this" } // "ese", "este", "el que me mostraste"
  | { readonly kind: "year"; readonly year: number } // "el de 2020"
  | { readonly kind: "cheapest" }
  | { readonly kind: "priciest" }
  | { readonly kind: "newest" }
  | { readonly kind: "least_km" }
  | { readonly kind: "stock"; readonly stockId: number }; // "(stock 283547)": the web widget's card buttons

export interface Slots {
  // search
  make?: string;
  model?: string;
  /** More models named in the same search ("un Jetta o un Vento"): one search each. */
  otherModels?: Array<{ make: string; model: string }>;
  /** Words that look like a model the vocabulary does not know. */
  query?: string;
  minPrice?: number;
  maxPrice?: number;
  minYear?: number;
  maxYear?: number;
  maxKm?: number;
  bluetooth?: boolean;
  carPlay?: boolean;
  transmission?: "automatica" | "manual";
  bodyTypes?: BodyType[];
  needs?: Need[];
  sort?: Sort;
  // references
  reference?: CarReference;
  // financing
  price?: number;
  downPayment?: number;
  downPaymentPercent?: number;
  termMonths?: number[] | "all";
  monthlyBudget?: number;
  /** An amount with no role yet ("50 mil" as an answer): the dialogue decides what it fills. */
  amount?: number;
}

export interface Understanding {
  readonly intent: Intent;
  readonly slots: Slots;
  /**
   * Another reading the conversation may prefer: "¿se puede financiar?" asks the knowledge base when
   * no car is being discussed, and starts financing the car in focus when one is.
   */
  readonly alternative?: Understanding;
  /** What the message means in this conversation, set by dialogue/in-context.ts (issue 13). */
  readonly cue?: "complaint" | "english" | "compare" | "prices" | "size" | "fallback" | "buy";
  /** The single best car of the whole last search by this order ("la más barata" over every result, not the five shown). */
  readonly best?: Sort;
  /** What the customer's own car is worth ("mi march vale 120 mil"): a down payment, never a car to search. */
  readonly tradeIn?: number;
  /**
   * A Kavak question asked in the same message as a car request ("¿cuánto cuesta el Tracker? ¿y
   * tiene garantía?"): the car part is this understanding, this clause goes to the knowledge base too.
   */
  readonly also?: string;
  /** The message was written in English (the reply says we attend in Spanish). */
  readonly english?: boolean;
}
