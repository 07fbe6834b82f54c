/** How one turn changes the dialogue state: first what the user said, then what each tool returned. */
import type { CarCard, SearchCarsInput } from "../../../tools/contracts.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import type { Slots, Understanding } from "../nlu/types.ts";
import { pickFound, resolveNamedCar } from "./resolve.ts";
import { emptyState, type CarQuery, type DialogueState, type FinancingFrame } from "./state.ts";
import { asAffordableOutput, asDetailsOutput, asFinancingOutput, asSearchOutput } from "./tool-data.ts";

const remember = (state: DialogueState, cars: ReadonlyArray<CarCard>): ReadonlyMap<number, CarCard> => {
  const known = new Map(state.known);
  for (const car of cars) known.set(car.stockId, car);
  return known;
};

const carQueryOf = (slots: Slots): CarQuery | undefined =>
  slots.make === undefined && slots.model === undefined && slots.query === undefined
    ? undefined
    : {
        ...(slots.make === undefined ? {} : { make: slots.make }),
        ...(slots.model === undefined ? {} : { model: slots.model }),
        ...(slots.query === undefined ? {} : { query: slots.query }),
        ...(slots.minYear === undefined ? {} : { minYear: slots.minYear }),
        ...(slots.maxYear === undefined ? {} : { maxYear: slots.maxYear }),
      };

/** Financing conditions the message states, on top of a base frame. */
const withConditions = (base: FinancingFrame, slots: Slots, amountMeans: "price" | "downPayment" | undefined): FinancingFrame => {
  let frame: FinancingFrame = base;
  if (slots.price !== undefined) frame = { ...frame, price: slots.price, car: undefined, carQuery: undefined };
  if (slots.amount !== undefined && amountMeans === "price") frame = { ...frame, price: slots.amount };
  const down = slots.downPayment ?? (slots.amount !== undefined && amountMeans === "downPayment" ? slots.amount : undefined);
  if (down !== undefined) frame = { ...frame, downPayment: down, downPaymentPercent: undefined };
  else if (slots.downPaymentPercent !== undefined) frame = { ...frame, downPaymentPercent: slots.downPaymentPercent, downPayment: undefined };
  if (slots.termMonths !== undefined) frame = { ...frame, termMonths: slots.termMonths };
  return frame;
};

type Conditions = Pick<FinancingFrame, "downPayment" | "downPaymentPercent" | "termMonths">;

const downOf = (d: { downPayment?: number; downPaymentPercent?: number }): Conditions =>
  d.downPaymentPercent !== undefined ? { downPaymentPercent: d.downPaymentPercent } : d.downPayment !== undefined ? { downPayment: d.downPayment } : {};

/** Conditions already given: the open request's, the last quote's, or a down payment stated before. */
const conditionsOf = (state: DialogueState): Conditions => {
  if (state.financing !== undefined) return { ...downOf(state.financing), ...(state.financing.termMonths === undefined ? {} : { termMonths: state.financing.termMonths }) };
  if (state.lastQuote !== undefined) return { ...downOf(state.lastQuote), termMonths: state.lastQuote.termMonths };
  return state.preferredDown === undefined ? {} : downOf(state.preferredDown);
};

/** The frame a financing request without a car named starts from: the open one, else the car in focus. */
const financingBase = (state: DialogueState): FinancingFrame => {
  if (state.financing !== undefined) return state.financing;
  const conditions = conditionsOf(state);
  // A quote's car is the focus until another list replaces it; then "¿cuál?" must be asked.
  if (state.focus !== undefined) return { car: state.focus, ...conditions };
  if (state.lastQuote !== undefined && state.lastQuote.car === undefined) return { price: state.lastQuote.price, ...conditions };
  return conditions;
};

const startFinancing = (state: DialogueState, slots: Slots): DialogueState => {
  const named = slots.make !== undefined || slots.model !== undefined || slots.reference !== undefined || slots.query !== undefined;
  const car = named ? resolveNamedCar(slots, state) : undefined;
  let base: FinancingFrame;
  if (!named) base = financingBase(state);
  else if (car !== undefined) base = { car, ...conditionsOf(state) };
  else base = { carQuery: carQueryOf(slots) ?? {}, ...conditionsOf(state) };
  const frame = withConditions(base, slots, base.car === undefined && base.carQuery === undefined && base.price === undefined ? "price" : "downPayment");
  return { ...state, flow: "financing", financing: frame, ...(car === undefined ? {} : { focus: car }) };
};

const answerFinancing = (state: DialogueState, slots: Slots): DialogueState => {
  const frame = state.financing ?? financingBase(state);
  const needsCar = frame.car === undefined && frame.price === undefined && frame.carQuery === undefined;
  return { ...state, flow: "financing", financing: withConditions(frame, slots, needsCar ? "price" : "downPayment") };
};

