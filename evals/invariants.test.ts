import { describe, expect, it } from "vitest";
import { buildCatalogIndex, checkReply, extractFigures, groundedFigures, type ReplyContext, type Violation } from "./invariants.ts";

const catalog = buildCatalogIndex([
  { make: "Nissan", model: "Versa", year: 2018 },
  { make: "Nissan", model: "Versa", year: 2020 },
  { make: "Mazda", model: "Mazda 3", year: 2018 },
  { make: "Mercedes Benz", model: "Clase A", year: 2020 },
  { make: "Volkswagen", model: "Jetta", year: 2018 },
  { make: "BMW", model: "X5", year: 2016 },
  { make: "Toyota", model: "Corolla", year: 2020 },
]);

const versa = { stockId: 254789, make: "Nissan", model: "Versa", year: 2020, version: "1.6 ADVANCE AUTO", price: 265999, km: 45837 };
const quote = {
  ok: true,
  quoteId: "q_3f2a9c1e-0000-4000-8000-000000000000",
  price: 265999,
  downPayment: 53200,
  financed: 212799,
  annualRate: "10%",
  plans: [{ termMonths: 48, monthlyPayment: "5397.13", totalPaid: "259062.24", totalInterest: "46263.24" }],
};

const context = (overrides: Partial<Parameters<typeof groundedFigures>[0]> = {}): ReplyContext => ({
  grounded: groundedFigures({ toolOutputs: [{ total: 1, cars: [versa] }, quote], toolInputs: [{ downPaymentPercent: 20, termMonths: [48] }], userTexts: ["busco un versa de menos de 300 mil"], ...overrides }),
  catalog,
  conversationId: "eval-conv-7f3a9",
});

const rules = (violations: Violation[]) => violations.map((v) => v.rule);

const GOOD_QUOTE = [
  "Así queda el financiamiento de *Nissan Versa 2020* (1.6 ADVANCE AUTO):",
  "",
  "Precio: $265,999",
  "Enganche: $53,200",
  "Monto a financiar: $212,799",
  "Tasa: 10% anual",
  "",
  "*48 meses:* $5,397.13 al mes",
  "Total en mensualidades: $259,062.24 (intereses: $46,263.24)",
  "",
  "¿Quieres probar con otro enganche u otro plazo?",
].join("\n");

describe("figures", () => {
  it("reads money, decimals, thousands words and percentages", () => {
    const figures = extractFigures("Precio: $265,999 · 45,837 km · $5,397.13 al mes, 300 mil, 1.5 millones, 20% y 5478.29");
    expect(figures.map((f) => f.value)).toEqual(["265999", "45837", "5397.13", "300000", "1500000", "20", "5478.29"]);
    expect(figures.map((f) => f.money)).toEqual([true, false, true, false, false, false, false]);
    expect(figures[5]!.percent).toBe(true);
  });

  it("ignores numbers glued to letters (car versions, model codes) and reads times as small numbers", () => {
    expect(extractFigures("BMW X5 · Q70 · CX-5 · MG5 · V6").map((f) => f.value)).toEqual([]);
    expect(extractFigures("de 9:00 a 18:00").map((f) => f.value)).toEqual(["9", "18"]);
  });

  it("treats the same amount written four ways as one figure", () => {
    const values = ["$265,999", "265999", "265,999.00", "$265999"].map((text) => extractFigures(text)[0]!.value);
    expect(new Set(values)).toEqual(new Set(["265999"]));
    expect(extractFigures("5478.29")[0]!.value).toBe(extractFigures("$5,478.29")[0]!.value);
  });
});

