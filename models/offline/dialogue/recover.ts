/**
 * Turns that keep the conversation going (issue 13): the best car over the whole result set, a
 * comparison with reasons, sizes from the catalog's dimensions, prices on screen, empathy with
 * cheaper options, and — when unsure about an in-domain message — what was understood plus the two
 * or three likely next steps for the current state. Every figure comes from a tool's output.
 */
import type { CarCard, SearchCarsInput } from "../../../tools/contracts.ts";
import type { Sort } from "../nlu/types.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import { carCard, carList, carTitle, statedSeats } from "../replies/cards.ts";
import { kilometres, pesos } from "../replies/format.ts";
import { matchNamed, resolveReference } from "./resolve.ts";
import { PAGE_SIZE, searchInputFrom } from "./search-input.ts";
import type { DialogueState } from "./state.ts";
import { asDetailsOutput, asSearchOutput } from "./tool-data.ts";
import { plain, SMALLEST } from "./turn-cues.ts";
import type { Action, TurnContext } from "./plan.ts";

const reply = (text: string): Action => ({ kind: "reply", text });
const calls = (list: ReadonlyArray<{ name: string; input: object }>): Action => ({ kind: "tools", calls: list.map((c) => ({ name: c.name, input: c.input as Record<string, unknown> })) });

const FAILED = "Tuve un problema para consultar el sistema en este momento 🙏 ¿Lo intentamos de nuevo en un momento? Si prefieres, un asesor de Kavak te puede atender.";

const searched = (ctx: TurnContext): ToolExchange | undefined => [...ctx.exchanges].reverse().find((e) => e.call.name === "search_cars");

const BEST_LABEL: Record<Sort, string> = {
  price_asc: "la opción más barata",
  price_desc: "la opción más cara",
  year_desc: "la opción más nueva",
  year_asc: "la opción más antigua",
  km_asc: "la opción con menos kilómetros",
};

const SORT_ORDER: Record<Sort, (a: CarCard, b: CarCard) => number> = {
  price_asc: (a, b) => a.price - b.price || a.km - b.km,
  price_desc: (a, b) => b.price - a.price,
  year_desc: (a, b) => b.year - a.year || a.km - b.km,
  year_asc: (a, b) => a.year - b.year,
  km_asc: (a, b) => a.km - b.km || b.year - a.year,
};

/** Every order a message asks for: "¿cuál tiene menos km? ¿y cuál es más nuevo?" asks two. */
const sortsAsked = (text: string, first: Sort): Sort[] => {
  const p = plain(text);
  const asked: Sort[] = [first];
  const add = (s: Sort, re: RegExp) => {
    if (re.test(p) && !asked.includes(s)) asked.push(s);
  };
  add("km_asc", /\bmenos (?:km|kms|kilometros|kilometraje|recorrido)\b/);
  add("year_desc", /\bmas (?:nuev[oa]|recientes?|moderno)\b/);
  add("price_asc", /\bmas barat[oa]\b/);
  add("price_desc", /\bmas car[oa]\b/);
  return asked;
};

/**
 * "Sentra, Corolla y Jetta" searched together: the list shown is the union of several searches, so
 * "¿cuál es el más nuevo?" is answered over those cars, and said so.
 */
const bestOfShownModels = (ctx: TurnContext, sort: Sort): Action | undefined => {
  const all = ctx.before.shown;
  const models = new Set(all.map((c) => `${c.make}|${c.model}`));
  if (models.size < 2 || ctx.before.lastSearch?.input.model === undefined) return undefined;
  // "entre el Sentra 2019 y el Corolla 2020, ¿cuál…?": only the cars named
  const named = comparedCars(ctx);
  const shown = named.length >= 2 && named.length < all.length ? named : all;
  const lines = sortsAsked(ctx.userText, sort).map((s) => {
    const car = [...shown].sort(SORT_ORDER[s])[0]!;
    return `• ${BEST_LABEL[s][0]!.toUpperCase()}${BEST_LABEL[s].slice(1)}: *${carTitle(car)}* (${pesos(car.price)} · ${kilometres(car.km)})`;
  });
  return reply(`${shown === all ? `De las ${all.length} opciones que te mostré` : `Entre ${shown.map((c) => `el *${carTitle(c)}*`).join(" y ")}`}:\n${lines.join("\n")}\n\n¿Te doy la ficha completa de alguno o te calculo las mensualidades?`);
};

