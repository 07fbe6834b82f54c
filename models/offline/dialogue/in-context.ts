/**
 * Reads a message in the light of the conversation so far, where the message alone is ambiguous:
 * - "¿se puede financiar?" is a question for the knowledge base, unless a car is being discussed;
 * - "unos 300 mil" answers an open money question, or else is a budget to search with;
 * - "¿y cuánto dura?" or "¿y cuánto cuesta?" right after a Kavak answer continues that question
 *   instead of leaving the topic (or asking which car, when none is being discussed).
 */
import { normalize, words } from "../nlu/normalize.ts";
import { OFF_TOPIC_MARKERS } from "../nlu/kavak-question.ts";
import { findNumbers } from "../nlu/numbers.ts";
import type { Slots, Sort, Understanding } from "../nlu/types.ts";
import type { DialogueState } from "./state.ts";
import { ALL_DETAILS, COMPARE, COMPLAINT, HOW_TO_BUY, IN_DOMAIN, isEnglish, NEXT_CAR, plain, PRICES, SIZE, TRADE_IN } from "./turn-cues.ts";

/** Short, or opened with "y"/"e"/"también": it leans on what was said before. */
export const isElliptical = (text: string): boolean => {
  const plain = normalize(text);
  return /^(?:y|e|o|tambien|y tambien|ahi|alli|aqui|entonces y)\b/.test(plain) || words(plain).length <= 4;
};

const carInPlay = (state: DialogueState): boolean => state.focus !== undefined || state.financing !== undefined || state.lastQuote !== undefined;

/**
 * "¿y a 48 meses?", "¿y con 40 mil de enganche?" right after what a monthly budget affords, with no
 * car chosen: the same budget question with that change, not a quote of an unknown car.
 */
const budgetFollowUp = (u: Understanding, before: DialogueState): Understanding => {
  const s = u.slots;
  if (u.intent !== "financing" || before.lastAffordable === undefined || before.lastQuote !== undefined || before.financing !== undefined || before.focus !== undefined) return u;
  if (s.make !== undefined || s.model !== undefined || s.reference !== undefined || s.price !== undefined) return u;
  if (s.termMonths === undefined && s.downPayment === undefined && s.monthlyBudget === undefined) return u;
  const slots: Slots = {
    ...(Array.isArray(s.termMonths) ? { termMonths: s.termMonths } : {}),
    ...(s.downPayment === undefined ? {} : { downPayment: s.downPayment }),
    ...(s.monthlyBudget === undefined ? {} : { monthlyBudget: s.monthlyBudget }),
  };
  return { ...u, intent: "affordability", slots };
};

export const readInContext = (u: Understanding, text: string, before: DialogueState): Understanding => {
  const read = budgetFollowUp(readAlone(u, text, before), before);
  const turned = withTurnCues(read, text, before);
  return isEnglish(text) ? { ...turned, english: true } : turned;
};

