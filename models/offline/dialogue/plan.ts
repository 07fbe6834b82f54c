/**
 * The offline model's policy: given the dialogue state and this turn's message and tool results,
 * either call tools or write the reply, using only what tools returned.
 */
import type { CalculateFinancingInput, SearchCarsInput } from "../../../tools/contracts.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import type { Understanding } from "../nlu/types.ts";
import { carDetails, carList, carTitle } from "../replies/cards.ts";
import { answerCarQuestions as answerCarQuestion } from "../replies/car-question.ts";
import * as canned from "../replies/canned.ts";
import * as fin from "../replies/financing.ts";
import { knowledgeReply, noKnowledgeReply } from "../replies/knowledge.ts";
import { pesos } from "../replies/format.ts";
import { searchReply } from "../replies/search.ts";
import { resolveNamedCar } from "./resolve.ts";
import { ENGLISH_NOTE, nextSteps, planCue } from "./recover.ts";
import { knowledgeQuery } from "./knowledge-query.ts";
import { mergeSearches } from "./update.ts";
import { carQueryInput, moreInputFrom, PAGE_SIZE, searchInputFrom } from "./search-input.ts";
import type { DialogueState } from "./state.ts";
import { asAffordableOutput, asDetailsOutput, asFinancingOutput, asKnowledgeOutput, asSearchOutput } from "./tool-data.ts";

