/** Text normalisation shared by every NLU module: lower case, no accents, no punctuation noise. */
import { foldLatinAccents } from "../../../lib/fold-accents.ts";

/** Lower case, accents removed (ñ kept as n), emojis and punctuation turned into spaces, except money/number marks. */
export const normalize = (text: string): string =>
  foldLatinAccents(
    text
      .toLowerCase()
      // "2020+": a year or an amount and up, before "+" is dropped with the other marks
      .replace(/(\d)\s*\+(?!\d)/g, "$1 en adelante "),
  )
    .replace(/[¿¡!?"“”'`´…]/g, " ")
    // keep digits' separators, $ and % for the number parser; everything else non-alphanumeric is a space
    .replace(/[^a-z0-9$%.,\s-]/g, " ")
    .replace(/(?<![0-9])[.,](?![0-9])/g, " ")
    .replace(/(?<![a-z0-9])-|-(?![a-z0-9])/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const YEAR_WORDS: Record<string, number> = {
  uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12, trece: 13, catorce: 14,
  quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19, veinte: 20, veintiuno: 21, veintidos: 22, veintitres: 23,
  veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
};
const TERM_WORDS: Record<string, number> = { doce: 12, veinticuatro: 24, "treinta y seis": 36, "cuarenta y ocho": 48, sesenta: 60, "setenta y dos": 72 };
const SPELLED_YEAR = new RegExp(String.raw`\bdos mil (${Object.keys(YEAR_WORDS).join("|")})\b(?! (?:mil|pesos|km|kilometros))`, "g");

/**
 * Numbers said in words that the number parser does not read: "del dos mil diecinueve" → "del
 * 2019" (a year; "dos mil quinientos" is an amount, left alone), "un cuarto de millón" → "250 mil".
 */
export const spellOutNumbers = (normalized: string): string =>
  normalized
    .replace(SPELLED_YEAR, (_, word: string) => String(2000 + YEAR_WORDS[word]!))
    // "modelo 19", "del 18 o del 19": a two-digit model year
    .replace(/\b(modelo|modelos|del|ano|anos) ([0-2]\d)\b(?!\s*(?:mil|k\b|%|por ciento|meses|mes|anos|km|kms|pesos|de (?:enganche|\w+ de|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre))|[.,]\d)/g, (_, lead: string, yy: string) => `${lead} 20${yy}`)
    // "del 2021 o 22": the second year of a pair, written short
    .replace(/\b(20[0-2]\d) (o|u|y|a|al|hasta) ([0-2]\d)\b(?!\s*(?:mil|k\b|%|meses|mes|anos|km|pesos)|[.,]\d)/g, "$1 $2 20$3")
    // "la quinta parte de enganche": a fraction of the price
    .replace(/\b(?:la )?quinta parte\b/g, "20%")
    .replace(/\b(?:la )?cuarta parte\b/g, "25%")
    .replace(/\b(?:la )?decima parte\b/g, "10%")
    // "sesenta meses": the usual loan terms said in words
    .replace(/\b(doce|veinticuatro|treinta y seis|cuarenta y ocho|sesenta|setenta y dos)(?= meses\b)/g, (w: string) => String(TERM_WORDS[w]))
    .replace(/\bun cuarto de mill?on\b/g, "250 mil")
    .replace(/\btres cuartos de mill?on\b/g, "750 mil");

/** Chat shorthand people type ("q", "xq", "pa", "porfa") spelled out, so the rules see real words. */
const SHORTHAND: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?<![\d.,]\s*)\b(?:q|k|ke|qe)\b/g, "que"],
  [/\b(?:xq|pq|porq)\b/g, "porque"],
  [/\bx (?=(?:mi|favor|fa|mes|ciento|el|la|que|eso)\b)/g, "por "],
  [/\b(?:tb|tmb|tmbn)\b/g, "tambien"],
  [/\bpal\b/g, "para el"],
  [/\bpa\b/g, "para"],
  [/\b(?:d)\b(?=\s*[a-z0-9])/g, "de"],
  [/\b(?:kiero|qiero)\b/g, "quiero"],
  [/\b(?:dnd|dond|dnde|doned)\b/g, "donde"],
  [/\bstan\b/g, "estan"],
  [/\basta\b/g, "hasta"],
  [/\bsig\b/g, "siguiente"],
  // English mixed in ("the third one", "20 percent down", "show me more")
  [/\bpercent\b/g, "por ciento"],
  [/\bthe (?:first|1st) one\b/g, "el primero"],
  [/\bthe (?:second|2nd) one\b/g, "el segundo"],
  [/\bthe (?:third|3rd) one\b/g, "el tercero"],
  [/\bthe (?:fourth|4th) one\b/g, "el cuarto"],
  [/\bthe last one\b/g, "el ultimo"],
  [/\b(?:which one is|the) (?:cheaper|cheapest)\b/g, "el mas barato"],
  [/\bshow me more\b/g, "muestrame mas"],
  [/\bhow many km\b/g, "cuantos km"],
  [/\bper month\b/g, "al mes"],
  [/^ay (?=(?:mas|otros?|otras?|algun[oa]?|algo)\b)/g, "hay "],
  [/\bporfavor\b/g, "por favor"],
];

export const expandShorthand = (normalized: string): string => SHORTHAND.reduce((t, [re, to]) => t.replace(re, to as string), normalized);

/** Words of a normalised text (letters and digits only). */
export const words = (normalized: string): ReadonlyArray<string> => normalized.split(/[^a-z0-9]+/).filter((w) => w !== "");

/** Collapses letters repeated three or more times ("holaaaa" → "hola", "siiii" → "si"). */
export const squeezeRepeats = (text: string): string => text.replace(/([a-z])\1{2,}/g, "$1");
