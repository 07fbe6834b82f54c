/** One user message in, its intent and slots out. Pure and deterministic. */
import { BARE_APPROXIMATION, findAmounts } from "./amounts.ts";
import { findCarMention, findModelMentions } from "./car-mention.ts";
import { applyCorrection, findCorrection } from "./corrections.ts";
import { findFeatures, withFeatureSpelling } from "./features.ts";
import { findFreeModelText } from "./free-text.ts";
import { asksAboutOneCar, bodyTypeOnlyNamesFocus, namesCarInFocus, NEED_ASKED } from "./car-questions.ts";
import { asksForFinancing, classifyIntent } from "./intent.ts";
import { isCarRequest } from "./search-cues.ts";
import { isFinancingCapabilityQuestion } from "./kavak-question.ts";
import { expandShorthand, normalize, spellOutNumbers, squeezeRepeats, words } from "./normalize.ts";
import { findReference, findStockMention } from "./references.ts";
import { findTerms } from "./terms.ts";
import type { Intent, Slots, Sort, Understanding } from "./types.ts";
import { findYears } from "./years.ts";
import { findPhone, withoutPhone } from "./phone.ts";

/** Which slots each intent keeps (the rest are noise for that intent). */
const KEEP: Record<Intent, ReadonlyArray<keyof Slots>> = {
  search_cars: ["make", "model", "otherModels", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs", "sort"],
  more_results: ["make", "model", "otherModels", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs", "sort"],
  car_details: ["make", "model", "minYear", "maxYear", "reference"],
  financing: ["make", "model", "minYear", "maxYear", "reference", "price", "downPayment", "downPaymentPercent", "termMonths", "monthlyBudget"],
  affordability: ["monthlyBudget", "downPayment", "termMonths", "bodyTypes", "needs"],
  provide_info: ["price", "downPayment", "downPaymentPercent", "termMonths", "monthlyBudget", "amount"],
  greeting: [],
  thanks: [],
  goodbye: [],
  help: [],
  knowledge: [],
  cancel: [],
  off_topic: [],
  injection: [],
  gibberish: [],
  affirm: [],
  deny: [],
};

const SORT_AS_REFERENCE: Partial<Record<Sort, "cheapest" | "priciest" | "newest" | "least_km">> = { price_asc: "cheapest", price_desc: "priciest", year_desc: "newest", km_asc: "least_km" };

/** "el más barato", "del más nuevo", "el que tiene menos km": one car, not an order for a list. */
const SINGLE_SUPERLATIVE = /\b(?:el|la|del|al)(?: de| (?:que|q) (?:tiene|tenga|trae|traiga))? (?:mas|menos) \w+/;

/** "...¿es automática?", "...¿tiene carplay?": the feature is asked about, not searched for. */
const FEATURE_ASKED = /\b(?:es|tiene|trae|cuenta con|viene con)\b (?:automatic|estandar|manual|bluetooth|car ?play)/;

const hasFinancingTerms = (slots: Slots): boolean => slots.termMonths !== undefined || slots.downPayment !== undefined || slots.downPaymentPercent !== undefined;

const hasSearchCriteria = (slots: Slots, text: string): boolean =>
  (["make", "model", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bodyTypes", "needs"] as const).some((k) => slots[k] !== undefined) ||
  ((["bluetooth", "carPlay", "transmission"] as const).some((k) => slots[k] !== undefined) && !FEATURE_ASKED.test(text));

const pick = (slots: Slots, keys: ReadonlyArray<keyof Slots>): Slots => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (slots[k] !== undefined) out[k] = slots[k];
  return out as Slots;
};

/**
 * Amounts whose role only the intent tells: "con 50 mil" is a budget when searching and a down
 * payment when financing; "un auto de 300 mil" is a budget or the car's price.
 */
const giveAmountsTheirRole = (intent: Intent, slots: Slots, plain: number | undefined, withAmount: number | undefined): void => {
  if (withAmount !== undefined) {
    if (intent === "search_cars" || intent === "more_results") slots.maxPrice ??= withAmount;
    else if (intent === "financing") slots.downPayment ??= withAmount;
    else if (intent === "affordability") slots.monthlyBudget ??= withAmount;
    else slots.amount ??= withAmount;
  }
  if (plain !== undefined) {
    if (intent === "search_cars" || intent === "more_results") slots.maxPrice ??= plain;
    else if (intent === "financing") slots.price = plain;
    else if (intent === "affordability") slots.monthlyBudget ??= plain;
    else slots.amount ??= plain;
  }
};

const readMessage = (text: string): Understanding => {
  const stock = findStockMention(normalize(text));
  // "mi cel es 5512345678, busco un versa": a phone number is never a price cap
  const unphoned = stock?.rest ?? normalize(text);
  const plainText = withoutPhone(unphoned, findPhone(unphoned)).replace(/\s+/g, " ").trim();
  const normalized = withFeatureSpelling(spellOutNumbers(expandShorthand(squeezeRepeats(plainText))));
  const terms = findTerms(normalized);
  const years = findYears(normalized);
  const amounts = findAmounts(normalized, [...(terms?.spans ?? []), ...(years?.spans ?? [])]);
  const car = findCarMention(normalized);
  const features = findFeatures(normalized);
  const reference = stock?.reference ?? findReference(normalized);

  const slots: Slots = { ...features };
  if (slots.bodyTypes !== undefined && bodyTypeOnlyNamesFocus(normalized)) delete slots.bodyTypes;
  // "la camioneta de 2021, ¿trae cámara?": the body type names the car pointed at
  if (slots.bodyTypes !== undefined && reference?.kind === "year" && /\b(?:el|la|ese|esa) (?:camioneta|suv|sedan|pick ?up|troca|minivan|hatchback|hatch)s? (?:del?|modelo) (?:19|20)\d\d\b/.test(normalized)) delete slots.bodyTypes;
  // "si dejo mi Aveo de enganche…": the user's own car, not one to buy
  const ownCar = car.tokens.length > 0 && /^(?:mi|mis|nuestro|nuestra)$/.test(words(normalized)[Math.min(...car.tokens) - 1] ?? "");
  if (car.make !== undefined && !ownCar) slots.make = car.make;
  if (car.model !== undefined && !ownCar) slots.model = car.model;
  const others = findModelMentions(normalized).filter((m) => m.model !== car.model);
  if (car.model !== undefined && others.length > 0) slots.otherModels = others.filter((m, i) => others.findIndex((o) => o.model === m.model) === i).slice(0, 2);
  const query = findFreeModelText(normalized, car.tokens, car.make !== undefined && car.model === undefined);
  if (query !== undefined) slots.query = query;
  if (reference !== undefined) slots.reference = reference;
  // "¿la camioneta es familiar?": a need asked of the car being discussed, not one to search for
  else if (namesCarInFocus(normalized) && NEED_ASKED.test(normalized)) {
    slots.reference = { kind: "this" };
    delete slots.needs;
    delete slots.bodyTypes;
  }
  if (years !== undefined && reference?.kind !== "year") {
    if (years.minYear !== undefined) slots.minYear = years.minYear;
    if (years.maxYear !== undefined) slots.maxYear = years.maxYear;
    if (years.exact !== undefined && years.minYear === undefined && years.maxYear === undefined) {
      slots.minYear = years.exact;
      slots.maxYear = years.exact;
    }
  }
  if (amounts.minPrice !== undefined) slots.minPrice = amounts.minPrice;
  if (amounts.maxPrice !== undefined) slots.maxPrice = amounts.maxPrice;
  if (amounts.maxKm !== undefined) slots.maxKm = amounts.maxKm;
  if (amounts.downPayment !== undefined) slots.downPayment = amounts.downPayment;
  if (amounts.downPaymentPercent !== undefined) slots.downPaymentPercent = amounts.downPaymentPercent;
  if (amounts.monthlyBudget !== undefined) slots.monthlyBudget = amounts.monthlyBudget;
  if (terms !== undefined) slots.termMonths = terms.termMonths;

  // "el que tiene menos km, ¿qué versión es?", "simúlame el crédito del más barato": one car among
  // those shown, picked by a superlative, asked about or financed (a search would say "los más baratos")
  const pointed = slots.sort === undefined ? undefined : SORT_AS_REFERENCE[slots.sort];
  if (pointed !== undefined && slots.reference === undefined && SINGLE_SUPERLATIVE.test(normalized) && (asksAboutOneCar(normalized) || asksForFinancing(normalized) || hasFinancingTerms(slots)) && !hasSearchCriteria(slots, normalized)) {
    slots.reference = { kind: pointed };
    delete slots.sort;
  }

  const plain = amounts.plainPrice;
  const withAmount = amounts.withAmount;
  const intent = classifyIntent(normalized, slots, plain !== undefined || withAmount !== undefined, plainText, car);
  giveAmountsTheirRole(intent, slots, plain, withAmount);
  // "bajo kilometraje, menos de 60 mil km": the bound says it, no order needed
  if (slots.sort === "km_asc" && slots.maxKm !== undefined && /\b(?:poco|pocos|bajo)\s+(?:km|kms|kilometraje|kilometros|recorrido)\b/.test(normalized)) delete slots.sort;
  // "queremos algo más nuevo, una camioneta...": newer than the car they have, not a list ordered by
  // year (after results, "¿y algo más nuevo?" asks for more results, newest first)
  if (intent === "search_cars" && slots.sort === "year_desc" && /\balgo mas (?:nuevo|reciente|moderno)\b/.test(normalized)) delete slots.sort;
  // "¿el auto tiene carplay?": "el auto" points at the car being discussed, like "ese"
  if (intent === "car_details" && slots.reference === undefined && namesCarInFocus(normalized)) slots.reference = { kind: "this" };
  // "del Forte el más nuevo, ¿cuánto pagaría?": the superlative picks among that model's cars
  const superlative = slots.sort === undefined ? undefined : SORT_AS_REFERENCE[slots.sort];
  if (intent === "financing" && slots.reference === undefined && slots.model !== undefined && superlative !== undefined) slots.reference = { kind: superlative };
  const capability = intent === "knowledge" && isFinancingCapabilityQuestion({ text: normalized, slots, plainAmount: plain !== undefined || withAmount !== undefined, car, carRequest: isCarRequest(normalized, slots) });
  if (capability) return { intent, slots: pick(slots, KEEP[intent]), alternative: { intent: "financing", slots: pick(slots, KEEP.financing) } };
  // "unos 300 mil" answers a question about money; with no question open it is a budget to search with
  if (intent === "provide_info" && slots.amount !== undefined && BARE_APPROXIMATION.test(normalized)) {
    const around = { minPrice: Math.round(slots.amount * 0.9), maxPrice: Math.round(slots.amount * 1.1) };
    return { intent, slots: pick(slots, KEEP[intent]), alternative: { intent: "search_cars", slots: around } };
  }
  return { intent, slots: pick(slots, KEEP[intent]) };
};

export const understand = (text: string): Understanding => {
  const whole = readMessage(text);
  const correction = findCorrection(normalize(text));
  if (correction === undefined) return whole;
  const fixed = applyCorrection(whole.slots, readMessage(correction.before).slots, readMessage(correction.after).slots);
  return fixed === undefined ? whole : { ...whole, slots: pick(fixed, KEEP[whole.intent]) };
};
