/**
 * Reads a free-text query the way a buyer writes it: words that name a car stay search terms;
 * words that state a budget, a year, a body, a need or equipment become filter hints; filler
 * words go. Structured fields of the query always win over hints (see SEMANTICS.md).
 *
 *   "camioneta familiar de menos de 400 mil" → terms [], bodyTypes [suv, pickup, minivan],
 *                                             needs [familiar], maxPrice 400000
 *   "toyta corola 2020"                      → terms [toyta, corola], year 2020
 *   "chevy barato"                           → terms [chevy], needs [economico], sort price_asc
 */
import type { BodyType, Transmission } from "../car.ts";
import type { CarSearchQuery, Need, SortOrder } from "./query.ts";
import { normalize, tokenize } from "./text.ts";

/** The filters a free text can imply: every field of the query except the words and paging. */
export type TextHints = Omit<CarSearchQuery, "text" | "make" | "model" | "limit" | "offset">;

export interface TextInterpretation {
  /** Words to match against make, model and version (normalised, filler removed, in order). */
  readonly terms: ReadonlyArray<string>;
  readonly hints: TextHints;
}

const STOP_WORDS = new Set(
  (
    "a al algo algun alguna alguno algunos busco buscando carro carros coche coches como con cual cuales dame de del " +
    "el en es esta este favor gracias hay hola la las lo los me mi mis muestrame mostrar o opcion opciones para " +
    "pero por porfa precio quiero que quisiera se sea si sin su tenga tengan tengas tengo tiene tienen tienes u un una " +
    "unas uno unos vehiculo vehiculos ver y ya auto autos año ano anos modelo ofrecen algo busca necesito me interesa interesa " +
    "mas menos muy bien bonito bonita bueno buena buenos buenas"
  ).split(" "),
);

/** After these words a short token is part of the model name ("clase a", "serie 3"). */
const KEEP_NEXT = new Set(["clase", "serie"]);

type WordHint = Partial<{
  need: Need;
  bodyTypes: ReadonlyArray<BodyType>;
  transmission: Transmission;
  carPlay: true;
  bluetooth: true;
  sort: SortOrder;
}>;

const CAMIONETA: ReadonlyArray<BodyType> = ["suv", "pickup", "minivan"];

const WORD_HINTS: Record<string, WordHint> = {
  barato: { need: "economico", sort: "price_asc" },
  barata: { need: "economico", sort: "price_asc" },
  baratos: { need: "economico", sort: "price_asc" },
  baratas: { need: "economico", sort: "price_asc" },
  baratito: { need: "economico", sort: "price_asc" },
  economico: { need: "economico", sort: "price_asc" },
  economica: { need: "economico", sort: "price_asc" },
  economicos: { need: "economico", sort: "price_asc" },
  economicas: { need: "economico", sort: "price_asc" },
  accesible: { need: "economico", sort: "price_asc" },
  familiar: { need: "familiar" },
  familiares: { need: "familiar" },
  familia: { need: "familiar" },
  lujo: { need: "premium" },
  lujoso: { need: "premium" },
  lujosa: { need: "premium" },
  premium: { need: "premium" },
  ciudad: { need: "ciudad" },
  urbano: { need: "ciudad" },
  compacto: { need: "ciudad" },
  chico: { need: "ciudad" },
  chiquito: { need: "ciudad" },
  pequeno: { need: "ciudad" },
  camioneta: { bodyTypes: CAMIONETA },
  camionetas: { bodyTypes: CAMIONETA },
  suv: { bodyTypes: ["suv"] },
  suvs: { bodyTypes: ["suv"] },
  crossover: { bodyTypes: ["suv"] },
  pickup: { bodyTypes: ["pickup"] },
  pickups: { bodyTypes: ["pickup"] },
  troca: { bodyTypes: ["pickup"] },
  trocas: { bodyTypes: ["pickup"] },
  sedan: { bodyTypes: ["sedan"] },
  sedanes: { bodyTypes: ["sedan"] },
  hatchback: { bodyTypes: ["hatchback"] },
  hatchbacks: { bodyTypes: ["hatchback"] },
  hatch: { bodyTypes: ["hatchback"] },
  minivan: { bodyTypes: ["minivan"] },
  minivans: { bodyTypes: ["minivan"] },
  van: { bodyTypes: ["minivan"] },
  coupe: { bodyTypes: ["coupe"] },
  automatico: { transmission: "automatica" },
  automatica: { transmission: "automatica" },
  automaticos: { transmission: "automatica" },
  automaticas: { transmission: "automatica" },
  automatic: { transmission: "automatica" },
  manual: { transmission: "manual" },
  estandar: { transmission: "manual" },
  standard: { transmission: "manual" },
  carplay: { carPlay: true },
  bluetooth: { bluetooth: true },
  nuevo: { sort: "year_desc" },
  nuevos: { sort: "year_desc" },
  reciente: { sort: "year_desc" },
  recientes: { sort: "year_desc" },
};

