/** Replies for financing: the quote per term, an invalid request explained, and the questions asked. */
import type { CalculateAffordablePriceOutput, CalculateFinancingOutput, CarCard } from "../../../tools/contracts.ts";
import { carTitle } from "./cards.ts";
import { listSpanish, pesos, pesosExact } from "./format.ts";
import { pickPhrase } from "./variety.ts";

type Quote = Extract<CalculateFinancingOutput, { ok: true }>;

export const quoteReply = (quote: Quote, seed: string): string => {
  const title = quote.car === null ? `un auto de ${pesos(quote.price)}` : `*${carTitle(quote.car)}*`;
  const lines = [
    `Así queda el financiamiento de ${title}${quote.car === null ? "" : ` (${quote.car.version})`}:`,
    "",
    `Precio: ${pesos(quote.price)}`,
    `Enganche: ${pesos(quote.downPayment)}`,
    `Monto a financiar: ${pesos(quote.financed)}`,
    `Tasa: ${quote.annualRate} anual`,
  ];
  for (const plan of quote.plans) {
    lines.push("", `*${plan.termMonths} meses:* ${pesosExact(plan.monthlyPayment)} al mes`, `Total en mensualidades: ${pesosExact(plan.totalPaid)} (intereses: ${pesosExact(plan.totalInterest)})`);
  }
  lines.push(
    "",
    pickPhrase(seed, "quote-next", [
      "¿Quieres probar con otro enganche u otro plazo?",
      "¿Te gustaría comparar con otro plazo o con otro enganche?",
      "Si quieres, lo recalculo con otro enganche o plazo.",
    ]),
  );
  return lines.join("\n");
};

const termsText = (terms: ReadonlyArray<number>): string => `*${listSpanish(terms.map(String)).replace(/ y (\d+)$/, " o $1")} meses*`;

/** An invalid request explained kindly; the valid range comes from the tool's message or its description. */
export const financingErrorReply = (error: { code: string; message: string }, price: number | undefined, terms: ReadonlyArray<number>): string => {
  switch (error.code) {
    case "invalid_term":
      return /\d/.test(error.message)
        ? `Ese plazo no lo manejamos 🙏 ${error.message.trim()} ¿Con cuál lo calculo?`
        : `Ese plazo no lo manejamos 🙏 Los plazos disponibles son de ${termsText(terms)}. ¿Con cuál lo calculo?`;
    case "down_payment_too_high":
      return `El enganche tiene que ser menor al precio del auto${price === undefined ? "" : ` (${pesos(price)})`}; si no, no habría nada que financiar 🙂 ¿Qué enganche te gustaría dar? Puede ser desde $0, en pesos o en porcentaje (por ejemplo 20%).`;
    case "invalid_down_payment":
      return `Ese enganche no es válido: puede ser desde $0 y menor al precio del auto${price === undefined ? "" : ` (${pesos(price)})`}, en pesos o como porcentaje (por ejemplo 20%). ¿Cuánto te gustaría dar?`;
    case "car_not_found":
      return "No encontré ese auto en el inventario; quizá ya se vendió. ¿Quieres que te muestre opciones parecidas?";
    case "missing_price":
    case "invalid_price":
      return "Necesito el precio del auto para calcularlo. ¿De cuánto es el auto que quieres financiar?";
    default:
      return "No pude calcular ese financiamiento en este momento 🙏 ¿Lo intentamos de nuevo? Si prefieres, un asesor de Kavak te puede ayudar.";
  }
};

export const askCarToFinance = (hasShown: boolean): string =>
  hasShown
    ? "¿Cuál auto quieres financiar? Dime el número de la lista o el modelo, o un precio si es otro auto."
    : "¡Con gusto te ayudo a calcularlo! ¿Qué auto quieres financiar? Dime el modelo (por ejemplo *Nissan Versa 2020*) o el precio.";

export const askDownPayment = (car: CarCard | undefined, price: number | undefined, seed: string): string => {
  const what = car !== undefined ? `el *${carTitle(car)}* (${pesos(car.price)})` : price !== undefined ? `un auto de ${pesos(price)}` : "el auto";
  return pickPhrase(seed, "ask-down", [
    `Perfecto, vamos con ${what}. ¿Cuánto darías de enganche? Puede ser un monto (ej. 50 mil), un porcentaje (ej. 20%) o sin enganche.`,
    `Va, calculemos ${what}. ¿De cuánto sería tu enganche? Me puedes decir un monto, un porcentaje o "sin enganche".`,
  ]);
};

export const askTerms = (seed: string, terms: ReadonlyArray<number>): string =>
  pickPhrase(seed, "ask-terms", [
    `¿A qué plazo lo quieres? Puede ser a ${termsText(terms)}. También te puedo mostrar todos.`,
    `¿A cuántos meses? Tenemos ${termsText(terms)}, o te muestro todos los plazos.`,
  ]);

export const pickCarToFinance = (list: string): string => `Tengo varias opciones que coinciden:\n\n${list}\n\n¿Cuál quieres financiar? Dime el número.`;

type Affordable = Extract<CalculateAffordablePriceOutput, { ok: true }>;

export const affordableLines = (out: Affordable): string => {
  const lines = [`Con ${pesos(out.monthlyBudget)} al mes${out.downPayment > 0 ? ` y ${pesos(out.downPayment)} de enganche` : ""} (tasa ${out.annualRate} anual), te alcanza para un auto de hasta:`];
  for (const p of out.plans) lines.push(`*${p.termMonths} meses:* ${pesos(p.maxPrice)}`);
  return lines.join("\n");
};

export const askMonthlyBudget = (): string => "¿Cuánto te gustaría pagar al mes? Con eso te digo hasta qué precio te alcanza y te muestro opciones.";

export const termsList = (terms: ReadonlyArray<number>): string => `${listSpanish(terms.map(String))} meses`;