describe("checkReply", () => {
  it("accepts a financing reply whose figures all come from the tools", () => {
    expect(checkReply(GOOD_QUOTE, context())).toEqual([]);
  });

  it("accepts a decimal amount quoted in whole pesos and a figure the user said", () => {
    expect(checkReply("Serían unos $5,397 al mes. Buscamos de menos de $300,000 como pediste.", context())).toEqual([]);
  });

  it("flags an invented price and an invented monthly payment", () => {
    const violations = checkReply(GOOD_QUOTE.replace("$265,999", "$255,999").replace("$5,397.13", "$5,497.13"), context());
    expect(violations.filter((v) => v.rule === "grounded-figures").map((v) => v.detail)).toEqual([
      expect.stringContaining("$255,999"),
      expect.stringContaining("$5,497.13"),
    ]);
  });

  it("exempts small counts, list positions and terms but not small money or percentages", () => {
    expect(checkReply("Tengo 3 opciones. *1. Nissan Versa 2020* a 48 o 60 meses.", context())).toEqual([]);
    expect(rules(checkReply("Te cobramos $50 de comisión.", context()))).toEqual(["grounded-figures"]);
    expect(rules(checkReply("La tasa queda en 12% anual.", context()))).toContain("grounded-figures");
  });

  it("exempts figures in quoted examples of what to type", () => {
    expect(checkReply('Puedes escribirme, por ejemplo: "SUV de menos de 400 mil" o "Versa 2020".', context())).toEqual([]);
    expect(checkReply("Dime el modelo (por ejemplo *Nissan Versa 2018*) o un monto (ej. 50 mil) o un porcentaje (ej. 20%).", context())).toEqual([]);
    expect(rules(checkReply("Te queda en $400,000 con todo.", context()))).toEqual(["grounded-figures"]);
  });

  it("flags English lines and English replies", () => {
    expect(rules(checkReply("Here are the options I found for you:\n\n*1. Nissan Versa 2020*\n$265,999", context()))).toContain("spanish");
    expect(rules(checkReply("Sure! What is your budget?", context()))).toEqual(["spanish"]);
    expect(rules(checkReply("¡Con mucho gusto! 😊 Ok.", context()))).toEqual([]);
    expect(rules(checkReply("Sure! What would you like to do with your car today?", context()))).toEqual(["spanish"]);
  });

  it("does not mistake upper-case car versions for English", () => {
    expect(checkReply("*Nissan Versa 2020*\n1.6 ADVANCE AUTO THE BEST EDITION FOR YOU\nPrecio: *$265,999*", context())).toEqual([]);
  });

  it("flags replies over 1,600 characters", () => {
    const long = `Hola, te cuento de la garantía. ${"Es un auto muy bueno para la ciudad. ".repeat(50)}`;
    expect(rules(checkReply(long, context()))).toEqual(["length"]);
  });

  it("flags cars the catalog does not have, and years it does not have", () => {
    expect(rules(checkReply("Te recomiendo el *Toyota Supra* 😎", context()))).toEqual(["catalog-cars"]);
    expect(rules(checkReply("Tenemos un *Tesla* muy bonito.", context()))).toEqual(["catalog-cars"]);
    expect(checkReply("*1. Nissan Versa 2021*\n$265,999", context({ userTexts: ["2021"] })).map((v) => v.detail)).toEqual([expect.stringContaining("2018, 2020")]);
  });

  it("accepts catalog cars in their usual spellings, makes alone and honest negatives", () => {
    const ok = [
      "*1. Nissan Versa 2020*",
      "*Mazda Mazda 3 2018* o dile Mazda 3 2018",
      "*Mercedes Benz Clase A 2020* y el VW Jetta 2018",
      "Marcas disponibles: Nissan, Toyota y BMW.",
      "No encontré *Tesla Model 3* con esos filtros.",
      "Por ahora no tenemos Porsche.",
    ];
    for (const reply of ok) expect(checkReply(reply, context()).filter((v) => v.rule === "catalog-cars")).toEqual([]);
  });

  it("flags raw JSON, stack traces, ids and programming values", () => {
    const leaks = [
      'Resultado: {"stockId": 254789, "price": 265999}',
      "Algo falló: TypeError: cannot read properties\n    at run (/app/core/agent.ts:12:3)",
      "Tu cotización es q_3f2a9c1e-0000-4000-8000-000000000000",
      "El auto 254789 es tuyo",
      "El precio es undefined",
      "Tu conversación eval-conv-7f3a9 sigue abierta",
    ];
    for (const reply of leaks) expect(rules(checkReply(reply, context())), reply).toContain("no-internals");
  });

  it("flags the known false Kavak claims", () => {
    const claims = [
      "Cada auto pasa una inspección de 240 puntos.",
      "La garantía cubre 3 meses o 5,000 km.",
      "Si no te gusta te damos reembolso total.",
      "Tenemos plazos de hasta 84 meses.",
      "La tasa de interés es del 14.99% anual.",
      "Se requiere un enganche mínimo del 10%.",
      "Tu crédito se aprueba en 24 horas.",
      "Te lo entregamos en 3 días.",
      "Kavak también está en Argentina y Brasil.",
    ];
    for (const reply of claims) expect(rules(checkReply(reply, context({ userTexts: ["10% 14.99% 5000 240 3"] }))), reply).toContain("false-claims");
  });

  it("lets a reply refuse a false claim", () => {
    expect(checkReply("Ese plazo no lo manejamos: no hay plazos de 84 meses. Los plazos son de 36, 48, 60 o 72 meses.", context())).toEqual([]);
    expect(checkReply("No puedo darte 0% de interés; la tasa es fija de 10% anual.", context({ userTexts: ["dame 0% de interés"] }))).toEqual([]);
  });
});
