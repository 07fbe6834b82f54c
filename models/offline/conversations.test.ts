import { generateText, isStepCount, tool } from "ai";
import { describe, expect, it } from "vitest";
import { searchCarsInput, type SearchCarsOutput } from "../../tools/contracts.ts";
import { createOfflineModel } from "./index.ts";
import { startConversation } from "./testing/conversation-driver.ts";

const noIds = (text: string) => {
  expect(text).not.toMatch(/322722|173312|stockId|quoteId|q-\d/);
  expect(text).not.toMatch(/[{}]/);
  expect(text.length).toBeLessThanOrEqual(1600);
};

describe("offline model: conversations over the fixture tools", () => {
  it("greets and says what it can do, without tools", async () => {
    const turn = await startConversation().say("Hola!");
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toMatch(/Kavak/);
    expect(turn.text).toMatch(/mensualidades/);
  });

  it("answers a Kavak question only from search_knowledge results", async () => {
    const turn = await startConversation().say("¿Dónde están sus sucursales?");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["search_knowledge"]);
    expect(turn.text).toContain("15 sedes");
  });

  it("says it does not know and offers an advisor when knowledge returns nothing", async () => {
    const turn = await startConversation().say("¿Cuánto cuesta el seguro de auto con ustedes?");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["search_knowledge"]);
    expect(turn.text).toMatch(/asesor/);
    expect(turn.text).not.toMatch(/\$\d/);
  });

  it("searches by price and year with filters", async () => {
    const turn = await startConversation().say("quiero algo de menos de 250 mil del 2019 en adelante");
    expect(turn.toolCalls[0]!.input).toMatchObject({ maxPrice: 250000, minYear: 2019 });
    noIds(turn.text);
  });

  it("reads a bare approximate amount as a budget with nothing open, and as the answer inside a flow", async () => {
    const first = await startConversation().say("unos 300 mil");
    expect(first.toolCalls.map((c) => c.name)).toEqual(["search_cars"]);
    expect(first.toolCalls[0]!.input).toMatchObject({ minPrice: 270000, maxPrice: 330000 });

    const chat = startConversation();
    await chat.say("Busco un Nissan Versa");
    await chat.say("quiero financiar el segundo");
    await chat.say("unos 50 mil");
    const quote = await chat.say("a 48 meses");
    expect(quote.toolCalls.map((c) => c.name)).toEqual(["calculate_financing"]);
    expect(quote.toolCalls[0]!.input).toMatchObject({ downPayment: 50000, termMonths: [48] });
  });

  it("answers a feature question about a model not shown yet for each car found", async () => {
    const turn = await startConversation().say("¿el sentra tiene bluetooth?");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["search_cars"]);
    expect(turn.text).toMatch(/\*1\.\* Sí, el \*Nissan Sentra 2019\* tiene Bluetooth/);
    expect(turn.text.match(/tiene Bluetooth/g)).toHaveLength(3);
    noIds(turn.text);
  });

  it("walks a financing flow asking one missing piece at a time", async () => {
    const chat = startConversation();
    await chat.say("Busco un Nissan Versa");
    const ask1 = await chat.say("quiero financiar el segundo");
    expect(ask1.toolCalls).toEqual([]);
    expect(ask1.text).toMatch(/enganche/i);
    expect(ask1.text).toContain("$220,999");
    const ask2 = await chat.say("sin enganche");
    expect(ask2.text).toMatch(/plazo|meses/i);
    const quote = await chat.say("a 3, 4 y 5 años");
    expect(quote.toolCalls[0]!.input).toEqual({ stockId: 173312, downPayment: 0, termMonths: [36, 48, 60] });
    for (const term of ["36 meses", "48 meses", "60 meses"]) expect(quote.text).toContain(term);
    noIds(quote.text);
  });

  it("explains an invalid term kindly with the valid range", async () => {
    const chat = startConversation();
    const turn = await chat.say("Cuánto pagaría por el Versa 2020 con 50 mil de enganche a 24 meses");
    expect(turn.toolCalls.at(-1)?.name).toBe("calculate_financing");
    expect(turn.text).toMatch(/36, 48, 60 o 72/);
  });

  it("finances a stated price", async () => {
    const turn = await startConversation().say("cuánto pagaría al mes por un auto de 300 mil con 60 mil de enganche a 48 meses");
    expect(turn.toolCalls[0]!.input).toEqual({ price: 300000, downPayment: 60000, termMonths: [48] });
    expect(turn.text).toContain("$6,087.02");
  });
});

