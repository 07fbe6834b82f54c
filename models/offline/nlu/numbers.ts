/**
 * Spanish (Mexico) numbers as people type them: 300000, $300,000, 300.000, 300 mil, 300k, 1.5 millones,
 * "medio millón", "un millón", "cincuenta mil", "doscientos cincuenta mil".
 * Works on normalised text (see normalize.ts). Returns every amount found with its position.
 */

export interface NumberMention {
  readonly value: number;
  /** Character offsets in the normalised text. */
  readonly start: number;
  readonly end: number;
  /** The amount carried a money mark ($, pesos, mil, k, millón). */
  readonly money: boolean;
  readonly percent: boolean;
}

const UNITS: Record<string, number> = {
  cero: 0, un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9,
  diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18,
  diecinueve: 19, veinte: 20, veintiun: 21, veintiuno: 21, veintidos: 22, veintitres: 23, veinticuatro: 24,
  veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
};
const TENS: Record<string, number> = { treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90 };
const HUNDREDS: Record<string, number> = {
  cien: 100, ciento: 100, doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300, cuatrocientos: 400,
  quinientos: 500, quinientas: 500, seiscientos: 600, setecientos: 700, ochocientos: 800, novecientos: 900,
};

const isNumberWord = (w: string): boolean => w in UNITS || w in TENS || w in HUNDREDS || w === "mil" || w === "y" || /^mill?on(es)?$/.test(w) || w === "medio";

/** Parses a run of number words ("doscientos cincuenta mil") or returns undefined. */
export const wordsToNumber = (tokens: ReadonlyArray<string>): number | undefined => {
  let total = 0;
  let group = 0;
  let seen = false;
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    if (w === "y") continue;
    if (w in UNITS) group += UNITS[w]!;
    else if (w in TENS) group += TENS[w]!;
    else if (w in HUNDREDS) group += HUNDREDS[w]!;
    else if (w === "mil") {
      total += (group === 0 ? 1 : group) * 1000;
      group = 0;
    } else if (/^mill?on(es)?$/.test(w)) {
      total = (total + (group === 0 ? 1 : group)) * 1_000_000;
      group = 0;
    } else if (w === "medio") {
      // "medio millón" → 500,000; "un millón y medio" handled after the loop.
      const next = tokens[i + 1];
      if (next !== undefined && /^mill?on/.test(next)) {
        total += 500_000;
        i++;
      } else if (total >= 1_000_000 && group === 0) total += 500_000;
      else return seen ? total + group : undefined;
    } else return undefined;
    seen = true;
  }
  return seen ? total + group : undefined;
};

const DIGITS = /\$?\s?\d{1,3}(?: \d{3})+(?![\d,.])|\$?\s?\d[\d,.]*(?:\s?(?:k\b|m\b|mil\b|mill?on(?:es)?\b|mdp\b|%|por ?ciento\b|pesos\b|varos\b|lucas\b|baros\b))*/g;

/** Parses "300,000" / "300.000" / "1.5" / "2,5" into a number. */
const parseDigits = (raw: string): number | undefined => {
  // "280 000": thousands separated by a space
  if (/^\d{1,3}(?: \d{3})+$/.test(raw)) return Number(raw.replace(/ /g, ""));
  const s = raw.replace(/[^\d.,]/g, "");
  if (s === "") return undefined;
  // thousands separators: groups of exactly three digits after a separator
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ""));
  if (/^\d+[.,]\d{1,2}$/.test(s)) return Number(s.replace(",", "."));
  if (/^\d{1,3}(,\d{3})+\.\d{1,2}$/.test(s)) return Number(s.replace(/,/g, ""));
  if (/^\d+$/.test(s)) return Number(s);
  const cleaned = s.replace(/[.,]+$/, "");
  return /^\d+$/.test(cleaned) ? Number(cleaned) : undefined;
};

