/** Builds search_cars inputs from slots, refining the previous search when the user only adds filters. */
import type { CarCard, SearchCarsInput } from "../../../tools/contracts.ts";
import type { Slots } from "../nlu/types.ts";
import type { CarQuery, DialogueState } from "./state.ts";

export const PAGE_SIZE = 5;

const FILTERS = ["minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs", "sort"] as const;
const SUBJECT = ["make", "model", "query", "bodyTypes", "needs"] as const;
const KEPT_ACROSS_SUBJECTS = ["minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "transmission"] as const;

const compact = (input: Record<string, unknown>): SearchCarsInput => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as SearchCarsInput;
};

export const searchInputFrom = (slots: Slots, state: DialogueState): SearchCarsInput => {
  const subject = SUBJECT.some((k) => slots[k] !== undefined);
  const previous = state.lastSearch?.input;
  // "que sea automático" after a search: same search, one more filter
  const base: Record<string, unknown> = !subject && previous !== undefined ? { ...previous, offset: undefined } : {};
  // "ahora camionetas", "¿y algún Toyota?": a new kind of car or a brand, within the budget, years
  // and km already set; only a named model starts afresh
  if (subject && previous !== undefined && slots.model === undefined && slots.query === undefined)
    for (const k of KEPT_ACROSS_SUBJECTS) if (previous[k] !== undefined) base[k] = previous[k];
  for (const k of ["make", "model", "query"] as const) if (slots[k] !== undefined) base[k] = slots[k];
  for (const k of FILTERS) if (slots[k] !== undefined) base[k] = slots[k];
  base.limit = PAGE_SIZE;
  return compact(base);
};

export const carQueryInput = (query: CarQuery): SearchCarsInput => compact({ ...query, limit: PAGE_SIZE });

/** "muéstrame más": next page; "otro más barato": cheaper than the car in focus (or the cheapest shown). */
export const moreInputFrom = (slots: Slots, state: DialogueState): SearchCarsInput | undefined => {
  const previous = state.lastSearch;
  if (previous === undefined) return undefined;
  const anchor: CarCard | undefined = state.focus ?? [...state.shown].sort((a, b) => a.price - b.price)[0];
  const extra: Record<string, unknown> = {};
  for (const k of FILTERS) if (slots[k] !== undefined && k !== "sort") extra[k] = slots[k];
  if (slots.sort === "price_asc" && anchor !== undefined) return compact({ ...previous.input, ...extra, maxPrice: anchor.price - 1, sort: "price_desc", offset: undefined, limit: PAGE_SIZE });
  if (slots.sort === "year_desc" && anchor !== undefined) return compact({ ...previous.input, ...extra, minYear: anchor.year + 1, sort: "year_desc", offset: undefined, limit: PAGE_SIZE });
  if (Object.keys(extra).length > 0) return compact({ ...previous.input, ...extra, offset: undefined, limit: PAGE_SIZE });
  const offset = (previous.output.offset ?? 0) + previous.output.cars.length;
  return compact({ ...previous.input, offset, limit: PAGE_SIZE });
};
