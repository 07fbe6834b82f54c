/**
 * Reads a message in the light of the conversation so far, where the message alone is ambiguous:
 * - "¿se puede financiar?" is a question for the knowledge base, unless a car is being discussed;
 * - "unos 300 mil" answers an open money question, or else is a budget to search with;
 * - "¿y cuánto dura?" or "¿y cuánto cuesta?" right after a Kavak answer continues that question
 *   instead of leaving the topic (or asking which car, when none is being discussed).
 */
import { normalize, words } from "../nlu/normalize.ts";
import type { Understanding } from "../nlu/types.ts";
import type { DialogueState } from "./state.ts";

/** Short, or opened with "y"/"e"/"también": it leans on what was said before. */
export const isElliptical = (text: string): boolean => {
  const plain = normalize(text);
  return /^(?:y|e|o|tambien|y tambien|ahi|alli|aqui|entonces y)\b/.test(plain) || words(plain).length <= 4;
};

const carInPlay = (state: DialogueState): boolean => state.focus !== undefined || state.financing !== undefined || state.lastQuote !== undefined;

export const readInContext = (u: Understanding, text: string, before: DialogueState): Understanding => {
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
