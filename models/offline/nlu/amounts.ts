/**
 * Gives each amount in a message its role: down payment ("50 mil de enganche", "20%", "sin
 * enganche"), monthly budget ("5 mil al mes"), kilometres ("menos de 50 mil km"), or a price with its
 * comparison ("menos de", "hasta", "más de", "alrededor de", "entre 150 y 250 mil").
 */
import { findNumbers, type NumberMention } from "./numbers.ts";
import { anyOf, regExpAnyOf } from "./alternation.ts";

export interface PriceAmount {
  readonly value: number;
  readonly bound: "max" | "min" | "around" | "plain";
}

export interface AmountsFound {
  downPayment?: number;
  downPaymentPercent?: number;
  monthlyBudget?: number;
  maxKm?: number;
  minPrice?: number;
  maxPrice?: number;
  /** A price stated without a comparison ("un auto de 300 mil"): a budget when searching, the price when financing. */
  plainPrice?: number;
  /** "con 50 mil": a budget when searching, a down payment when financing. */
  withAmount?: number;
}

type Span = readonly [number, number];

const DOWN_AFTER = /^\s*(?:pesos\s*)?(?:de|como|para(?: el)?|del?)?\s*(?:enganche|entrada|inicial|anticipo|pie)\b/;
const DOWN_BEFORE = regExpAnyOf([
  `(?:enganche|entrada|anticipo|inicial|pie)\\s*(?:${anyOf([
    "de",
    "del",
    "seria de",
    "seria",
    "como",
    ":",
    "=",
    "es de",
    "es",
    "sera de",
    "con",
    "que sea de",
    "maximo de",
    "minimo de",
    "de unos",
    "de como",
    "de apenas",
  ])})?\\s*(?:unos|como|apenas|solo|el|un)?\\s*\\$?\\s*$`,
  `(?:${anyOf([
    "\\bdoy",
    "\\bdaria",
    "\\bdar",
    "\\bpongo",
    "\\bpondria",
    "\\bdando",
    "\\bdejar",
    "\\bdejo",
    "\\btengo para el enganche",
  ])})\\s*(?:un enganche de|de enganche|el|como|unos)?\\s*\\$?\\s*$`,
]);
const MONTHLY_AFTER = /^\s*(?:pesos\s*)?(?:al mes|mensuales|mensual|por mes|cada mes|x mes|de mensualidad|de mensualidades|mensualmente|al mez)\b/;
const WITH_BEFORE = /\bcon\s*(?:unos|como|el|los|esos|\$)?\s*\$?\s*$/;
const MONTHLY_BEFORE = regExpAnyOf([
  `(?:presupuesto|budget|tope|limite|maximo) (?:mensual|al mes|por mes|de mensualidad)(?: es| seria| sera)?(?: de)?(?: hasta)?(?:${anyOf([
    " aproximadamente",
    " aprox",
    " como",
    " unos",
    " de unos",
    " mas o menos",
  ])})?\\s*\\$?\\s*$`,
  `(?:al mes|mensuales|mensual|por mes)[, ]+(?:(?:puedo|podria|alcanzo a) (?:pagar|dar|poner)\\s*)?(?:${anyOf([
    "como",
    "unos",
    "de",
    "algo asi como",
    "maximo",
  ])})?\\s*\\$?\\s*$`,
  `(?:mensualidad(?:es)?|pago mensual|pagos mensuales|abonos?)\\s*(?:${anyOf([
    "de",
    "que no pase de",
    "maximo de",
    "de hasta",
    "de maximo",
    "no mayor(?:es)? a",
    "no mayor(?:es)? de",
    "de no mas de",
    "de menos de",
    "menor(?:es)? a",
    "alrededor de",
    "como de",
    "de unos",
  ])})?\\s*(?:unos|como)?\\s*\\$?\\s*$`,
]);
/** "kilometraje menos de 70 mil", "km máximo 50 mil": the distance named first, then its bound (not "40 mil km, hasta 320 mil"). */
const KM_BEFORE = /(?<!\d(?:\s*mil)?\s*)(?<!\b(?:muchos|pocos|tantos|mucho|poco|bajo|alto) )\b(?:km|kms|kilometraje|kilometros)\s*(?:de\s*|sea\s*|este\s*|que sea\s*)?(?:menos de|maximo|max|hasta|no mas de|abajo de|debajo de|menor a|menor de|inferior a|inferior de)\s*(?:unos|como)?\s*$/;
const KM_AFTER = /^\s*(?:mil\s*)?(?:de\s+)?(?:km|kms|kilometros|kilometro|kilometraje|kilomet)\b/;
const MAX_BEFORE = new RegExp(`(?:${anyOf([
  "menos de",
  "menor(?:es)? a",
  "menor(?:es)? de",
  "hasta",
  "maximo",
  "max",
  "no (?:\\w+ )?mas de",
  "no pase de",
  "que no pase de",
  "tope de",
  "tope",
  "debajo de",
  "abajo de",
  "por debajo de",
  "(?:presupuesto|budget)(?: es)?(?: de)?(?: hasta)?",
  "(?:presupuesto|budget) maximo de",
  "cuenta con",
  "tengo",
  "traigo",
  "solo tengo",
  "dispongo de",
  "no rebase",
  "no supere",
  "no exceda",
  "no exceder",
  "no mayor a",
  "ahorrado",
  "ahorre",
])})\\s*(?:los|unos|como|de|el|la|\\$)?\\s*\\$?\\s*$`);
const MIN_BEFORE = /(?:(?<!\bno (?:\w+ )?)mas de|no menos de|arriba de|(?<!\bno )mayor(?:es)? a|(?<!\bno )mayor(?:es)? de|desde|minimo|encima de|por encima de|superior(?:es)? a|a partir de)\s*(?:los|unos|\$)?\s*\$?\s*$/;
const AROUND_BEFORE = /(?:around|alrededor de|aprox(?:imadamente)?|como|cerca de|mas o menos|unos|por ahi de|rondando|de unos|de como|de alrededor de|cuestan|cueste|valga|vale|precio de|que cueste|como de|rango de)\s*(?:los|unos|\$)?\s*\$?\s*$/;
const AROUND_AFTER = /^\s*(?:pesos\s*)?(?:aprox|mas o menos|o algo asi|o por ahi|o asi|masomenos)\b/;
const MAX_AFTER = /^\s*(?:pesos\s*)?(?:ahorrados?|juntados?|de presupuesto|de contado|en efectivo|cash|o menos|maximo|max|como maximo|para abajo|pa abajo|hacia abajo|tope|cuando mucho|a lo mucho)\b/;
const MIN_AFTER = /^\s*(?:pesos\s*)?(?:o mas|para arriba|pa arriba|hacia arriba|minimo|en adelante)\b/;
const RANGE = /(?:(?:entre|de)\s*|(?<![\d.,$])(?=[\d.,]+\s*(?:mil|k)?\s*-\s*\$?\s*\d))\$?\s*([\d.,]+\s*(?:mil|k)?)\s*(?:y|a|-|hasta)\s*\$?\s*([\d.,]+)\s*(mil|k|mill?on(?:es)?)?/g;
const NO_DOWN = /\b(?:sin (?:dar|poner|dejar|pagar)(?: nada de)?|sin|cero|0|nada de|no tengo|no tengo para el|no quiero dar|no quiero dejar|no doy)\s*(?:de\s*)?(?:enganche|entrada|anticipo|inicial)\b|\benganche\s*(?:de\s*)?(?:cero|0|\$0)\b|\b(?:con|de)\s*0\s*(?:de\s*)?enganche/;

