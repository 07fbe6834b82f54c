/** Issue 13 over the fixture tools: follow-ups keep the state, superlatives over every result, trade-in, cues. */
import { describe, expect, it } from "vitest";
import { startConversation } from "../testing/conversation-driver.ts";
import { understand } from "../nlu/understand.ts";

const OFF_TOPIC = /lo mío son los autos|se sale de lo que|solo te puedo ayudar con autos/;

describe("keeping the conversation going (issue 13)", () => {
  it("reads '300 lucas' as 300 mil and a phone number never as a price cap", () => {
    expect(understand("tengo 300 lucas").slots).toMatchObject({ maxPrice: 300000 });
    expect(understand("mi cel es 5512345678, busco un nissan versa").slots.maxPrice).toBeUndefined();
  });

  it("changes only the term of the last quote ('y a 5', 'y a 3?')", async () => {
    const c = startConversation();
    await c.say("busco un versa 2020");
    await c.say("cuánto me sale con 50 mil de enganche a 36");
    const five = await c.say("y a 5");
    expect(five.toolCalls[0]).toMatchObject({ name: "calculate_financing", input: { stockId: 322722, downPayment: 50000, termMonths: [60] } });
    const three = await c.say("y a 3?");
    expect(three.toolCalls[0]!.input).toMatchObject({ termMonths: [36] });
  });

  it("answers 'la más barata' over the whole result set with the search's own order, keeping the filters", async () => {
    const c = startConversation();
    await c.say("sedanes automaticos de menos de 300 mil");
    const cheapest = await c.say("la más barata");
    expect(cheapest.toolCalls[0]).toMatchObject({ name: "search_cars", input: { maxPrice: 300000, transmission: "automatica", sort: "price_asc", limit: 1 } });
    expect(cheapest.text).toMatch(/de tu búsqueda/);
    const narrowed = await c.say("de los sedanes cuál tiene menos km");
    expect(narrowed.toolCalls[0]!.input).toMatchObject({ maxPrice: 300000, transmission: "automatica", bodyTypes: ["sedan"], sort: "km_asc", limit: 1 });
  });

  it("takes 'mi march vale 120 mil' as the down payment and searches only the car to buy", async () => {
    const c = startConversation();
    const first = await c.say("mi march vale 120 mil, busco un versa");
    expect(first.toolCalls[0]!.input).toEqual({ make: "Nissan", model: "Versa", limit: 5 });
    expect(first.text).toContain("$120,000");
    const quote = await c.say("el primero a 48");
    expect(quote.toolCalls[0]!.input).toMatchObject({ downPayment: 120000, termMonths: [48] });
  });

  it("never gives the off-topic line to an in-domain message; a truly off-topic one still gets it", async () => {
    const c = startConversation();
    await c.say("busco un nissan versa");
    const details = await c.say("dame todos los detalles");
    expect(details.text).not.toMatch(OFF_TOPIC);
    expect(details.text).toMatch(/número/);
    const football = await c.say("¿quién ganó el partido ayer?");
    expect(football.text).toMatch(OFF_TOPIC);
  });

  it("compares with reasons from the cards, meets a complaint with empathy and cheaper options, answers English in Spanish", async () => {
    const c = startConversation();
    await c.say("busco un nissan versa");
    const compare = await c.say("¿cuál me conviene?");
    expect(compare.toolCalls).toEqual([]);
    expect(compare.text).toMatch(/Más barato: \*Nissan Versa 2018\* \(\$220,999\)/);
    const complaint = await c.say("están carísimos");
    expect(complaint.text).toMatch(/Entiendo/);
    expect(complaint.toolCalls[0]).toMatchObject({ name: "search_cars", input: { sort: "price_asc" } });
    const english = await startConversation().say("hello, I want to buy a car, can you help me?");
    expect(english.text).toMatch(/español/);
  });
});