describe("offline model: the whole sale of issue 3", () => {
  it("need → results → 'el segundo' → details → financing with several terms → Kavak question → back to the car", async () => {
    const chat = startConversation();
    const results = await chat.say("Hola, busco un Nissan Versa automático");
    expect(results.toolCalls.map((c) => c.name)).toEqual(["search_cars"]);
    expect(results.text).toContain("$220,999");

    const details = await chat.say("el segundo");
    expect(details.toolCalls.map((c) => [c.name, c.input])).toEqual([["get_car_details", { stockId: 173312 }]]);
    expect(details.text).toContain("69,630 km");

    const ask = await chat.say("¿y cuánto pagaría al mes con 50 mil de enganche?");
    expect(ask.toolCalls).toEqual([]);
    expect(ask.text).toMatch(/36, 48, 60 o 72/);

    const quote = await chat.say("a 36, 48 y 60 meses");
    expect(quote.toolCalls.map((c) => [c.name, c.input])).toEqual([["calculate_financing", { stockId: 173312, downPayment: 50000, termMonths: [36, 48, 60] }]]);
    const output = quote.toolCalls[0]!.output as { plans: { monthlyPayment: string }[] };
    // every figure in the reply is the tool's, formatted
    for (const plan of output.plans) expect(quote.text).toContain(`$${Number(plan.monthlyPayment).toLocaleString("en-US", { minimumFractionDigits: 2 })}`);

    const kavak = await chat.say("oye, ¿dónde tienen sucursales?");
    expect(kavak.toolCalls.map((c) => c.name)).toEqual(["search_knowledge"]);
    expect(kavak.text).toContain("Nissan Versa 2018");

    const back = await chat.say("va, ¿y a 72 meses?");
    expect(back.toolCalls.map((c) => [c.name, c.input])).toEqual([["calculate_financing", { stockId: 173312, downPayment: 50000, termMonths: [72] }]]);
    expect(back.text).toContain("72 meses");
  });

  it("after a Kavak question, 'con los 80 mil' is the down payment already given and the car stays the one quoted", async () => {
    const chat = startConversation();
    const first = await chat.say("quiero financiar el mazda 3 2012 con 80 mil de enganche a 60 meses");
    expect(first.toolCalls.at(-1)?.input).toEqual({ stockId: 283547, downPayment: 80000, termMonths: [60] });
    const docs = await chat.say("que documentos necesito para el credito?");
    expect(docs.toolCalls.map((c) => c.name)).toEqual(["search_knowledge"]);
    const back = await chat.say("va, y a 72 meses con los 80 mil?");
    expect(back.toolCalls.map((c) => [c.name, c.input])).toEqual([["calculate_financing", { stockId: 283547, downPayment: 80000, termMonths: [72] }]]);
    expect(back.text).toContain("$1,278.26");
  });

  it("a car Kavak does not have is a question for the knowledge base, not a search", async () => {
    const turn = await startConversation().say("y si no tienen el carro que yo quiero?");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["search_knowledge"]);
    // the fixture knowledge has no snippet on it; the answer from the real documents is checked over HTTP (evals/nlu/knowledge-http.test.ts)
    expect(turn.toolCalls[0]!.input).toEqual({ query: "y si no tienen el carro que yo quiero?" });
  });

  it("answers a question about the car in focus", async () => {
    const chat = startConversation();
    await chat.say("busco un versa 2020");
    const turn = await chat.say("¿tiene carplay?");
    expect(turn.toolCalls.map((c) => [c.name, c.input])).toEqual([["get_car_details", { stockId: 322722 }]]);
    expect(turn.text).toContain("Sí, el *Nissan Versa 2020* tiene CarPlay");
  });

  it("explains a tool failure kindly without inventing data", async () => {
    const failing = tool({
      description: "Busca autos",
      inputSchema: searchCarsInput,
      execute: async (): Promise<SearchCarsOutput> => {
        throw new Error("database down");
      },
    });
    const result = await generateText({ model: createOfflineModel(), messages: [{ role: "user", content: "busco un jetta" }], tools: { search_cars: failing }, stopWhen: isStepCount(6) });
    expect(result.text).toMatch(/problema/);
    expect(result.text).not.toMatch(/\$\d/);
  });
});