const BEST_OF: Record<string, Sort> = { cheapest: "price_asc", priciest: "price_desc", newest: "year_desc", least_km: "km_asc" };
const PRICE_SLOTS = ["minPrice", "maxPrice", "price", "amount", "downPayment"] as const;
const SEARCH_FILTERS = ["make", "model", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs"] as const;
const SUBJECT_SLOTS = ["make", "model", "query", "bodyTypes", "needs", "minYear", "maxYear", "transmission"] as const;

/** "de los sedanes cuál tiene menos km", "entre esos, ¿cuál…?": the last search, narrowed. */
const NARROWS = /^(?:y |ok |oye )?(?:de|entre|dentro de) (?:los|las|esos|esas|estos|estas|ellos|ellas|todos|todas)\b/;
/** "¿cuál es el más barato?", "¿cuál tiene menos km?": one car asked for, not a list. */
const ONE_ASKED = /\b(?:cual|que (?:auto|carro|coche|camioneta)) (?:es|tiene|esta|sale|cuesta|trae)?/;
/** "y a 5", "¿y a 3?", "a 4 años": a new term for the last quote, in years when it is small. */
const TERM_ONLY = /^(?:y |e |o |mejor |y si es |y si fuera )?(?:a|en|con) (\d{1,2}|tres|cuatro|cinco|seis)(?: (anos?|meses?))?$/;
const YEAR_WORDS: Record<string, number> = { tres: 3, cuatro: 4, cinco: 5, seis: 6 };

const withTurnCues = (u: Understanding, text: string, before: DialogueState): Understanding => {
  const p = plain(text);
  // "mi march vale 120 mil": the customer's own car is a down payment, never a car or a budget to search
  if (TRADE_IN.test(p)) {
    const worth = findNumbers(p).find((n) => n.money && !n.percent && n.value >= 1000)?.value;
    if (worth !== undefined) {
      const slots: Slots = { ...u.slots };
      for (const k of PRICE_SLOTS) delete slots[k];
      // "mi march vale 120 mil, busco un versa": the car to buy is the other one named
      const other = slots.model === undefined ? slots.otherModels?.[0] : undefined;
      if (other !== undefined) {
        slots.make = other.make;
        slots.model = other.model;
        const rest = slots.otherModels!.slice(1);
        if (rest.length > 0) slots.otherModels = rest;
        else delete slots.otherModels;
      }
      if ((u.intent === "search_cars" || u.intent === "more_results") && SUBJECT_SLOTS.some((k) => slots[k] !== undefined)) return { intent: "search_cars", slots, tradeIn: worth };
      return { intent: "provide_info", slots: { downPayment: worth }, tradeIn: worth };
    }
  }
  const listed = before.lastSearch !== undefined && before.lastSearch.output.cars.length > 0;
  // "de los sedanes cuál tiene menos km": the filters of the last search stay
  let read = u;
  if (NARROWS.test(p) && listed && (u.intent === "search_cars" || u.intent === "more_results" || u.intent === "car_details")) {
    const kept: Record<string, unknown> = {};
    for (const k of SEARCH_FILTERS) if (before.lastSearch!.input[k] !== undefined) kept[k] = before.lastSearch!.input[k];
    read = { ...u, intent: u.intent === "car_details" && u.slots.reference === undefined ? "search_cars" : u.intent, slots: { ...(kept as Slots), ...u.slots } };
  }
  // "la más barata", "¿y el más caro?", "¿cuál tiene menos km?": over every result of the search, not the five shown
  // "el más barato de esos": among the cars on screen, as asked
  const onScreen = /\b(?:de|entre) (?:esos|esas|estos|estas|ellos|ellas|la lista|los que me (?:mostraste|ensenaste|pasaste)|las que me (?:mostraste|ensenaste|pasaste))\b/.test(p);
  if (listed && !onScreen) {
    const ref = read.slots.reference;
    const byReference = read.intent === "car_details" && ref !== undefined && BEST_OF[ref.kind] !== undefined && read.slots.make === undefined && read.slots.model === undefined;
    if (byReference && before.lastSearch!.output.total > before.shown.length) return { intent: "car_details", slots: {}, best: BEST_OF[ref!.kind]! };
    const bySort = (read.intent === "search_cars" || read.intent === "more_results") && read.slots.sort !== undefined && read.slots.sort !== "year_asc" && ONE_ASKED.test(p) && !/\bcuales\b/.test(p);
    if (bySort) {
      const narrowed: Slots = { ...read.slots };
      delete narrowed.sort;
      return { intent: "search_cars", slots: narrowed, best: read.slots.sort! };
    }
  }
  if (read !== u) return read;
  // "y a 5", "¿y a 3?": the last quote again at another term
  const term = TERM_ONLY.exec(p);
  if (term !== null && (before.lastQuote !== undefined || before.financing !== undefined) && (u.intent === "off_topic" || u.intent === "provide_info" || u.intent === "gibberish")) {
    const n = YEAR_WORDS[term[1]!] ?? Number(term[1]);
    const months = term[2]?.startsWith("mes") === true ? n : n <= 6 ? n * 12 : n;
    return { intent: "financing", slots: { termMonths: [months] } };
  }
  const loose = u.intent === "off_topic" || u.intent === "gibberish" || u.intent === "knowledge" || u.intent === "deny" || (u.intent === "search_cars" && Object.keys(u.slots).length === 0);
  if (COMPLAINT.test(p) && (loose || u.intent === "affirm")) return { intent: "off_topic", slots: {}, cue: "complaint" };
  if (COMPARE.test(p) && u.intent !== "financing" && u.intent !== "affordability" && (before.shown.length >= 2 || u.slots.otherModels !== undefined || u.slots.reference !== undefined)) return { ...u, cue: "compare" };
  if (SIZE.test(p) && before.shown.length >= 2 && !SEARCH_FILTERS.some((k) => u.slots[k] !== undefined)) return { ...u, cue: "size" };
  if (/\bmenos de \d+(?:[.,]\d+)? (?:metros|mts|m)\b/.test(p) && before.shown.length >= 1) return { ...u, cue: "size" };
  // "¿y el que sigue?": the next car of the list after the one being discussed
  if (NEXT_CAR.test(p) && before.shown.length > 0) {
    const at = before.focus === undefined ? -1 : before.shown.findIndex((c) => c.stockId === before.focus!.stockId);
    if (at >= 0 && at + 1 < before.shown.length) return { intent: "car_details", slots: { reference: { kind: "ordinal", index: at + 2 } } };
    if (at < 0 && before.focus === undefined) return { intent: "car_details", slots: { reference: { kind: "ordinal", index: 1 } } };
    return { intent: "more_results", slots: {} };
  }
  if (u.intent === "off_topic" || u.intent === "gibberish") {
    // "dame todos los detalles", "info": the car being discussed
    if (ALL_DETAILS.test(p) && (before.focus !== undefined || before.shown.length === 1)) return { intent: "car_details", slots: { reference: before.focus !== undefined ? { kind: "this" } : { kind: "ordinal", index: 1 } } };
    if (PRICES.test(p)) return { ...u, cue: "prices" };
    if (HOW_TO_BUY.test(p)) return { intent: "knowledge", slots: {}, cue: "buy" };
    // "¿cuánto cuesta y cuántos km tiene?": questions about the car being discussed
    if (before.focus !== undefined && /\b(?:cuanto|cuantos|cuantas|que|tiene|trae|cuesta|es)\b/.test(p) && IN_DOMAIN.test(p) && !OFF_TOPIC_MARKERS.test(p)) return { intent: "car_details", slots: { reference: { kind: "this" } } };
    const context = before.focus !== undefined || before.shown.length > 0 || before.lastQuote !== undefined;
    if (!OFF_TOPIC_MARKERS.test(p) && (IN_DOMAIN.test(p) || (context && words(p).length <= 4))) return { ...u, intent: "off_topic", cue: "fallback" };
  }
  if (u.intent === "car_details" && Object.keys(u.slots).length === 0 && HOW_TO_BUY.test(p)) return { intent: "knowledge", slots: {}, cue: "buy" };
  return u;
};

const readAlone = (u: Understanding, text: string, before: DialogueState): Understanding => {
  if (u.intent === "knowledge" && u.alternative !== undefined && carInPlay(before)) return u.alternative;
  // "unos 300 mil" with no financing or budget question open: a price range to search
  if (u.intent === "provide_info" && u.alternative !== undefined && !carInPlay(before) && before.flow !== "affordability") return u.alternative;
  if (before.lastKnowledgeQuery !== undefined && isElliptical(text)) {
    // "¿y cuánto cuesta?" after a question about Kavak Total asks about it, unless a car is in focus
    const aboutNoCar = u.intent === "car_details" && Object.keys(u.slots).length === 0 && before.focus === undefined;
    if (u.intent === "off_topic" || aboutNoCar) return { intent: "knowledge", slots: {} };
  }
  return u;
};
