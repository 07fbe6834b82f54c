/** Loan terms: "48 meses", "a 4 años", "a 3, 4 y 5 años", "36 o 48", "todos los plazos". */
import { anyOf, regExpAnyOf } from "./alternation.ts";

export interface TermsFound {
  readonly termMonths: number[] | "all";
  /** Character spans consumed, so the numbers are not read again as money. */
  readonly spans: ReadonlyArray<readonly [number, number]>;
}

const SMALL: Record<string, number> = { un: 1, uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8 };
const NUM = String.raw`(?:\d{1,2}|un|uno|dos|tres|cuatro|cinco|seis|siete|ocho)`;
const LIST = String.raw`${NUM}(?:\s*(?:,|y|o|e|ó)\s*(?:a\s+)?${NUM})*`;
const WITH_UNIT = new RegExp(String.raw`(?<![\d.,])\b(${LIST})\s*(meses|mes|anos|ano|years)`, "g");
/** "36m", "48 m": months written short (only the usual terms: "1.5m" and "2m" are money). */
const SHORT_MONTHS = /(?<![\d.,])\b(12|24|36|48|60|72)\s*m\b/g;
const AFTER_PLAZO = new RegExp(String.raw`\bplazos?\s*(?:de|a)?\s*(\d{2}(?:\s*(?:,|y|o)\s*\d{2})*)\b(?!\s*(?:mil|k\b|pesos|%))`, "g");
const ALL = regExpAnyOf([
  `^(?:(?:y |pues |mejor |en )?(?:${anyOf([
    "todos",
    "todas",
    "todos porfa",
    "todas porfa",
    "los cuatro",
    "los 4",
    "todos por favor",
    "muestrame todos",
    "todas las opciones",
    "todos los plazos",
  ])}))$`,
  "\\btodos los plazos\\b",
  "\\btodas las opciones\\b",
  "\\bcualquier plazo\\b",
  "\\btodos los meses\\b",
  "\\blos plazos (?:que hay|disponibles)\\b",
  "\\bque plazos\\b",
  "\\bplazos disponibles\\b",
  "\\btodos\\b(?=.*\\bplazo)",
]);

const USUAL = String.raw`(?:12|24|36|48|60|72|84|96)`;
const BARE_TERM = new RegExp(String.raw`\b(?:a|en)\s+(${USUAL}(?:\s*(?:,|y|o)?\s+${USUAL})*)\b(?![.,]\d|\s*(?:mil|k\b|%|pesos|km|kms|anos|ano|por ciento|de enganche))`, "g");
const ONLY_TERMS = new RegExp(String.raw`^(?:a |en |de |entonces a |mejor a |que sea a |y a )?(${USUAL}(?:\s*(?:,|y|o)\s*${USUAL})*)(?: meses| porfa| por favor)?$`);

/** "3, 4 y 5", "a 3 y a 5": commas, or y/o/e as whole words ("cuatro" contains an "o"). */
const SEPARATOR = /\s*,\s*(?:a\s+)?|\s+(?:y|o|e|ó)\s+(?:a\s+)?/;

const toNumber = (raw: string): number => SMALL[raw] ?? Number(raw);

export const findTerms = (normalized: string): TermsFound | undefined => {
  const months: number[] = [];
  const spans: [number, number][] = [];
  for (const m of normalized.matchAll(WITH_UNIT)) {
    const unit = m[2]!;
    const values = m[1]!.split(SEPARATOR).filter((v) => v !== "").map(toNumber);
    const isYears = unit.startsWith("ano") || unit === "years";
    // "48 meses" but not "hace 3 meses" nor "2 años de uso"
    const after = normalized.slice(m.index + m[0].length, m.index + m[0].length + 12);
    if (isYears && /^\s*(de uso|de antiguedad|viejo|de edad)/.test(after)) continue;
    // "si un mes no pago", "hace dos meses": durations, not loan terms
    if (!isYears && values.every((v) => v < 6) && !/\d/.test(m[1]!)) continue;
    for (const v of values) months.push(isYears ? v * 12 : v);
    spans.push([m.index, m.index + m[0].length]);
  }
  for (const m of normalized.matchAll(SHORT_MONTHS)) {
    if (spans.some(([s, e]) => m.index < e && s < m.index + m[0].length)) continue;
    months.push(Number(m[1]));
    spans.push([m.index, m.index + m[0].length]);
  }
  for (const m of normalized.matchAll(AFTER_PLAZO)) {
    if (spans.some(([s, e]) => m.index < e && s < m.index + m[0].length)) continue;
    for (const v of m[1]!.split(SEPARATOR).map(Number)) months.push(v);
    spans.push([m.index, m.index + m[0].length]);
  }
  // "a 36", "en 48": a usual term number without its unit
  for (const m of normalized.matchAll(BARE_TERM)) {
    if (spans.some(([s, e]) => m.index < e && s < m.index + m[0].length)) continue;
    for (const v of m[1]!.match(/\d+/g)!) months.push(Number(v));
    spans.push([m.index, m.index + m[0].length]);
  }
  // the whole message is terms: "48", "36 y 48", "36, 48 o 60"
  const only = normalized.match(ONLY_TERMS);
  if (months.length === 0 && only !== null) {
    for (const v of only[1]!.split(SEPARATOR).map(Number)) months.push(v);
    spans.push([0, normalized.length]);
  }
  if (months.length > 0) return { termMonths: [...new Set(months)].sort((a, b) => a - b), spans };
  if (ALL.test(normalized)) return { termMonths: "all", spans };
  return undefined;
};
