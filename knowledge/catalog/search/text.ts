/** Text primitives shared by both engines: normalisation, tokens, the typo rule. */
import { foldAccents } from "../../../lib/fold-accents.ts";

/** Lower case without accents: "Automático" → "automatico". */
export const normalize = (value: string): string => foldAccents(value).toLowerCase();

/**
 * Words of a text: letters and digits; a decimal point inside a number stays ("2.0"), every other
 * character separates ("CR-V" → "cr", "v"; "5 PTAS." → "5", "ptas").
 */
export const tokenize = (value: string): string[] =>
  normalize(value)
    .split(/[^a-z0-9.]+/)
    .map((token) => token.replace(/^\.+|\.+$/g, "").replace(/\.(?!\d)|(?<!\d)\./g, ""))
    .filter((token) => token !== "");

/** Letters and digits only: "CR-V" → "crv", "Mazda 3" → "mazda3", "Mercedes Benz" → "mercedesbenz". */
export const compact = (value: string): string => normalize(value).replace(/[^a-z0-9]/g, "");

/**
 * The typo rule, per query word (Damerau-Levenshtein: a swap of two neighbours is one edit):
 * up to 3 characters exact, 4-6 one edit, 7 or more two edits. Words with digits are exact
 * ("x1" must not find "x3"; "2020" must not find "2021").
 */
export const allowedEdits = (term: string): number => {
  if (/\d/.test(term)) return 0;
  if (term.length <= 3) return 0;
  if (term.length <= 6) return 1;
  return 2;
};

/** The words with two neighbouring letters swapped ("vesra" → "evsra", "vsera", "versa", "vesar"). */
export const adjacentSwaps = (term: string): string[] => {
  const variants = new Set<string>();
  for (let i = 0; i < term.length - 1; i++) {
    if (term[i] === term[i + 1]) continue;
    variants.add(term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2));
  }
  return [...variants];
};