export interface ToolRequest {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export type Action = { readonly kind: "tools"; readonly calls: ReadonlyArray<ToolRequest> } | { readonly kind: "reply"; readonly text: string };

export interface TurnContext {
  readonly userText: string;
  readonly understanding: Understanding;
  /** State before this turn's message. */
  readonly before: DialogueState;
  /** State after the user's message, before this turn's tools. */
  readonly afterUser: DialogueState;
  /** State after this turn's tool results. */
  readonly now: DialogueState;
  readonly exchanges: ReadonlyArray<ToolExchange>;
  readonly tools: ReadonlySet<string>;
  /** Loan terms the financing tool says it offers (read from its description). */
  readonly terms: ReadonlyArray<number>;
  readonly seed: string;
}

const reply = (text: string): Action => ({ kind: "reply", text });
const call = (name: string, input: object): Action => ({ kind: "tools", calls: [{ name, input: input as Record<string, unknown> }] });

const lastExchange = (ctx: TurnContext, name: string): ToolExchange | undefined => [...ctx.exchanges].reverse().find((e) => e.call.name === name);

const toolFailed = (ctx: TurnContext): Action =>
  reply("Tuve un problema para consultar el sistema en este momento 🙏 ¿Lo intentamos de nuevo en un momento? Si prefieres, un asesor de Kavak te puede atender.");

/** Calls a tool unless it is unavailable or the same call already ran this turn. */
const callOnce = (ctx: TurnContext, name: string, input: object, otherwise: () => Action): Action => {
  if (!ctx.tools.has(name)) return otherwise();
  const same = ctx.exchanges.some((e) => e.call.name === name && JSON.stringify(e.call.input) === JSON.stringify(input));
  return same ? otherwise() : call(name, input);
};

const searchResultReply = (ctx: TurnContext, exchange: ToolExchange, more: boolean, heading?: string): Action => {
  if (exchange.outcome === undefined || !exchange.outcome.ok) return toolFailed(ctx);
  const output = asSearchOutput(exchange.outcome.value);
  if (output === undefined) return toolFailed(ctx);
  return reply(searchReply(exchange.call.input as SearchCarsInput, output, ctx.seed, more, heading));
};

/** "Opciones de Jetta y Vento:" when several models were searched together. */
const comparedHeading = (ctx: TurnContext, merged: ToolExchange): string | undefined => {
  const others = ctx.understanding.slots.otherModels ?? [];
  if (others.length === 0 || ctx.understanding.slots.model === undefined) return undefined;
  const out = merged.outcome?.ok === true ? asSearchOutput(merged.outcome.value) : undefined;
  if (out === undefined || out.cars.length === 0) return undefined;
  const names = [ctx.understanding.slots.model, ...others.map((m) => m.model)];
  return `Esto encontré de *${names.slice(0, -1).join(", ")}* y *${names.at(-1)!}*:`;
};

/** "Opciones más baratas que el Versa 2020:" for "otro más barato"/"más nuevo". */
const relativeHeading = (ctx: TurnContext): string | undefined => {
  const anchor = ctx.afterUser.focus ?? [...ctx.afterUser.shown].sort((a, b) => a.price - b.price)[0];
  if (anchor === undefined) return undefined;
  if (ctx.understanding.slots.sort === "price_asc") return `Opciones más baratas que el *${carTitle(anchor)}* (${pesos(anchor.price)}):`;
  if (ctx.understanding.slots.sort === "year_desc") return `Opciones más nuevas que el *${carTitle(anchor)}*:`;
  return undefined;
};

const search = (ctx: TurnContext): Action => {
  const done = mergeSearches(ctx.exchanges.filter((e) => e.call.name === "search_cars")).at(-1);
  if (done !== undefined) return searchResultReply(ctx, done, false, comparedHeading(ctx, done));
  const input = searchInputFrom(ctx.understanding.slots, ctx.afterUser);
  const others = ctx.understanding.slots.otherModels ?? [];
  if (others.length > 0 && ctx.tools.has("search_cars")) {
    // "un Jetta o un Vento": one search per model, made together
    return { kind: "tools", calls: [input, ...others.map((m) => ({ ...input, make: m.make, model: m.model }))].map((i) => ({ name: "search_cars", input: i as Record<string, unknown> })) };
  }
  if (Object.keys(input).length <= 1 && ctx.afterUser.lastSearch === undefined) {
    // "quiero un auto": no criteria yet; show a first page anyway, it is a concrete start
    return callOnce(ctx, "search_cars", { limit: PAGE_SIZE, sort: "price_asc" }, () => reply(canned.askWhatToSearch()));
  }
  return callOnce(ctx, "search_cars", input, () => reply(canned.askWhatToSearch()));
};

const more = (ctx: TurnContext): Action => {
  const done = lastExchange(ctx, "search_cars");
  if (done !== undefined) return searchResultReply(ctx, done, ctx.understanding.slots.sort === undefined, relativeHeading(ctx));
  const input = moreInputFrom(ctx.understanding.slots, ctx.afterUser);
  if (input === undefined) return search(ctx);
  return callOnce(ctx, "search_cars", input, () => reply(canned.askWhatToSearch()));
};

/** "¿el Versa tiene carplay?" before any Versa was shown: the answer for each one found, when every card answers it. */
const answerForEach = (ctx: TurnContext, exchange: ToolExchange): Action | undefined => {
  const output = exchange.outcome?.ok === true ? asSearchOutput(exchange.outcome.value) : undefined;
  if (output === undefined || output.cars.length === 0 || output.cars.length > 3) return undefined;
  const answers = output.cars.map((car) => answerCarQuestion(car, ctx.userText));
  if (answers.some((a) => a === undefined)) return undefined;
  const lines = answers.map((a, i) => (output.cars.length === 1 ? a! : `*${i + 1}.* ${a!}`));
  return reply(`${lines.join("\n")}\n\n¿Te interesa ${output.cars.length === 1 ? "este" : "alguno"}? Te doy la ficha completa o te calculo las mensualidades.`);
};

const details = (ctx: TurnContext): Action => {
  const done = lastExchange(ctx, "get_car_details");
  if (done !== undefined) {
    if (done.outcome === undefined || !done.outcome.ok) return toolFailed(ctx);
    const out = asDetailsOutput(done.outcome.value);
    if (out === undefined) return toolFailed(ctx);
    if (!out.found) return reply("Ese auto ya no aparece en el inventario; es posible que se haya vendido. ¿Te muestro opciones parecidas?");
    const answer = answerCarQuestion(out.car, ctx.userText);
    if (answer !== undefined) return reply(`${answer}${afterCarAnswer(ctx.afterUser)}`);
    return reply(`${carDetails(out.car)}\n\n¿Quieres que te calcule las mensualidades de este auto?`);
  }
  const { slots } = ctx.understanding;
  const target = resolveNamedCar(slots, ctx.afterUser) ?? (slots.reference === undefined && slots.model === undefined ? ctx.afterUser.focus : undefined);
  // "¿y tiene carplay?" about a car whose details are already in the conversation: answer from them
  const known = target !== undefined && ctx.afterUser.detailed?.has(target.stockId) === true ? answerCarQuestion(target, ctx.userText) : undefined;
  if (known !== undefined) return reply(`${known}${afterCarAnswer(ctx.afterUser)}`);
  if (target !== undefined) return callOnce(ctx, "get_car_details", { stockId: target.stockId }, () => reply(`${carDetails(target)}\n\n¿Quieres que te calcule las mensualidades?`));
  if (slots.make !== undefined || slots.model !== undefined) {
    const found = lastExchange(ctx, "search_cars");
    if (found === undefined) return callOnce(ctx, "search_cars", searchInputFrom(slots, ctx.afterUser), () => reply(canned.askWhichCar(false)));
    return answerForEach(ctx, found) ?? searchResultReply(ctx, found, false);
  }
  if (slots.reference?.kind === "ordinal" && ctx.afterUser.shown.length > 0)
    return reply(`En la lista solo hay ${ctx.afterUser.shown.length} ${ctx.afterUser.shown.length === 1 ? "opción" : "opciones"}. ¿Cuál te interesa?`);
  return reply(canned.askWhichCar(ctx.afterUser.shown.length > 0));
};

const financing = (ctx: TurnContext): Action => {
  const quoteDone = lastExchange(ctx, "calculate_financing");
  if (quoteDone !== undefined) {
    if (quoteDone.outcome === undefined || !quoteDone.outcome.ok) return toolFailed(ctx);
    const out = asFinancingOutput(quoteDone.outcome.value);
    if (out === undefined) return toolFailed(ctx);
    if (out.ok) return reply(`${fin.quoteReply(out, ctx.seed)}${budgetWarning(ctx.afterUser, out)}`);
    const frame = ctx.afterUser.financing;
    return reply(fin.financingErrorReply(out.error, frame?.car?.price ?? frame?.price, ctx.terms));
  }
  const frame = ctx.now.financing ?? {};
  if (frame.car === undefined && frame.price === undefined) {
    if (frame.carQuery !== undefined && Object.keys(frame.carQuery).length > 0) {
      const searched = lastExchange(ctx, "search_cars");
      if (searched === undefined) return callOnce(ctx, "search_cars", carQueryInput(frame.carQuery), () => reply(fin.askCarToFinance(false)));
      if (searched.outcome === undefined || !searched.outcome.ok) return toolFailed(ctx);
      const out = asSearchOutput(searched.outcome.value);
      if (out === undefined) return toolFailed(ctx);
      if (out.cars.length === 0) return reply(searchReply(searched.call.input as SearchCarsInput, out, ctx.seed));
      return reply(fin.pickCarToFinance(carList(out.cars)));
    }
    return reply(fin.askCarToFinance(ctx.now.shown.length > 0));
  }
  if (frame.downPayment === undefined && frame.downPaymentPercent === undefined) return reply(fin.askDownPayment(frame.car, frame.price, ctx.seed));
  if (frame.termMonths === undefined) return reply(fin.askTerms(ctx.seed, ctx.terms));
  const input: CalculateFinancingInput = {
    ...(frame.car !== undefined ? { stockId: frame.car.stockId } : { price: frame.price! }),
    ...(frame.downPayment !== undefined ? { downPayment: frame.downPayment } : { downPaymentPercent: frame.downPaymentPercent! }),
    ...(frame.termMonths === "all" ? {} : { termMonths: [...frame.termMonths] }),
  };
  return callOnce(ctx, "calculate_financing", input, () => reply("Por ahora no puedo calcular el financiamiento; un asesor de Kavak te puede ayudar con eso."));
};

const affordability = (ctx: TurnContext): Action => {
  const affordDone = lastExchange(ctx, "calculate_affordable_price");
  if (affordDone !== undefined) {
    if (affordDone.outcome === undefined || !affordDone.outcome.ok) return toolFailed(ctx);
    const out = asAffordableOutput(affordDone.outcome.value);
    if (out === undefined) return toolFailed(ctx);
    if (!out.ok) return reply(out.error.code === "invalid_term" ? fin.financingErrorReply(out.error, undefined, ctx.terms) : "Necesito un pago mensual mayor a cero para calcularlo. ¿Cuánto te gustaría pagar al mes?");
    const maxPrice = Math.max(...out.plans.map((p) => p.maxPrice));
    const searched = lastExchange(ctx, "search_cars");
    if (searched === undefined && maxPrice > 0 && ctx.tools.has("search_cars")) {
      const frame = ctx.afterUser.affordability ?? {};
      return callOnce(ctx, "search_cars", { maxPrice, sort: "price_desc", limit: 3, ...(frame.bodyTypes === undefined ? {} : { bodyTypes: frame.bodyTypes }), ...(frame.needs === undefined ? {} : { needs: frame.needs }) }, () => reply(fin.affordableLines(out)));
    }
    const found = searched?.outcome?.ok === true ? asSearchOutput(searched.outcome.value) : undefined;
    const cars = found?.cars ?? [];
    const longest = out.plans.find((p) => p.maxPrice === maxPrice);
    const list = cars.length > 0 ? `\n\nAlgunas opciones de hasta ${pesos(maxPrice)}${longest === undefined ? "" : ` (a ${longest.termMonths} meses)`}:\n\n${carList(cars)}\n\n¿Te interesa alguno? Dime el número y te calculo las mensualidades exactas.` : "\n\n¿Quieres que te busque opciones en ese rango?";
    return reply(`${fin.affordableLines(out)}${list}`);
  }
  const frame = ctx.now.affordability ?? {};
  if (frame.monthlyBudget === undefined) return reply(fin.askMonthlyBudget());
  return callOnce(
    ctx,
    "calculate_affordable_price",
    { monthlyBudget: frame.monthlyBudget, ...(frame.downPayment === undefined ? {} : { downPayment: frame.downPayment }), ...(frame.termMonths === undefined ? {} : { termMonths: [...frame.termMonths] }) },
    () => reply("Por ahora no puedo hacer ese cálculo; dime un modelo o un precio y te calculo las mensualidades."),
  );
};

/** After answering a side question, point back at the car or flow left open. */
const backToFlow = (state: DialogueState): string => {
  if (state.financing !== undefined && (state.financing.car !== undefined || state.financing.price !== undefined)) return `\n\n¿Seguimos con el financiamiento${state.financing.car === undefined ? "" : ` del *${carTitle(state.financing.car)}*`}?`;
  if (state.focus !== undefined) return `\n\n¿Seguimos con el *${carTitle(state.focus)}*? Te puedo calcular las mensualidades.`;
  return "";
};

/** After answering a question about a car: back to the open financing, or the usual next steps. */
const afterCarAnswer = (state: DialogueState): string => {
  const flow = state.financing === undefined ? "" : backToFlow(state);
  return flow !== "" ? flow : "\n\n¿Quieres ver la ficha completa o que te calcule las mensualidades?";
};

const knowledge = (ctx: TurnContext): Action => {
  const done = lastExchange(ctx, "search_knowledge");
  if (done !== undefined) {
    // A failed search is an apology, never a false "we do not know".
    if (done.outcome === undefined || !done.outcome.ok) return toolFailed(ctx);
    const out = asKnowledgeOutput(done.outcome.value);
    if (out === undefined) return toolFailed(ctx);
    if (out.results.length === 0) return reply(noKnowledgeReply(ctx.seed));
    return reply(`${knowledgeReply(out, ctx.seed)}${backToFlow(ctx.afterUser)}`);
  }
  return callOnce(ctx, "search_knowledge", { query: knowledgeQuery(ctx.userText, ctx.before.lastKnowledgeQuery) }, () => reply(noKnowledgeReply(ctx.seed)));
};

const provideInfo = (ctx: TurnContext): Action => {
  if (ctx.afterUser.flow === "affordability") return affordability(ctx);
  if (ctx.afterUser.financing !== undefined) return financing(ctx);
  // A bare amount with nothing pending reads as a budget.
  const amount = ctx.understanding.slots.amount;
  if (amount !== undefined) return search({ ...ctx, understanding: { intent: "search_cars", slots: { maxPrice: amount } } });
  return reply(canned.askWhatToSearch());
};

const affirm = (ctx: TurnContext): Action => {
  const state = ctx.afterUser;
  if (state.financing !== undefined) return financing(ctx);
  if (state.focus !== undefined && state.lastQuote === undefined) return financing({ ...ctx, now: { ...ctx.now, financing: { car: state.focus } }, afterUser: { ...state, financing: { car: state.focus } } });
  if (state.lastSearch !== undefined && state.lastSearch.output.cars.length === 0) return reply("¡Va! Dime qué cambiamos: ¿más presupuesto, otro año o algún otro modelo o tipo de auto?");
  if (state.shown.length > 1) return reply("¡Va! ¿Cuál de la lista te interesa? Dime su número.");
  return reply(canned.affirmWithoutContext());
};

export const plan = (ctx: TurnContext): Action => {
  const action = withAlsoAnswered(ctx, withTradeIn(ctx, planTurn(ctx)));
  // An English message: the reply says we attend in Spanish, and still helps
  if (ctx.understanding.english !== true || action.kind !== "reply") return action;
  const helpless = ctx.understanding.intent === "off_topic" || ctx.understanding.intent === "gibberish" || ctx.understanding.intent === "greeting" || ctx.understanding.intent === "help";
  return reply(helpless && ctx.understanding.cue === undefined ? `${ENGLISH_NOTE} ${canned.helpReply()}` : `${ENGLISH_NOTE}\n\n${action.text}`);
};

/**
 * "¿cuánto cuesta el Tracker? ¿y tiene garantía?": once the car part is answered, the Kavak question
 * of the same message goes to the knowledge base and its answer follows; when the base has nothing,
 * the reply says so instead of dropping the question.
 */
const withAlsoAnswered = (ctx: TurnContext, action: Action): Action => {
  const also = ctx.understanding.also;
  if (also === undefined || action.kind !== "reply" || ctx.understanding.intent === "knowledge") return action;
  const query = knowledgeQuery(also, undefined);
  const done = ctx.exchanges.find((e) => e.call.name === "search_knowledge" && (e.call.input as { query?: unknown }).query === query);
  if (done === undefined) {
    if (!ctx.tools.has("search_knowledge") || ctx.exchanges.length >= 4) return action;
    return call("search_knowledge", { query });
  }
  const out = done.outcome?.ok === true ? asKnowledgeOutput(done.outcome.value) : undefined;
  const answer = out === undefined || out.results.length === 0 ? `Sobre tu otra pregunta: ${noKnowledgeReply(ctx.seed)}` : knowledgeReply(out, ctx.seed);
  return reply(`${action.text}\n\n${answer}`);
};

/** "mi march vale 120 mil": say that amount is taken as the down payment. */
const withTradeIn = (ctx: TurnContext, action: Action): Action =>
  ctx.understanding.tradeIn === undefined || action.kind !== "reply" ? action : reply(`Va, tomo los ${pesos(ctx.understanding.tradeIn)} de tu auto como enganche 👍\n\n${action.text}`);

/** A quote over the monthly budget the customer gave: said plainly, with what could fit. */
const budgetWarning = (state: DialogueState, out: { plans: ReadonlyArray<{ termMonths: number; monthlyPayment: string }> }): string => {
  const budget = state.monthlyBudget;
  if (budget === undefined) return "";
  const over = out.plans.filter((p) => Number(p.monthlyPayment) > budget);
  if (over.length === 0) return `\n\n✅ Queda dentro de tu presupuesto de ${pesos(budget)} al mes.`;
  if (over.length === out.plans.length) return `\n\n⚠️ Ojo: ${over.length === 1 ? "esa mensualidad pasa" : "estas mensualidades pasan"} tu presupuesto de ${pesos(budget)} al mes. ¿Probamos con más enganche, un plazo más largo o un auto más económico?`;
  return `\n\n⚠️ Ojo: a ${over.map((p) => p.termMonths).join(", ")} meses la mensualidad pasa tu presupuesto de ${pesos(budget)} al mes.`;
};

const planTurn = (ctx: TurnContext): Action => {
  const cue = planCue(ctx);
  if (cue !== undefined) return cue;
  // No flow needs more than three tool calls; past five something loops, so stop inside the step limit.
  if (ctx.exchanges.length >= 5) return toolFailed(ctx);
  switch (ctx.understanding.intent) {
    case "search_cars":
      return waitingCarAnswered(ctx) ? financing(ctx) : search(ctx);
    case "more_results":
      return more(ctx);
    case "car_details":
      return waitingCarAnswered(ctx) ? financing(ctx) : details(ctx);
    case "financing":
      return financing(ctx);
    case "affordability":
      return affordability(ctx);
    case "provide_info":
      return provideInfo(ctx);
    case "knowledge":
      return knowledge(ctx);
    case "greeting":
      return reply(canned.greetingReply(ctx.seed));
    case "help":
      return reply(canned.helpReply());
    case "thanks":
      return reply(canned.thanksReply(ctx.seed));
    case "goodbye":
      return reply(canned.goodbyeReply(ctx.seed));
    case "cancel":
      return reply(canned.cancelReply());
    case "injection":
      return reply(canned.injectionReply(ctx.seed));
    case "gibberish":
      return reply(canned.gibberishReply(ctx.seed));
    case "affirm":
      return affirm(ctx);
    case "deny":
      return reply(canned.denyReply(ctx.seed));
    case "off_topic":
      return reply(canned.offTopicReply(ctx.seed));
  }
};

/** True when a financing request was waiting for its car and this message named it. */
const waitingCarAnswered = (ctx: TurnContext): boolean => {
  const waiting = ctx.before.financing;
  if (waiting === undefined || waiting.car !== undefined || waiting.price !== undefined) return false;
  const after = ctx.afterUser.financing;
  return after !== undefined && (after.car !== undefined || after.carQuery !== waiting.carQuery);
};