const answerAffordability = (state: DialogueState, slots: Slots): DialogueState => {
  const frame = state.affordability ?? {};
  const amount = slots.amount ?? slots.monthlyBudget;
  const next = {
    ...frame,
    ...(frame.monthlyBudget === undefined && amount !== undefined ? { monthlyBudget: amount } : {}),
    ...(slots.monthlyBudget !== undefined ? { monthlyBudget: slots.monthlyBudget } : {}),
    ...(slots.downPayment !== undefined ? { downPayment: slots.downPayment } : {}),
    ...(Array.isArray(slots.termMonths) ? { termMonths: slots.termMonths } : {}),
  };
  return { ...state, flow: "affordability", affordability: next };
};

const hasNoCarNamed = (slots: Slots): boolean => slots.reference === undefined && slots.make === undefined && slots.model === undefined && slots.query === undefined;

export const applyUser = (state: DialogueState, u: Understanding): DialogueState => {
  const next = applyIntent(state, u);
  const budget = u.slots.monthlyBudget ?? (next.flow === "affordability" ? next.affordability?.monthlyBudget : undefined);
  const withBudget = budget === undefined || u.intent === "cancel" ? next : { ...next, monthlyBudget: budget };
  // "mi march vale 120 mil": that amount is the down payment from now on
  return u.tradeIn === undefined ? withBudget : { ...withBudget, tradeIn: u.tradeIn, preferredDown: { downPayment: u.tradeIn } };
};

const applyIntent = (state: DialogueState, u: Understanding): DialogueState => {
  const { slots } = u;
  switch (u.intent) {
    case "cancel":
      return emptyState();
    case "financing":
      return startFinancing(state, slots);
    case "affordability":
      return {
        ...state,
        flow: "affordability",
        affordability: {
          // "¿y a 48 meses?" after a budget: the monthly payment and down payment already said still hold
          ...(slots.monthlyBudget === undefined ? (state.monthlyBudget === undefined ? {} : { monthlyBudget: state.monthlyBudget }) : { monthlyBudget: slots.monthlyBudget }),
          ...(slots.downPayment === undefined ? (state.preferredDown?.downPayment === undefined ? {} : { downPayment: state.preferredDown.downPayment }) : { downPayment: slots.downPayment }),
          ...(Array.isArray(slots.termMonths)
            ? { termMonths: slots.termMonths }
            : slots.monthlyBudget === undefined && state.lastAffordable?.plans.length === 1
              ? { termMonths: [state.lastAffordable.plans[0]!.termMonths] }
              : {}),
          ...(slots.bodyTypes === undefined ? {} : { bodyTypes: slots.bodyTypes }),
          ...(slots.needs === undefined ? {} : { needs: slots.needs }),
        },
      };
    case "provide_info":
      if (state.flow === "affordability" && state.affordability !== undefined) return answerAffordability(state, slots);
      if (state.financing !== undefined || state.lastQuote !== undefined || state.focus !== undefined || slots.amount === undefined) return answerFinancing(state, slots);
      return state;
    case "car_details":
    case "search_cars": {
      const car = resolveNamedCar(slots, state);
      const waiting = state.financing !== undefined && state.financing.car === undefined && state.financing.price === undefined;
      if (waiting) {
        // "el segundo" / "el Sentra" as the answer to "¿cuál quieres financiar?"
        if (car !== undefined) return { ...state, focus: car, financing: { ...state.financing, car, carQuery: undefined } };
        const query = carQueryOf(slots);
        return query === undefined ? state : { ...state, financing: { ...state.financing, carQuery: query } };
      }
      // A question about the car already in focus ("¿es automático?") leaves the flow where it was.
      const aboutFocus = state.focus !== undefined && u.intent === "car_details" && (car ?? (hasNoCarNamed(slots) ? state.focus : undefined))?.stockId === state.focus.stockId;
      if (aboutFocus) return state;
      // Looking at other cars leaves an unfinished quote behind; its down payment is remembered.
      const left = state.financing === undefined ? state : { ...state, financing: undefined, flow: undefined, preferredDown: downOf(state.financing) };
      return car === undefined ? left : { ...left, focus: car };
    }
    default:
      return state;
  }
};

const sameSearch = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  const strip = (x: Record<string, unknown>) => JSON.stringify(Object.entries(x).filter(([k]) => k !== "offset" && k !== "limit").sort(([p], [q]) => p.localeCompare(q)));
  return strip(a) === strip(b);
};

const applySearch = (state: DialogueState, input: Record<string, unknown>, value: unknown): DialogueState => {
  const output = asSearchOutput(value);
  if (output === undefined) return state;
  // The next page of the same search extends the numbered list ("el 7" after "más").
  // "la más barata" over the whole result set: one car picked, the list and the search stay as they were
  if (input.limit === 1 && typeof input.sort === "string" && state.lastSearch !== undefined) {
    const picked = output.cars[0];
    return picked === undefined ? state : { ...state, focus: picked, known: remember(state, [picked]) };
  }
  const previous = state.lastSearch;
  const nextPage =
    previous !== undefined && typeof input.offset === "number" && input.offset > 0 && input.offset === state.shown.length && sameSearch(previous.input, input);
  const shown = output.cars.length > 0 ? (nextPage ? [...state.shown, ...output.cars] : output.cars) : nextPage ? state.shown : output.nearest;
  let next: DialogueState = { ...state, shown, lastSearch: { input: input as SearchCarsInput, output }, known: remember(state, [...output.cars, ...output.nearest]) };
  const frame = state.financing;
  if (frame !== undefined && frame.car === undefined && frame.carQuery !== undefined) {
    const car = pickFound(output.cars, frame.carQuery);
    if (car !== undefined) next = { ...next, focus: car, financing: { ...frame, car, carQuery: undefined } };
  } else if (!nextPage) {
    // A new list replaces the car under discussion, unless it found exactly one.
    const { focus: _dropped, ...rest } = next;
    next = output.cars.length === 1 ? { ...rest, focus: output.cars[0]! } : rest;
  }
  return next;
};