/** "unos 80 mil", "como 50 mil pesos": only an approximate amount, an answer rather than a price range. */
export const BARE_APPROXIMATION = /^(?:pues |mmm |eh )?(?:unos|como|como unos|alrededor de|mas o menos|aprox|aproximadamente|por ahi de)\s*\$?\s*[\d.,]+\s*(?:mil|k)?(?: pesos)?(?: aprox| mas o menos| o algo asi)?$/;

const INCOME_BEFORE = /\b(?:gano|ganamos|gana|ganando|mi sueldo(?: es)?(?: de)?|sueldo de|mis ingresos(?: son)?(?: de)?|ingreso(?:s)? de|cobro)\s*(?:como|unos|aprox|mas o menos)?\s*\$?\s*$/;

const PRICE_BEFORE = /\b(?:precio|valor|precio del auto|precio de lista)\s*(?:de|del auto|es de|es|:)?\s*\$?\s*$/;

const PRICE_CONTEXT = /(?:menos de|hasta|maximo|como de|alrededor de|presupuesto de|presupuesto|tengo|de unos|unos|entre|mas de|arriba de|cerca de|por ahi de|precio de|cuesten|cueste)\s*\$?\s*$/;

const inside = (m: NumberMention, spans: ReadonlyArray<Span>): boolean => spans.some(([s, e]) => m.start < e && s < m.end);

