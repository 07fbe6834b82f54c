/** Tells keyboard mashing and emoji-only messages from real text. */
import { COMMON_WORDS } from "./common-words.ts";
import { words } from "./normalize.ts";

const KEYBOARD_RUNS = /(qwer|wert|erty|asdf|sdfg|dfgh|fghj|ghjk|hjkl|zxcv|xcvb|cvbn|vbnm|poiu|lkjh|mnbv|jkl)/;

const looksLikeWord = (w: string): boolean => {
  if (COMMON_WORDS.has(w) || /^\d+$/.test(w)) return true;
  if (KEYBOARD_RUNS.test(w)) return false;
  const vowels = (w.match(/[aeiouy]/g) ?? []).length;
  if (w.length >= 4 && vowels === 0) return false;
  if (/[bcdfghjklmnpqrstvwxz]{5,}/.test(w)) return false;
  if (w.length >= 6 && vowels / w.length < 0.2) return false;
  return true;
};

/** True for messages with no letters or digits at all (emoji, punctuation), or mostly non-words. */
export const isGibberish = (normalized: string): boolean => {
  const tokens = words(normalized);
  if (tokens.length === 0) return true;
  if (tokens.every((t) => /^(?:ja|je|ji|ha|xd|jsjs|js)+$/.test(t))) return true;
  // "mmm", "k", "zz": one or two stray letters
  if (tokens.every((t) => t.length <= 2 && !COMMON_WORDS.has(t) && !/^\d+$/.test(t))) return true;
  const bad = tokens.filter((t) => !looksLikeWord(t)).length;
  return bad > 0 && bad / tokens.length >= 0.5;
};
