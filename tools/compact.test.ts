import { generateText, isStepCount, type ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { promptFromMemory } from "../core/memory.ts";
import { createOfflineModel } from "../models/offline/index.ts";
import { INSTRUCTIONS } from "../models/offline/testing/conversation-driver.ts";
import { fixtureTools } from "../models/offline/testing/tools-fixture.ts";
import { compactForMemory } from "./compact.ts";
import type { CalculateFinancingOutput, CarCard, GetCarDetailsOutput, SearchCarsOutput, SearchKnowledgeOutput } from "./contracts.ts";

const car = (stockId: number, overrides: Partial<CarCard> = {}): CarCard => ({
  stockId,
  make: "Nissan",
  model: "Versa",
  year: 2020,
  version: "1.6 ADVANCE CVT",
  price: 265_999,
  km: 45_837,
  transmission: "automatica",
  bluetooth: true,
  carPlay: null,
  bodyType: "sedan",
  ...overrides,
});
const listed = (c: CarCard) => ({ stockId: c.stockId, make: c.make, model: c.model, year: c.year, version: c.version, price: c.price, km: c.km });

const facets: SearchCarsOutput["facets"] = { makes: [{ make: "Nissan", count: 2 }], price: { min: 220_999, max: 265_999 }, year: { min: 2018, max: 2020 } };

describe("compactForMemory", () => {
  it("search_cars: total, offset and per car what references need; facets go, and nearest unless it is all there is", () => {
    const found: SearchCarsOutput = { total: 7, offset: 5, cars: [car(1), car(2, { year: 2018, price: 220_999 })], nearest: [], facets };
    expect(compactForMemory("search_cars", found)).toEqual({ total: 7, offset: 5, cars: [listed(car(1)), listed(car(2, { year: 2018, price: 220_999 }))] });

    const nothing: SearchCarsOutput = { total: 0, offset: 0, cars: [], nearest: [car(3, { make: "Kia", model: "Rio" })], facets };
    expect(compactForMemory("search_cars", nothing)).toEqual({ total: 0, offset: 0, cars: [], nearest: [listed(car(3, { make: "Kia", model: "Rio" }))] });

    const empty: SearchCarsOutput = { total: 0, offset: 0, cars: [], nearest: [], facets };
    expect(compactForMemory("search_cars", empty)).toEqual({ total: 0, offset: 0, cars: [] });
  });

  it("get_car_details: the car's card and seats (what questions about it are answered from); dimensions go", () => {
    const details: GetCarDetailsOutput = { found: true, car: { ...car(4), lengthMm: 4495, widthMm: 1740, heightMm: 1465, seats: 5 } };
    expect(compactForMemory("get_car_details", details)).toEqual({ found: true, car: { ...car(4), seats: 5 } });
    expect(compactForMemory("get_car_details", { found: false, stockId: 9 })).toEqual({ found: false, stockId: 9 });
  });

  it("calculate_financing: car, price, down payment, terms and monthly payments; totals, rate and quote id go", () => {
    const quote: CalculateFinancingOutput = {
      ok: true,
      quoteId: "q-123",
      car: { stockId: 4, make: "Nissan", model: "Versa", year: 2020, version: "1.6 ADVANCE CVT" },
      price: 265_999,
      downPayment: 53_200,
      financed: 212_799,
      annualRate: "10%",
      plans: [
        { termMonths: 48, monthlyPayment: "5397.22", totalPaid: "259066.56", totalInterest: "46267.56" },
        { termMonths: 60, monthlyPayment: "4521.35", totalPaid: "271281.00", totalInterest: "58482.00" },
      ],
    };
    expect(compactForMemory("calculate_financing", quote)).toEqual({
      ok: true,
      car: { stockId: 4, make: "Nissan", model: "Versa", year: 2020 },
      price: 265_999,
      downPayment: 53_200,
      plans: [
        { termMonths: 48, monthlyPayment: "5397.22" },
        { termMonths: 60, monthlyPayment: "4521.35" },
      ],
    });
    const byPrice = { ...quote, car: null };
    expect(compactForMemory("calculate_financing", byPrice)).toMatchObject({ ok: true, car: null, price: 265_999 });
    const refused = { ok: false, error: { code: "invalid_term", message: "Plazos de 36 a 72 meses" } };
    expect(compactForMemory("calculate_financing", refused)).toEqual(refused);
  });

  it("calculate_affordable_price: the budget and the highest price per term", () => {
    const out = { ok: true, monthlyBudget: 5000, downPayment: 0, annualRate: "10%", plans: [{ termMonths: 72, maxFinanced: 269_893, maxPrice: 269_893 }] };
    expect(compactForMemory("calculate_affordable_price", out)).toEqual({ ok: true, monthlyBudget: 5000, downPayment: 0, plans: [{ termMonths: 72, maxPrice: 269_893 }] });
  });

  it("search_knowledge: only the titles of what was found (the answer is in the reply)", () => {
    const out: SearchKnowledgeOutput = {
      results: [
        { title: "Garantía incluida de 3 meses", topic: "garantia", text: "Todos los autos ...", score: 0.9 },
        { title: "Garantía incluida de 3 meses", topic: "garantia", text: "Otro fragmento ...", score: 0.7 },
        { title: "Kavak Total", topic: "garantia", text: "Extiende ...", score: 0.5 },
      ],
    };
    expect(compactForMemory("search_knowledge", out)).toEqual({ titles: ["Garantía incluida de 3 meses", "Kavak Total"] });
    expect(compactForMemory("search_knowledge", { results: [] })).toEqual({ titles: [] });
  });

  it("keeps failures, unknown tools and unexpected shapes as they are", () => {
    const unavailable = { ok: false, error: { code: "tool_unavailable", message: "No pude consultar" } };
    for (const name of ["search_cars", "get_car_details", "calculate_financing", "calculate_affordable_price", "search_knowledge"]) {
      expect(compactForMemory(name, unavailable)).toBe(unavailable);
    }
    const odd = { cars: [{ id: 1 }], facets };
    expect(compactForMemory("search_cars", odd)).toBe(odd);
    expect(compactForMemory("another_tool", { big: "x".repeat(100) })).toEqual({ big: "x".repeat(100) });
    expect(compactForMemory("search_cars", "text")).toBe("text");
  });
});

/** The offline model over the fixture tools, with memory kept like the agent keeps it: every earlier turn compacted. */
const converse = (budgetTokens = Number.POSITIVE_INFINITY) => {
  const model = createOfflineModel();
  const tools = fixtureTools();
  const stored: ModelMessage[] = [];
  const say = async (text: string) => {
    const messages: ModelMessage[] = [...promptFromMemory(stored, compactForMemory, { budgetTokens }), { role: "user", content: text }];
    const result = await generateText({ model, instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    stored.push({ role: "user", content: text }, ...result.responseMessages);
    const calls = result.steps.flatMap((s) => s.toolResults.map((r) => ({ name: r.toolName, input: r.input as Record<string, unknown>, output: r.output })));
    return { text: result.text, calls };
  };
  return { say, memory: () => promptFromMemory(stored, compactForMemory, { budgetTokens }) };
};

describe("references resolve from compacted memory (offline model)", () => {
  it('"el segundo", a question about it, "¿y a 60?" and "ese" after a Kavak question', async () => {
    const chat = converse();
    const search = await chat.say("busco un nissan versa");
    const second = (search.calls[0]!.output as SearchCarsOutput).cars[1]!;
    const details = await chat.say("el segundo");
    expect(details.calls).toEqual([expect.objectContaining({ name: "get_car_details", input: { stockId: second.stockId } })]);
    const detailed = (details.calls[0]!.output as Extract<GetCarDetailsOutput, { found: true }>).car;
    // Answered from the compacted details, with the catalog's own value.
    const carplay = await chat.say("¿tiene carplay?");
    expect(carplay.calls).toEqual([]);
    expect(carplay.text).toContain(`${second.model} ${second.year}`);
    expect(carplay.text).toMatch(detailed.carPlay === true ? /Sí, .* tiene CarPlay/ : detailed.carPlay === false ? /No, .* no tiene CarPlay/ : /no confirma/);
    const quote = await chat.say("financialo con 20% de enganche a 48 meses");
    expect(quote.calls[0]).toMatchObject({ name: "calculate_financing", input: { stockId: second.stockId, downPaymentPercent: 20, termMonths: [48] } });
    const sixty = await chat.say("¿y a 60?");
    expect(sixty.calls[0]).toMatchObject({ name: "calculate_financing", input: { stockId: second.stockId, downPaymentPercent: 20, termMonths: [60] } });
    await chat.say("¿tienen garantía?");
    const automatic = await chat.say("va, ¿ese es automático?");
    expect(automatic.calls).toEqual([]);
    expect(automatic.text).toContain(`${second.model} ${second.year}`);
    expect(automatic.text).toMatch(detailed.transmission === "automatica" ? /es automático/ : detailed.transmission === "manual" ? /es estándar/ : /no confirma/);
    // What memory holds of those turns is the compact form.
    const remembered = JSON.stringify(chat.memory());
    for (const gone of ["facets", "totalPaid", "quoteId", "lengthMm", "annualRate"]) expect(remembered).not.toContain(gone);
  });

  it('"más" pages on from the compacted search, and "el 6" is its first car', async () => {
    const chat = converse();
    await chat.say("busco un mazda 3");
    const more = await chat.say("muestrame mas");
    expect(more.calls[0]).toMatchObject({ name: "search_cars", input: { offset: 5 } });
    const sixth = (more.calls[0]!.output as SearchCarsOutput).cars[0]!;
    const details = await chat.say("el 6");
    expect(details.calls).toEqual([expect.objectContaining({ name: "get_car_details", input: { stockId: sixth.stockId } })]);
  });

  it("the nearest options, kept when nothing matched, are what \"el primero\" points at", async () => {
    const chat = converse();
    const none = await chat.say("busco un ferrari");
    const output = none.calls[0]!.output as SearchCarsOutput;
    expect(output.cars).toEqual([]);
    expect(output.nearest.length).toBeGreaterThan(0);
    const first = await chat.say("el primero");
    expect(first.calls).toEqual([expect.objectContaining({ name: "get_car_details", input: { stockId: output.nearest[0]!.stockId } })]);
  });
});
