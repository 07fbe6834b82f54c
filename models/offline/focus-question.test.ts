/**
 * A question about the car being discussed ("ok y el auto tiene carplay?") is answered about that car;
 * it is not a new search with the feature as a filter. Reproduces a bug seen over the HTTP API.
 */
import { describe, expect, it } from "vitest";
import type { CarCard, SearchCarsOutput } from "../../tools/contracts.ts";
import { understand } from "./nlu/understand.ts";
import { carTitle as title } from "./replies/cards.ts";
import { startConversation } from "./testing/conversation-driver.ts";

const names = (turn: { toolCalls: ReadonlyArray<{ name: string }> }) => turn.toolCalls.map((c) => c.name);
const yesNo = (v: boolean | null) => (v === true ? /Sí, el/ : v === false ? /No, el/ : /no confirma/);

/** Search, pick the second car, ask Kavak something: the car stays in focus with its details in the prompt. */
const secondCarInFocus = async (knowledgeQuestion = "tienen garantia?") => {
  const chat = startConversation();
  const search = await chat.say("busco una camioneta familiar");
  expect(names(search)).toEqual(["search_cars"]);
  const car = (search.toolCalls[0]!.output as SearchCarsOutput).cars[1]!;
  const details = await chat.say("el segundo");
  expect(details.toolCalls.map((c) => [c.name, c.input])).toEqual([["get_car_details", { stockId: car.stockId }]]);
  const kavak = await chat.say(knowledgeQuestion);
  expect(names(kavak)).toEqual(["search_knowledge"]);
  return { chat, car };
};

describe("questions about the car in focus", () => {
  it("answers 'ok y el auto tiene carplay?' after a Kavak question from the details already shown, without searching", async () => {
    const { chat, car } = await secondCarInFocus();
    const turn = await chat.say("ok y el auto tiene carplay?");
    expect(names(turn)).toEqual([]);
    expect(turn.text).toContain(title(car));
    expect(turn.text).toMatch(/CarPlay/);
    expect(turn.text).toMatch(yesNo(car.carPlay));
  });

  it.each([
    ["y ese tiene bluetooth?", (car: CarCard) => [/Bluetooth/, yesNo(car.bluetooth)]],
    ["¿es automático?", (car: CarCard) => [car.transmission === null ? /no confirma la transmisión/ : car.transmission === "automatica" ? /es automático/ : /es estándar/]],
    ["¿cuántos km tiene?", (car: CarCard) => [new RegExp(`${car.km.toLocaleString("en-US")} km`)]],
    ["¿y de qué año es?", (car: CarCard) => [new RegExp(`modelo ${car.year}`)]],
    ["¿la camioneta tiene carplay?", (car: CarCard) => [/CarPlay/, yesNo(car.carPlay)]],
    ["bueno, ¿y el carro trae bluetooth?", (car: CarCard) => [/Bluetooth/, yesNo(car.bluetooth)]],
    ["ok y el precio?", (car: CarCard) => [new RegExp(`\\$${car.price.toLocaleString("en-US")}`)]],
  ])("after a Kavak answer, '%s' is about the car in focus", async (question, expected) => {
    const { chat, car } = await secondCarInFocus("¿a qué hora abren?");
    const turn = await chat.say(question);
    expect(names(turn)).toEqual([]);
    expect(turn.text).toContain(title(car));
    for (const re of expected(car)) expect(turn.text).toMatch(re);
  });

  it("asks get_car_details when the car in focus has no details in the conversation yet", async () => {
    const chat = startConversation();
    await chat.say("busco un versa 2020");
    const turn = await chat.say("ok y el auto tiene carplay?");
    expect(turn.toolCalls.map((c) => [c.name, c.input])).toEqual([["get_car_details", { stockId: 322722 }]]);
    expect(turn.text).toContain("Sí, el *Nissan Versa 2020* tiene CarPlay");
  });

  it("keeps an open financing request while answering about its car, and then finishes it", async () => {
    const chat = startConversation();
    await chat.say("Busco un Nissan Versa");
    await chat.say("el segundo");
    const ask = await chat.say("financialo");
    expect(ask.text).toMatch(/enganche/i);
    const question = await chat.say("¿es automático?");
    expect(names(question)).toEqual([]);
    expect(question.text).toContain("Nissan Versa 2018");
    expect(question.text).toMatch(/financiamiento/);
    await chat.say("con 50 mil");
    const quote = await chat.say("a 48 meses");
    expect(quote.toolCalls.map((c) => [c.name, c.input])).toEqual([["calculate_financing", { stockId: 173312, downPayment: 50000, termMonths: [48] }]]);
  });

  it("answers about the quoted car right after a quote", async () => {
    const chat = startConversation();
    await chat.say("Busco un Nissan Versa");
    await chat.say("el segundo");
    const quote = await chat.say("financialo con 20% a 48 meses");
    expect(names(quote)).toEqual(["calculate_financing"]);
    const turn = await chat.say("y el carro tiene bluetooth?");
    expect(names(turn)).toEqual([]);
    expect(turn.text).toContain("Sí, el *Nissan Versa 2018* tiene Bluetooth");
  });

  it.each(["busco uno con carplay", "muéstrame autos con carplay", "¿tienen camionetas con bluetooth?", "y con carplay?"])(
    "'%s' with a car in focus is still a search",
    async (text) => {
      const { chat } = await secondCarInFocus();
      const turn = await chat.say(text);
      expect(names(turn)).toEqual(["search_cars"]);
    },
  );
});

describe("understand: a reference to the car in focus beats a feature as a filter", () => {
  it.each([
    ["ok y el auto tiene carplay?", { reference: { kind: "this" } }],
    ["¿la camioneta tiene carplay?", { reference: { kind: "this" } }],
    ["oye y la camioneta es automática?", { reference: { kind: "this" } }],
    ["bueno, ¿cuántos km tiene la camioneta?", { reference: { kind: "this" } }],
    ["y esa camioneta tiene carplay?", { reference: { kind: "this" } }],
    ["entonces el carro es estándar?", { reference: { kind: "this" } }],
    ["ok y el auto cuanto cuesta?", { reference: { kind: "this" } }],
    ["pero tiene carplay o no?", {}],
    ["¿y de qué año es?", {}],
  ])("%s → car_details %j", (text, slots) => {
    expect(understand(text)).toEqual({ intent: "car_details", slots });
  });

  it.each([
    ["busco uno con carplay", { carPlay: true }],
    ["muéstrame autos con carplay", { carPlay: true }],
    ["busco una camioneta con carplay", { carPlay: true, bodyTypes: ["suv"] }],
    ["hay alguna camioneta que tenga bluetooth?", { bluetooth: true, bodyTypes: ["suv"] }],
    ["una camioneta con carplay", { carPlay: true, bodyTypes: ["suv"] }],
    ["¿y automáticas?", { transmission: "automatica" }],
  ])("%s → search_cars %j", (text, slots) => {
    expect(understand(text)).toEqual({ intent: "search_cars", slots });
  });

  it("'la camioneta' in a Kavak question names the car, so warranty goes to the knowledge base", () => {
    expect(understand("¿la camioneta tiene garantía?").intent).toBe("knowledge");
  });

  it("a price question with nothing of the car stays outside", () => {
    expect(understand("cuanto cuesta la gasolina hoy").intent).toBe("off_topic");
  });
});