const digitMentions = (text: string): NumberMention[] => {
  const found: NumberMention[] = [];
  for (const match of text.matchAll(DIGITS)) {
    const raw = match[0].replace(/[.,]+$/, "");
    const numberPart = raw.match(/\d{1,3}(?: \d{3})+$|\d[\d,.]*/)![0].replace(/[.,]+$/, "");
    let value = parseDigits(numberPart);
    if (value === undefined) continue;
    const rest = raw.slice(raw.indexOf(numberPart) + numberPart.length);
    let money = raw.startsWith("$");
    const percent = /%|por ?ciento/.test(rest);
    if (/^\s?k\b/.test(rest)) {
      value *= 1000;
      money = true;
    }
    if (/mil\b/.test(rest) && !/mill?on/.test(rest)) {
      value *= 1000;
      money = true;
    }
    // "1.5M", "2m": millions (a usual loan term like "48m" was already read as months)
    if (/mill?on|mdp/.test(rest) || (/^\s?m\b/.test(rest) && value < 100)) {
      value *= 1_000_000;
      money = true;
    }
    if (/pesos|varos|lucas|baros/.test(rest)) money = true;
    // "300 lucas": a luca is a thousand pesos
    if (/lucas/.test(rest) && value < 10_000) value *= 1000;
    // "1.5 millones" may leave floating error; amounts are integer pesos
    const start = match.index;
    found.push({ value: Math.round(value * 100) / 100, start, end: start + raw.length, money, percent });
  }
  return found;
};

const wordMentions = (text: string): NumberMention[] => {
  const found: NumberMention[] = [];
  const re = /[a-z]+/g;
  const tokens: { w: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(re)) tokens.push({ w: m[0], start: m.index, end: m.index + m[0].length });
  let i = 0;
  while (i < tokens.length) {
    if (!isNumberWord(tokens[i]!.w) || tokens[i]!.w === "y" || (tokens[i]!.w === "medio" && !/^mill?on/.test(tokens[i + 1]?.w ?? ""))) {
      i++;
      continue;
    }
    let j = i;
    while (j < tokens.length && isNumberWord(tokens[j]!.w)) j++;
    // do not end on a dangling "y"
    while (j > i && tokens[j - 1]!.w === "y") j--;
    const run = tokens.slice(i, j).map((t) => t.w);
    const value = wordsToNumber(run);
    // "un"/"una" alone is an article, not a number
    const after0 = text.slice(tokens[j - 1]!.end, tokens[j - 1]!.end + 8);
    // "un"/"una" alone is an article; "mil gracias" is not an amount
    const article = run.length === 1 && (run[0] === "un" || run[0] === "una" || run[0] === "uno");
    const bareMil = run.length === 1 && run[0] === "mil" && !/^\s*pesos/.test(after0);
    if (value !== undefined && !article && !bareMil) {
      const after = text.slice(tokens[j - 1]!.end, tokens[j - 1]!.end + 12);
      const money = run.some((w) => w === "mil" || /^mill?on/.test(w)) || /^\s*pesos/.test(after);
      const percent = /^\s*(%|por ?ciento)/.test(after);
      found.push({ value, start: tokens[i]!.start, end: tokens[j - 1]!.end, money, percent });
    }
    i = Math.max(j, i + 1);
  }
  return found;
};

/** Every number in a normalised text, in order of appearance. "1.5 millones" → 1,500,000. */
export const findNumbers = (normalized: string): ReadonlyArray<NumberMention> => {
  const digits = digitMentions(normalized);
  // "2 millones y medio" / "1 millon y medio"
  const adjusted = digits.map((m) => {
    const after = normalized.slice(m.end);
    return m.value >= 1_000_000 && /^\s*y medio/.test(after) ? { ...m, value: m.value + 500_000, end: m.end + (after.match(/^\s*y medio/)![0].length) } : m;
  });
  const words = wordMentions(normalized).filter((w) => !adjusted.some((d) => w.start < d.end && d.start < w.end));
  return [...adjusted, ...words].sort((a, b) => a.start - b.start);
};