/** "la más barata": one search over every result, ordered, and the first car. */
const best = (ctx: TurnContext, sort: Sort): Action => {
  const overShown = searched(ctx) === undefined ? bestOfShownModels(ctx, sort) : undefined;
  if (overShown !== undefined) return overShown;
  const done = searched(ctx);
  if (done !== undefined) {
    const out = done.outcome?.ok === true ? asSearchOutput(done.outcome.value) : undefined;
    if (out === undefined) return reply(FAILED);
    const car = out.cars[0];
    if (car === undefined) return reply("No encontré autos con esos filtros. ¿Quieres que ajustemos la búsqueda (precio, año o tipo de auto)?");
    const scope = out.total === 1 ? "La única opción de tu búsqueda:" : `De las *${out.total} opciones* de tu búsqueda (todas, no solo las de la lista), ${BEST_LABEL[sort]} es:`;
    return reply(`${scope}\n\n${carCard(car)}\n\n¿Te doy la ficha completa, te calculo las mensualidades o buscamos algo parecido?`);
  }
  const input: SearchCarsInput = { ...searchInputFrom(ctx.understanding.slots, ctx.before), sort, limit: 1 };
  delete (input as { offset?: number }).offset;
  return ctx.tools.has("search_cars") ? calls([{ name: "search_cars", input }]) : reply(FAILED);
};

/** The cars a comparison is about: named or pointed at, else the list on screen (up to four). */
const comparedCars = (ctx: TurnContext): CarCard[] => {
  const { slots } = ctx.understanding;
  const state = ctx.before;
  const picked: CarCard[] = [];
  const add = (car: CarCard | undefined) => {
    if (car !== undefined && !picked.some((c) => c.stockId === car.stockId)) picked.push(car);
  };
  // "el 1 y el 3": every ordinal written
  for (const m of plain(ctx.userText).matchAll(/\b(?:el|la|y el|y la|del|y)\s+(\d)\b/g)) add(state.shown[Number(m[1]) - 1]);
  if (slots.reference !== undefined) add(resolveReference(slots.reference, state));
  const pool = state.shown.length > 0 ? state.shown : [...state.known.values()];
  for (const named of [slots.model === undefined ? undefined : { make: slots.make, model: slots.model }, ...(slots.otherModels ?? [])]) {
    if (named === undefined) continue;
    const fit = matchNamed({ model: named.model, ...(named.make === undefined ? {} : { make: named.make }) }, pool);
    add(fit[0] ?? matchNamed({ model: named.model }, state.known.values())[0]);
  }
  if (picked.length >= 2) return picked;
  if (picked.length === 1 && state.focus !== undefined) add(state.focus);
  if (picked.length >= 2) return picked;
  return state.shown.slice(0, 5);
};

const pickBy = (cars: ReadonlyArray<CarCard>, better: (a: CarCard, b: CarCard) => boolean): CarCard => cars.reduce((acc, c) => (better(c, acc) ? c : acc));

const compare = (ctx: TurnContext): Action => {
  const cars = comparedCars(ctx);
  if (cars.length < 2) return reply(`Para compararlos necesito al menos dos autos 🙂${nextSteps(ctx.before, ctx.terms)}`);
  const cheapest = pickBy(cars, (a, b) => a.price < b.price);
  const leastKm = pickBy(cars, (a, b) => a.km < b.km);
  const newest = pickBy(cars, (a, b) => a.year > b.year);
  const lines = cars.map((c, i) => {
    const extras = [c.transmission === "automatica" ? "automático" : c.transmission === "manual" ? "estándar" : undefined, c.carPlay === true ? "CarPlay" : undefined, c.bluetooth === true ? "Bluetooth" : undefined].filter((x) => x !== undefined);
    return `*${i + 1}. ${carTitle(c)}*: ${pesos(c.price)} · ${kilometres(c.km)}${extras.length > 0 ? ` · ${extras.join(", ")}` : ""}`;
  });
  const reasons = [`💰 Más barato: *${carTitle(cheapest)}* (${pesos(cheapest.price)})`, `🛣️ Menos kilómetros: *${carTitle(leastKm)}* (${kilometres(leastKm.km)})`, `🆕 Más nuevo: *${carTitle(newest)}*`];
  const budget = ctx.before.monthlyBudget;
  const verdict =
    cheapest.stockId === leastKm.stockId
      ? `Por precio y por uso, el *${carTitle(cheapest)}* es el que más te conviene.`
      : `Si lo que más te importa es pagar menos, te conviene el *${carTitle(cheapest)}*; si prefieres el menos usado, el *${carTitle(leastKm)}*.`;
  return reply(
    `Te los comparo con los datos del inventario:\n\n${lines.join("\n")}\n\n${reasons.join("\n")}\n\n${verdict}${budget === undefined ? "" : ` Con tu presupuesto de ${pesos(budget)} al mes, te calculo la mensualidad de cualquiera para ver cuál te queda.`}\n\n¿Te calculo las mensualidades de alguno o te doy su ficha completa?`,
  );
};

