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
import { memoizeByText } from "../../../lib/memo.ts";

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

/** Below this no car in stock costs anything near: such an amount is a monthly payment or a down payment. */
const NO_CAR_BELOW = 60000;
const MONTHLY_AT_MOST = 25000;
const FITS = /\b(?:me queda|me quedaria|me alcanza|me alcanzaria|alcanza|que (?:auto|carro|coche|sedan|suv|camioneta|troca)s? (?:me|puedo|hay))\b/;
const SAVINGS = /\b(?:tengo|traigo|junte|juntado|ahorr\w*|enganche|dar de entrada|de entrada|para dar)\b/;

/**
 * "¿qué suv me queda en 6 mil a 48 meses?", "tengo como 30 mil": an amount no car costs is not a
 * price or a price cap. A small one with a term or a "what fits" question is the monthly budget; one
 * said as savings is the down payment, and the budget question follows.
 */
const amountsNoCarCosts = (intent: Intent, slots: Slots, text: string): Intent => {
  // "menos de 450 varos": nobody caps a car at $450; the "mil" was left out
  if ((intent === "search_cars" || intent === "more_results") && slots.maxPrice !== undefined && slots.maxPrice >= 50 && slots.maxPrice < 1000) {
    slots.maxPrice *= 1000;
    if (slots.minPrice !== undefined && slots.minPrice < 1000) slots.minPrice *= 1000;
  }
  const named = slots.make !== undefined || slots.model !== undefined || slots.reference !== undefined || slots.query !== undefined;
  // "¿qué sedán me queda con 7 mil a 60 meses?": what fits a small amount is a monthly budget
  if (intent === "financing" && !named && slots.price === undefined && slots.monthlyBudget === undefined && slots.downPayment !== undefined && slots.downPayment > 0 && slots.downPayment <= MONTHLY_AT_MOST && FITS.test(text) && !/\b(?:enganche|entrada|anticipo)\b/.test(text)) {
    slots.monthlyBudget = slots.downPayment;
    delete slots.downPayment;
    return "affordability";
  }
  if (intent === "financing" && slots.price !== undefined && slots.price < NO_CAR_BELOW) {
    const amount = slots.price;
    delete slots.price;
    if (amount <= MONTHLY_AT_MOST || slots.downPayment !== undefined) slots.monthlyBudget ??= amount;
    else slots.downPayment ??= amount;
    return named || slots.monthlyBudget === undefined ? intent : "affordability";
  }
  if ((intent === "search_cars" || intent === "more_results") && slots.maxPrice !== undefined && slots.maxPrice < NO_CAR_BELOW) {
    // "unos 45 mil" arrives as a ±10% range around the amount
    const around = slots.minPrice !== undefined && Math.round(slots.minPrice / 0.9) === Math.round(slots.maxPrice / 1.1);
    if (slots.minPrice !== undefined && !around) return intent;
    const amount = around ? Math.round(slots.maxPrice / 1.1) : slots.maxPrice;
    delete slots.maxPrice;
    delete slots.minPrice;
    if (amount <= MONTHLY_AT_MOST && (slots.termMonths !== undefined || /\b(?:mes|meses|mensual\w*|alcanza|queda)\b/.test(text))) {
      slots.monthlyBudget ??= amount;
      return named ? intent : "affordability";
    }
    if (SAVINGS.test(text) && !named) {
      slots.downPayment ??= amount;
      return "affordability";
    }
    if (around) {
      slots.minPrice = Math.round(amount * 0.9);
      slots.maxPrice = Math.round(amount * 1.1);
    } else slots.maxPrice = amount;
  }
  return intent;
};