/** Multi-word phrases rewritten to one word before reading words. */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(apple\s+)?car\s*play\b/g, " carplay "],
  [/\bblue\s*tooth\b/g, " bluetooth "],
  [/\bpick\s*-?\s*up\b/g, " pickup "],
  [/\b(7|siete|8|ocho)\s+(pasajeros|plazas|asientos|lugares)\b|\btercera\s+fila\b|\b3\s+filas\b/g, " siete_pasajeros "],
  [/\b(poco|pocos|bajo)\s+(kilometraje|km|kms|kilometros)\b/g, " poco_km "],
  [/\bde\s+lujo\b/g, " lujo "],
];

const AMOUNT = String.raw`\$?\s*(\d+(?:[.,]\d+)*)\s*(?:(mil|k|mdp|millones|millon|pesos)\b)?`;
const KM = String.raw`\s*(?:km|kms|kilometros)\b`;
const MAX_WORDS = String.raw`(?:menos\s+de|hasta|maximo|max|no\s+mas\s+de|debajo\s+de|abajo\s+de|menor\s+a|menores\s+a|tope\s+de|presupuesto\s+de)`;
const MIN_WORDS = String.raw`(?:mas\s+de|desde|minimo|arriba\s+de|mayor\s+a|encima\s+de|a\s+partir\s+de(?:l)?)`;

const isYear = (value: number, unit: string | undefined) => unit === undefined && Number.isInteger(value) && value >= 1990 && value <= 2099;

/** "400" mil → 400000; "1.5" millones → 1500000; "350,000" → 350000; a bare "400" in a price phrase → 400000. */
const amountOf = (digits: string, unit: string | undefined, priceContext: boolean): number => {
  const thousandsGrouped = /^\d{1,3}([.,]\d{3})+$/.test(digits);
  const value = thousandsGrouped ? Number(digits.replace(/[.,]/g, "")) : Number(digits.replace(",", "."));
  switch (unit) {
    case "mil":
    case "k":
      return Math.round(value * 1_000);
    case "mdp":
    case "millon":
    case "millones":
      return Math.round(value * 1_000_000);
    default:
      return priceContext && value < 10_000 ? Math.round(value * 1_000) : Math.round(value);
  }
};