const applyFinancing = (state: DialogueState, input: Record<string, unknown>, value: unknown): DialogueState => {
  const output = asFinancingOutput(value);
  if (output === undefined) return state;
  const frame = state.financing ?? {};
  if (!output.ok) {
    const code = output.error.code;
    const fixed: FinancingFrame =
      code === "invalid_term"
        ? { ...frame, termMonths: undefined }
        : code === "down_payment_too_high" || code === "invalid_down_payment"
          ? { ...frame, downPayment: undefined, downPaymentPercent: undefined }
          : code === "car_not_found"
            ? { ...frame, car: undefined }
            : code === "missing_price" || code === "invalid_price"
              ? { ...frame, price: undefined }
              : frame;
    return { ...state, financing: fixed };
  }
  const car = output.car === null ? undefined : (state.known.get(output.car.stockId) ?? frame.car);
  return {
    ...state,
    financing: undefined,
    flow: undefined,
    ...(car === undefined ? {} : { focus: car }),
    lastQuote: {
      ...(car === undefined ? {} : { car }),
      price: output.price,
      downPayment: output.downPayment,
      ...(typeof input.downPaymentPercent === "number" && input.downPayment === undefined ? { downPaymentPercent: input.downPaymentPercent } : {}),
      termMonths: output.plans.map((p) => p.termMonths),
    },
  };
};

export const applyTool = (state: DialogueState, exchange: ToolExchange): DialogueState => {
  const outcome = exchange.outcome;
  if (outcome === undefined || !outcome.ok) return state;
  switch (exchange.call.name) {
    case "search_cars":
      return applySearch(state, exchange.call.input, outcome.value);
    case "get_car_details": {
      const details = asDetailsOutput(outcome.value);
      return details?.found === true
        ? { ...state, focus: details.car, known: remember(state, [details.car]), detailed: new Set([...(state.detailed ?? []), details.car.stockId]) }
        : state;
    }
    case "calculate_financing":
      return applyFinancing(state, exchange.call.input, outcome.value);
    case "calculate_affordable_price": {
      const output = asAffordableOutput(outcome.value);
      const input = exchange.call.input;
      const stated = typeof input.downPayment === "number" ? { preferredDown: { downPayment: input.downPayment } } : {};
      return output?.ok === true ? { ...state, ...stated, monthlyBudget: output.monthlyBudget, lastAffordable: output, affordability: undefined, flow: undefined } : state;
    }
    default:
      return state;
  }
};

/**
 * Searches made together ("un Jetta o un Vento" → one search per model) show one list: merge them
 * before applying. The first search's input stays the one "más" pages through.
 */
export const mergeSearches = (exchanges: ReadonlyArray<ToolExchange>): ToolExchange[] => {
  const merged: ToolExchange[] = [];
  for (const exchange of exchanges) {
    const previous = merged.at(-1);
    const a = previous?.outcome?.ok === true && previous.call.name === "search_cars" ? asSearchOutput(previous.outcome.value) : undefined;
    const b = exchange.outcome?.ok === true && exchange.call.name === "search_cars" ? asSearchOutput(exchange.outcome.value) : undefined;
    if (previous === undefined || a === undefined || b === undefined || previous.call.step !== exchange.call.step) {
      merged.push(exchange);
      continue;
    }
    const seen = new Set(a.cars.map((c) => c.stockId));
    const combined = { ...a, total: a.total + b.total, cars: [...a.cars, ...b.cars.filter((c) => !seen.has(c.stockId))], nearest: [...a.nearest, ...b.nearest].slice(0, 3) };
    merged[merged.length - 1] = { call: previous.call, outcome: { ok: true, value: combined } };
  }
  return merged;
};

export const applyTools = (state: DialogueState, exchanges: ReadonlyArray<ToolExchange>): DialogueState => mergeSearches(exchanges).reduce(applyTool, state);

/** The query of this turn's last knowledge search, if it made one. */
const knowledgeQueryOf = (exchanges: ReadonlyArray<ToolExchange>): string | undefined => {
  const query = [...exchanges].reverse().find((e) => e.call.name === "search_knowledge")?.call.input.query;
  return typeof query === "string" ? query : undefined;
};

export const applyTurn = (state: DialogueState, u: Understanding, exchanges: ReadonlyArray<ToolExchange>): DialogueState => {
  const { lastKnowledgeQuery: _previous, ...next } = applyTools(applyUser(state, u), exchanges);
  const query = knowledgeQueryOf(exchanges);
  return query === undefined ? next : { ...next, lastKnowledgeQuery: query };
};