const isTurnedDown = (text: string, model: string): boolean => {
  const name = normalize(model).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\b(?:no|olvida|olvidate de|olvidemos|ya no (?:quiero )?|nada de|descarta|quita)\\s+(?:(?:el|la|ese|esa|este|esta|lo del?)\\s+)?${name}\\b|\\b(?:el|la|ese|esa)\\s+${name}\\s+no\\b`).test(text);
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
  // "no el aveo no, un sedán", "olvida el X3, el X1": a model turned down is not searched
  if (slots.model !== undefined && isTurnedDown(normalized, slots.model)) {
    const other = findModelMentions(normalized).find((m) => !isTurnedDown(normalized, m.model));
    if (other !== undefined) {
      slots.make = other.make;
      slots.model = other.model;
    } else {
      delete slots.make;
      delete slots.model;
    }
    if (slots.otherModels !== undefined) slots.otherModels = slots.otherModels.filter((m) => m.model !== slots.model && !isTurnedDown(normalized, m.model));
    if (slots.otherModels?.length === 0) delete slots.otherModels;
  }
  const query = slots.model === undefined && car.model !== undefined ? undefined : findFreeModelText(normalized, car.tokens, car.make !== undefined && car.model === undefined);
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
  let intent = classifyIntent(normalized, slots, plain !== undefined || withAmount !== undefined, plainText, car);
  giveAmountsTheirRole(intent, slots, plain, withAmount);
  intent = amountsNoCarCosts(intent, slots, normalized);
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

/** "jaja no.", "no no,", "perdón,": a reaction before the real request. */
const LEADING_REACTION = /^(?:(?:(?:ja|je|ha)(?:ja|je|ha)+|no+|nel|nop|nah|ups|perdon|perdona|disculpa|chale|ay|uy|mmm+|hmm+|ok|oki|va|sale|bueno|pues)\s*[,.!;:]*\s+)+/;
const NO_REQUEST: ReadonlySet<Intent> = new Set(["off_topic", "deny", "gibberish", "thanks", "greeting", "cancel"]);

const CAR_INTENTS: ReadonlySet<Intent> = new Set(["search_cars", "car_details", "financing", "affordability", "more_results"]);

/** Questions and sentences of a message, split where a new question starts. */
const clauses = (text: string): string[] =>
  text
    .split(/[?¿!;\n]+|,(?!\d)|\.(?:\s+|$)|\s+y\s+(?=(?:cuanto|cuantos|cuanta|cuál|cuáles|cual|cuales|como|cómo|qué|que|donde|dónde|tiene|tienen|trae|hay|se puede|aceptan|dan|piden|manejan|ofrecen|me dan|ustedes)\b)/i)
    .map((c) => c.trim())
    .filter((c) => words(normalize(c)).length >= 2);

const INTEREST = /\b(?:me (?:late|laten|interesa|interesan|gusta|gustan|encanta|convence)|quiero|queremos|busco|buscamos|ando buscando)\b/;
const OWN_CAR = /\b(?:tengo|mi|mis|vendo|vender|traigo)\b/;

const QUESTION_START = /^(?:y |e |oye |ademas |tambien )?(?:cuanto|cuantos|cuanta|cuantas|cual|cuales|como|que|donde|cuando|por que|tienen|tiene|hay|se puede|aceptan|dan|piden|manejan|ofrecen|puedo|me dan|incluye|incluyen|es|son|hacen|reciben|trae)\b/;

const isQuestion = (clause: string, text: string): boolean => {
  const at = text.indexOf(clause);
  return QUESTION_START.test(normalize(clause)) || (at >= 0 && /^\s*\?/.test(text.slice(at + clause.length)));
};

/**
 * "me interesa el Kicks, ¿aceptan mi carro a cuenta?": a car request and a Kavak question in one
 * message. The car part is read alone and the Kavak question is kept to be answered after it.
 */
const withSecondQuestion = (whole: Understanding, text: string): Understanding => {
  const parts = clauses(text);
  if (parts.length < 2) return whole;
  const read = parts.map((c) => ({ c, u: understandMessage(c) }));
  // only a question: "ya está viejo mi carro, queremos un sedán" is a story around a search
  const kavak = read.filter((r) => r.u.intent === "knowledge" && r.u.alternative === undefined && isQuestion(r.c, text));
  // a Kavak question with a remark about a car ("tengo un Versa 2016, ¿cuánto me pagarían?") stays a Kavak question
  const car = read.filter((r) => CAR_INTENTS.has(r.u.intent) && (CAR_INTENTS.has(whole.intent) || isQuestion(r.c, text) || isCarRequest(normalize(r.c), r.u.slots) || INTEREST.test(normalize(r.c))) && !OWN_CAR.test(normalize(r.c)));
  if (kavak.length === 0 || car.length === 0) return whole;
  const carText = car.map((r) => r.c).join(". ");
  const alone = understandMessage(carText);
  const carPart = CAR_INTENTS.has(whole.intent) && whole.intent === alone.intent ? whole : alone;
  return { ...carPart, also: kavak.map((r) => r.c).join(". ") };
};

const ASKS = /\b(?:cuanto|cuantos|cuanta|cual|como|que tal|trae|tiene|sale|seria|queda)\b/;

/**
 * "muchos km ese X3. ¿y el X1 cuánto sería?": two cars named, one only remarked on and the other
 * asked about; the question is about the one asked.
 */
const withAskedCar = (whole: Understanding, text: string): Understanding => {
  if ((whole.intent !== "financing" && whole.intent !== "car_details") || whole.slots.model === undefined) return whole;
  const named = clauses(text).map((c) => ({ c, mention: findCarMention(normalize(c)) })).filter((r) => r.mention.model !== undefined);
  const last = named.at(-1);
  if (last === undefined || last.mention.model === whole.slots.model) return whole;
  const first = named.find((r) => r.mention.model === whole.slots.model);
  if (first === undefined || isQuestion(first.c, text) || !ASKS.test(normalize(last.c))) return whole;
  const asked = understandMessage(last.c);
  if (asked.slots.model !== last.mention.model) return whole;
  const { reference: _pointed, make: _make, model: _model, minYear: _min, maxYear: _max, ...terms } = whole.slots;
  return { intent: whole.intent, slots: pick({ ...terms, ...asked.slots }, KEEP[whole.intent]) };
};

/** Readings kept: the messages of a few hundred recent conversations. */
const READINGS_KEPT = 5_000;

/**
 * One message, one reading: its intent and slots. Pure, and asked again for every earlier message of
 * the conversation at each turn, so recent readings are kept (frozen: callers must not change them).
 */
export const understand: (text: string) => Understanding = memoizeByText((text) => withAskedCar(understandMessage(text), text), READINGS_KEPT);

/**
 * The reading a conversation turn acts on: as `understand`, and when the message also asks a Kavak
 * question beside a car request, the car part alone with that question kept in `also`.
 */
export const understandTurn: (text: string) => Understanding = memoizeByText((text) => withSecondQuestion(understand(text), text), READINGS_KEPT);

const understandMessage = (text: string): Understanding => {
  const norm = normalize(text);
  const whole = readMessage(text);
  const lead = LEADING_REACTION.exec(norm);
  if (lead !== null && lead[0].length < norm.length && NO_REQUEST.has(whole.intent)) {
    const rest = understandWhole(norm.slice(lead[0].length));
    if (!NO_REQUEST.has(rest.intent) && rest.intent !== "affirm") return rest;
  }
  return understandWhole(text, whole);
};

/** `whole`: the message's own reading, when the caller has it already. */
const understandWhole = (text: string, whole: Understanding = readMessage(text)): Understanding => {
  const correction = findCorrection(normalize(text));
  if (correction === undefined) return whole;
  const fixed = applyCorrection(whole.slots, readMessage(correction.before).slots, readMessage(correction.after).slots);
  return fixed === undefined ? whole : { ...whole, slots: pick(fixed, KEEP[whole.intent]) };
};
