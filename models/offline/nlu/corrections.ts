/**
 * Corrections inside one message: "el tercero... no espera, mejor el cuarto", "a 36 meses, no,
 * mejor a 48", "con 40 mil de enganche, no, mejor 70 mil". What follows the last correction
 * replaces what it corrects. Pure.
 */
import type { Slots } from "./types.ts";

const CORRECTION = /\b(?:no,? espera|espera,? no|perdon,? (?:mejor|digo)|mejor dicho|me equivoque|ah no,? mejor|no,? no,? mejor|no,? mejor|o sea no)\b,?\s*(?:mejor\s+)?/g;
const MONEY: ReadonlyArray<keyof Slots> = ["downPayment", "price", "maxPrice", "minPrice", "monthlyBudget"];

/** The text before the last correction and after it, when something follows it. */
export const findCorrection = (normalized: string): { readonly before: string; readonly after: string } | undefined => {
  const last = [...normalized.matchAll(CORRECTION)].at(-1);
  if (last === undefined) return undefined;
  const after = normalized.slice(last.index + last[0].length).trim();
  return after === "" ? undefined : { before: normalized.slice(0, last.index), after };
};

/**
 * The message's slots with the correction applied, or undefined when the correction says nothing.
 * @param whole slots read from the whole message; @param before from the text before the correction;
 * @param after from the text after it.
 */
export const applyCorrection = (whole: Slots, before: Slots, after: Slots): Slots | undefined => {
  if (Object.keys(after).length === 0) return undefined;
  const slots: Slots = { ...whole };
  // "busco un Versa, no, mejor un Sentra": the Versa is not another model to search too
  if (after.make !== undefined || after.model !== undefined) {
    delete slots.otherModels;
    delete slots.query;
  }
  const { amount, ...named } = after;
  Object.assign(slots, named);
  // a bare amount corrects the one amount said before it, whatever its role
  if (amount !== undefined) {
    for (const k of MONEY) if (slots[k] === amount && before[k] === undefined) delete slots[k];
    const said = MONEY.filter((k) => before[k] !== undefined);
    if (said.length === 1) slots[said[0]!] = amount as never;
  }
  return slots;
};
