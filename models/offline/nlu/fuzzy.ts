import { editDistance } from "../../../lib/edit-distance.ts";
import { COMMON_WORDS } from "./common-words.ts";

/** Edits tolerated for a word of this length: none below 4 letters, one for 4-6, two from 7 ("chofer" is not "Cooper"). */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);

/** First letters Spanish spelling confuses by sound: "sivic" is Civic, "bento" is Vento, "varato" is barato. */
const SAME_SOUND: ReadonlyArray<string> = ["csz", "bv", "yi", "kq", "gj"];
export const soundAlike = (a: string, b: string): boolean => a === b || SAME_SOUND.some((group) => group.includes(a) && group.includes(b));

/**
 * A corrector of misspelled words towards a small vocabulary ("garnatia" → "garantia", "camionta" →
 * "camioneta"): everyday words and words shorter than `minLength` stay as they are; a word within
 * `allowedEdits` of a vocabulary word whose first letter `firstLetters` accepts becomes it.
 */
export const spellingCorrector = (
  vocabulary: ReadonlyArray<string>,
  options: {
    readonly minLength: number;
    readonly firstLetters: (a: string, b: string) => boolean;
    /** Words that stand on their own although they start with a vocabulary word ("interesa", not "interes"). */
    readonly keepLongerWords?: boolean;
  },
): ((token: string) => string) => (token) => {
  if (token.length < options.minLength || COMMON_WORDS.has(token) || vocabulary.includes(token)) return token;
  for (const w of vocabulary) {
    if (!options.firstLetters(w[0]!, token[0]!) || (options.keepLongerWords === true && token.startsWith(w))) continue;
    const budget = allowedEdits(Math.min(token.length, w.length));
    if (budget > 0 && editDistance(token, w, budget) <= budget) return w;
  }
  return token;
};