/** "el más chico", "menos de 4 metros": lengths from each car's details (the catalog's dimensions). */
const size = (ctx: TurnContext): Action => {
  const cars = ctx.before.shown.slice(0, 5);
  const details = ctx.exchanges.filter((e) => e.call.name === "get_car_details");
  if (details.length === 0) {
    if (!ctx.tools.has("get_car_details") || cars.length === 0) return reply(`No tengo las medidas a la mano en este momento 🙏${nextSteps(ctx.before, ctx.terms)}`);
    return calls(cars.map((c) => ({ name: "get_car_details", input: { stockId: c.stockId } })));
  }
  const measured = details
    .map((e) => (e.outcome?.ok === true ? asDetailsOutput(e.outcome.value) : undefined))
    .flatMap((d) => (d?.found === true && d.car.lengthMm != null ? [d.car] : []));
  if (measured.length === 0) return reply(`El catálogo no tiene las medidas de estos autos 🙏 Un asesor te las puede confirmar.${nextSteps(ctx.before, ctx.terms)}`);
  const p = plain(ctx.userText);
  const limit = /\bmenos de (\d+(?:[.,]\d+)?) (?:metros|mts|m)\b/.exec(p);
  const sorted = [...measured].sort((a, b) => a.lengthMm! - b.lengthMm!);
  const line = (c: (typeof measured)[number]) => `• *${carTitle(c)}*: ${c.lengthMm!.toLocaleString("en-US")} mm de largo${statedSeats(c) !== undefined ? `, ${statedSeats(c)} pasajeros` : ""}`;
  const scope = `de las ${measured.length} opciones que te mostré`;
  if (limit !== null) {
    const max = Number(limit[1]!.replace(",", ".")) * 1000;
    const fit = sorted.filter((c) => c.lengthMm! < max);
    const body = fit.length === 0 ? `Ninguna ${scope} mide menos de eso; la más corta es:\n${line(sorted[0]!)}` : `Estas ${scope} miden menos de eso (según las medidas del catálogo):\n${fit.map(line).join("\n")}`;
    return reply(`${body}\n\n¿Quieres que busque más opciones compactas o te calculo las mensualidades de alguna?`);
  }
  const pickedCar = SMALLEST.test(p) ? sorted[0]! : sorted.at(-1)!;
  return reply(`Según las medidas del catálogo, ${scope} la ${SMALLEST.test(p) ? "más chica" : "más grande"} es:\n${line(pickedCar)}\n\nTodas, de menor a mayor:\n${sorted.map(line).join("\n")}\n\n¿Te doy su ficha completa o te calculo las mensualidades?`);
};

const prices = (ctx: TurnContext): Action => {
  const shown = ctx.before.shown;
  if (shown.length > 0) return reply(`Estos son los precios de la lista:\n${shown.map((c, i) => `*${i + 1}.* ${carTitle(c)}: ${pesos(c.price)}`).join("\n")}\n\n¿Quieres ver alguno a detalle o que te calcule las mensualidades?`);
  const done = searched(ctx);
  if (done !== undefined) {
    const out = done.outcome?.ok === true ? asSearchOutput(done.outcome.value) : undefined;
    if (out === undefined || out.cars.length === 0) return reply(FAILED);
    return reply(`Los precios van desde ${pesos(out.cars[0]!.price)}. Estas son las opciones más económicas:\n\n${carList(out.cars)}\n\n¿Buscas algún modelo o presupuesto en particular?`);
  }
  return calls([{ name: "search_cars", input: { sort: "price_asc", limit: PAGE_SIZE } }]);
};