export const interpretText = (text: string): TextInterpretation => {
  let rest = ` ${normalize(text)} `;
  const hints: {
    -readonly [K in keyof TextHints]: TextHints[K];
  } = {};
  const needs = new Set<Need>();
  const bodyTypes = new Set<BodyType>();

  const take = (pattern: RegExp, handle: (match: RegExpExecArray) => void) => {
    rest = rest.replace(pattern, (...args) => {
      handle(args.slice(0, -2) as unknown as RegExpExecArray);
      return " ";
    });
  };

  for (const [pattern, replacement] of PHRASES) rest = rest.replace(pattern, replacement);

  // Kilometres first, so "menos de 50 mil km" is not read as a price.
  take(new RegExp(String.raw`\b${MAX_WORDS}\s*${AMOUNT}${KM}`, "g"), (m) => {
    hints.maxKm = amountOf(m[1]!, m[2], false);
  });
  take(new RegExp(String.raw`\bentre\s+${AMOUNT}\s+y\s+${AMOUNT}`, "g"), (m) => {
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (isYear(a, m[2]) && isYear(b, m[4])) {
      hints.minYear = Math.min(a, b);
      hints.maxYear = Math.max(a, b);
    } else {
      const low = amountOf(m[1]!, m[2] ?? m[4], true);
      const high = amountOf(m[3]!, m[4], true);
      hints.minPrice = Math.min(low, high);
      hints.maxPrice = Math.max(low, high);
    }
  });
  take(new RegExp(String.raw`\b(?:antes\s+de(?:l)?)\s+(19\d\d|20\d\d)\b`, "g"), (m) => {
    hints.maxYear = Number(m[1]) - 1;
  });
  take(new RegExp(String.raw`\b${MAX_WORDS}\s*${AMOUNT}`, "g"), (m) => {
    const value = Number(m[1]);
    if (isYear(value, m[2])) hints.maxYear = value;
    else hints.maxPrice = amountOf(m[1]!, m[2], true);
  });
  take(new RegExp(String.raw`\b${MIN_WORDS}\s*${AMOUNT}`, "g"), (m) => {
    const value = Number(m[1]);
    if (isYear(value, m[2])) hints.minYear = value;
    else hints.minPrice = amountOf(m[1]!, m[2], true);
  });
  take(/\b(19\d\d|20\d\d)\s+(?:en\s+adelante|o\s+mas\s+nuevo|o\s+mas\s+reciente|para\s+arriba|o\s+posterior)\b/g, (m) => {
    hints.minYear = Number(m[1]);
  });
  // A budget without a comparison word ("de 300 mil", "300k") is read as a maximum.
  take(/(?<![\d.,])\$?\s*(\d+(?:[.,]\d+)*)\s*(mil|k|mdp|millones|millon|pesos)\b/g, (m) => {
    hints.maxPrice ??= amountOf(m[1]!, m[2], true);
  });

  const terms: string[] = [];
  const years: number[] = [];
  const tokens = tokenize(rest.replace(/siete_pasajeros|poco_km/g, (word) => ` ${word.replace("_", "")} `));
  tokens.forEach((token, index) => {
    if (token === "sietepasajeros") return void needs.add("siete_pasajeros");
    if (token === "pocokm") return void (hints.sort ??= "km_asc");
    if (/^(19\d\d|20\d\d)$/.test(token) && Number(token) >= 1990) return void years.push(Number(token));
    const hint = WORD_HINTS[token];
    if (hint) {
      if (hint.need) needs.add(hint.need);
      for (const bodyType of hint.bodyTypes ?? []) bodyTypes.add(bodyType);
      if (hint.transmission) hints.transmission = hint.transmission;
      if (hint.carPlay) hints.carPlay = true;
      if (hint.bluetooth) hints.bluetooth = true;
      if (hint.sort) hints.sort ??= hint.sort;
      return;
    }
    const previous = tokens[index - 1];
    if (STOP_WORDS.has(token) && !(previous !== undefined && KEEP_NEXT.has(previous))) return;
    if (!terms.includes(token)) terms.push(token);
  });

  if (years.length > 0 && hints.minYear === undefined && hints.maxYear === undefined) {
    hints.minYear = Math.min(...years);
    hints.maxYear = Math.max(...years);
  }
  if (needs.size > 0) hints.needs = [...needs];
  if (bodyTypes.size > 0) hints.bodyTypes = [...bodyTypes];
  return { terms, hints };
};