export const findAmounts = (normalized: string, taken: ReadonlyArray<Span>): AmountsFound => {
  const found: AmountsFound = {};
  const spans: Span[] = [...taken];
  if (NO_DOWN.test(normalized)) found.downPayment = 0;

  // "entre 150 y 250 mil": the first amount borrows the second's multiplier
  for (const m of normalized.matchAll(RANGE)) {
    const nums = findNumbers(m[0]).filter((n) => !n.percent);
    if (nums.length < 2) continue;
    let [a, b] = [nums[0]!.value, nums[nums.length - 1]!.value];
    const after = normalized.slice(m.index + m[0].length);
    if (KM_AFTER.test(after) || /^\s*(?:meses|anos|mes)/.test(after)) continue;
    if (b < 1000 && !nums[nums.length - 1]!.money) continue; // "de 3 a 5" is not money
    if ([a, b].every((n) => n >= 1980 && n <= 2039) && !nums[nums.length - 1]!.money) continue; // "entre 2019 y 2021" are years
    if (a < 1000 && b >= 1000) a *= b >= 1_000_000 ? 1_000_000 : 1000;
    if (a < 1000 || b < 1000) continue;
    found.minPrice = Math.min(a, b);
    found.maxPrice = Math.max(a, b);
    spans.push([m.index, m.index + m[0].length]);
  }

  for (const n of findNumbers(normalized)) {
    if (inside(n, spans)) continue;
    const before = normalized.slice(Math.max(0, n.start - 60), n.start);
    const after = normalized.slice(n.end, n.end + 30);
    if (n.percent) {
      if (n.value > 0 && n.value < 100) found.downPaymentPercent ??= n.value;
      continue;
    }
    if (KM_AFTER.test(after) || (/\bkm\b|kilometr/.test(before.slice(-15)) && !n.money) || KM_BEFORE.test(before)) {
      const km = /^\s*mil\b/.test(after) && n.value < 1000 ? n.value * 1000 : n.value;
      if (!/(?<!\bno (?:\w+ )?)(?:mas de|arriba de|mayor a)\s*$/.test(before)) found.maxKm ??= km;
      continue;
    }
    let value = n.value;
    // "como de 250", "menos de 300": people drop the "mil" when talking car prices
    if (value >= 100 && value < 1000 && !n.money && PRICE_CONTEXT.test(before) && !/^\s*(?:meses|mes|anos|km|kms|kilometros|%)/.test(after)) value *= 1000;
    // "y 40 de enganche": the "mil" is dropped for a down payment too
    if (value >= 5 && value < 1000 && !n.money && DOWN_AFTER.test(after)) value *= 1000;
    if (value < 1000 && !n.money) continue; // small bare numbers: ordinals, counts, terms
    if (value < 100) continue;
    const amount = Math.round(value);
    // "gano como 18 mil al mes": income, not what they can pay
    if (INCOME_BEFORE.test(before)) continue;
    // "puedo dar como 8 mil al mes": what follows the amount says what it is, before any verb ahead of it
    if (MONTHLY_AFTER.test(after) && !DOWN_AFTER.test(after)) {
      found.monthlyBudget ??= amount;
      continue;
    }
    // "precio $455,000; enganche $91,000": the label before an amount says what it is
    if (PRICE_BEFORE.test(before)) {
      found.plainPrice ??= amount;
      continue;
    }
    // what is said right after the amount, then what frames it before ("por mes puedo dar 5 mil")
    if (DOWN_AFTER.test(after)) {
      found.downPayment ??= amount;
      continue;
    }
    if (MONTHLY_AFTER.test(after) || MONTHLY_BEFORE.test(before)) {
      found.monthlyBudget ??= amount;
      continue;
    }
    if (DOWN_BEFORE.test(before)) {
      found.downPayment ??= amount;
      continue;
    }
    if (WITH_BEFORE.test(before)) found.withAmount ??= amount;
    else if (MIN_BEFORE.test(before) || MIN_AFTER.test(after)) found.minPrice ??= amount;
    else if (MAX_BEFORE.test(before) || MAX_AFTER.test(after)) found.maxPrice ??= amount;
    else if (BARE_APPROXIMATION.test(normalized)) found.plainPrice ??= amount;
    else if (AROUND_BEFORE.test(before) || AROUND_AFTER.test(after)) {
      found.minPrice ??= Math.round(amount * 0.9);
      found.maxPrice ??= Math.round(amount * 1.1);
    } else found.plainPrice ??= amount;
  }
  return found;
};