/** A complaint: empathy first, then cheaper options from the conversation's own search. */
const complaint = (ctx: TurnContext): Action => {
  const state = ctx.before;
  const done = searched(ctx);
  const sorry = "Entiendo tu molestia y lamento que los precios no te cuadren 🙏";
  if (done !== undefined) {
    const out = done.outcome?.ok === true ? asSearchOutput(done.outcome.value) : undefined;
    if (out === undefined) return reply(FAILED);
    if (out.cars.length === 0) return reply(`${sorry} Ahorita no encontré algo más económico con esos filtros. ¿Ajustamos el presupuesto o el tipo de auto? También te puedo canalizar con un asesor.`);
    return reply(`${sorry} Te muestro lo más económico que encontré para ti:\n\n${carList(out.cars)}\n\nTambién te puedo calcular mensualidades con el enganche que te acomode, o buscar con otro presupuesto. ¿Qué prefieres?`);
  }
  if (!ctx.tools.has("search_cars")) return reply(`${sorry} ¿Me dices tu presupuesto y te busco opciones que te acomoden?`);
  const input: Record<string, unknown> =
    state.lastSearch !== undefined && state.lastSearch.output.cars.length > 1
      ? { ...state.lastSearch.input, offset: undefined, sort: "price_asc", limit: 3 }
      : state.focus !== undefined
        ? { maxPrice: state.focus.price - 1, sort: "price_desc", limit: 3, ...(state.focus.bodyType === "suv" || state.focus.bodyType === "sedan" || state.focus.bodyType === "hatchback" || state.focus.bodyType === "pickup" ? { bodyTypes: [state.focus.bodyType] } : {}) }
        : { sort: "price_asc", limit: 3 };
  delete input.offset;
  return calls([{ name: "search_cars", input }]);
};

/** The two or three most likely next steps for where the conversation is. */
export const nextSteps = (state: DialogueState, terms: ReadonlyArray<number>): string => {
  if (state.lastQuote !== undefined) {
    const car = state.lastQuote.car === undefined ? "" : ` del *${carTitle(state.lastQuote.car)}*`;
    return `\n\nSobre tu cotización${car} (enganche de ${pesos(state.lastQuote.downPayment)}), puedo:\n• calcularla a otro plazo (${terms.join(", ")} meses)\n• probar con otro enganche\n• agendarte una visita o prueba de manejo`;
  }
  if (state.focus !== undefined)
    return `\n\nDel *${carTitle(state.focus)}* te puedo:\n• darte la ficha completa\n• calcular las mensualidades\n• buscarte opciones parecidas o más baratas`;
  if (state.shown.length > 0) return `\n\nDe la lista te puedo:\n• darte los detalles de uno (dime su número)\n• mostrarte la más barata, la más nueva o la de menos km\n• enseñarte más opciones`;
  return `\n\nTe puedo:\n• buscar un auto por marca, modelo, precio o tipo\n• calcular mensualidades con tu enganche\n• resolver dudas sobre Kavak`;
};

const fallback = (ctx: TurnContext): Action => reply(`Creo que no te entendí del todo 🤔${nextSteps(ctx.before, ctx.terms)}\n\n¿Qué prefieres?`);

export const ENGLISH_NOTE = "Por ahora te atiendo en español 🙂";

/** Cue-driven turns; undefined when the usual policy answers. */
export const planCue = (ctx: TurnContext): Action | undefined => {
  const u = ctx.understanding;
  if (u.best !== undefined) return best(ctx, u.best);
  switch (u.cue) {
    case "complaint":
      return complaint(ctx);
    case "compare":
      return compare(ctx);
    case "size":
      return size(ctx);
    case "prices":
      return prices(ctx);
    case "fallback":
      return fallback(ctx);
    case "buy":
      // "¿cómo lo compro?": the knowledge base's buying process, asked plainly
      return ctx.exchanges.some((e) => e.call.name === "search_knowledge") || !ctx.tools.has("search_knowledge") ? undefined : calls([{ name: "search_knowledge", input: { query: "¿Cómo compro un auto en Kavak? Proceso de compra" } }]);
    default:
      return undefined;
  }
};
