/** Failure classes of the mystery-shopper sets of 2026-12-04 (issue 13), over the fixture tools. */
import { describe, expect, it } from "vitest";
import { startConversation } from "../testing/conversation-driver.ts";
import { understand, understandTurn } from "../nlu/understand.ts";
import { carDetails } from "../replies/cards.ts";
import { ADVISOR_REQUEST } from "../nlu/closing-cues.ts";
import { normalize } from "../nlu/normalize.ts";

describe("mystery-shopper failure classes", () => {
  it("never reads an amount no car costs as a price, nor '208 mil' as the Peugeot 208", () => {
    expect(understand("qué sedán me queda con 7 mil a 60 meses?")).toMatchObject({ intent: "affordability", slots: { monthlyBudget: 7000, termMonths: [60] } });
    expect(understand("traigo unos 35 mil ahorrados")).toMatchObject({ intent: "affordability", slots: { downPayment: 35000 } });
    expect(understand("algo por los 208 mil").slots.model).toBeUndefined();
    expect(understand("busco un peugeot 208").slots.model).toBe("208");
    expect(understand("bmw por menos de 450 varos").slots.maxPrice).toBe(450000);
  });

  it("keeps budget and years when the kind of car changes", async () => {
    const c = startConversation();
    await c.say("autos de menos de 260 mil del 2018 para arriba");
    const suvs = await c.say("mejor camionetas");
    expect(suvs.toolCalls[0]!.input).toMatchObject({ maxPrice: 260000, minYear: 2018, bodyTypes: ["suv"] });
  });

  it("drops a car the customer turns down and reads past a leading 'jaja no'", () => {
    expect(understand("nel, el jetta no. mejor un sedan automatico").slots).toEqual({ bodyTypes: ["sedan"], transmission: "automatica" });
    expect(understand("jeje no, busco una pickup")).toMatchObject({ intent: "search_cars", slots: { bodyTypes: ["pickup"] } });
    expect(understand("no gracias").intent).toBe("deny");
  });

  it("answers about the car asked, not the one only remarked on", () => {
    expect(understand("uf cuántos km ese x3. y el x1 cuánto quedaría?").slots).toMatchObject({ model: "X1" });
  });

  it("keeps the Kavak question of a message that also asks for a car", async () => {
    expect(understandTurn("me late la nissan kicks, cuánto dura la garantía?")).toMatchObject({ intent: "search_cars", also: "cuánto dura la garantía" });
    expect(understandTurn("tengo un versa 2016, ¿cuánto me pagarían?").also).toBeUndefined();
    const c = startConversation();
    const both = await c.say("busco un nissan versa, ¿qué documentos piden?");
    expect(both.toolCalls.map((t) => t.name)).toEqual(["search_cars", "search_knowledge"]);
    expect(both.text).toContain("Nissan Versa 2020");
  });

  it("recognises a human asked for formally or by phone", () => {
    for (const t of ["comuníqueme con un asesor", "¿me podrían marcar?", "páseme con alguien de ventas", "prefiero una persona real"]) expect(ADVISOR_REQUEST.test(normalize(t)), t).toBe(true);
    expect(ADVISOR_REQUEST.test(normalize("el asesor me dijo que sí"))).toBe(false);
  });

  it("states a seat count only when the version text says it", () => {
    const base = { stockId: 1, make: "Honda", model: "CR-V", year: 2017, price: 1, km: 1, bluetooth: null, carPlay: null, transmission: null, bodyType: "suv" } as const;
    expect(carDetails({ ...base, version: "2.4 EX", seats: 5 })).not.toContain("Pasajeros");
    expect(carDetails({ ...base, version: "1.5 LT 7 PASAJEROS CVT", seats: 7 })).toContain("Pasajeros: 7");
  });

  it("picks the newest car with fewer km when two share the year", async () => {
    const c = startConversation();
    await c.say("tienen kia rio?");
    const pick = await c.say("el más nuevo con menos km, cuántos km tiene?");
    expect(pick.text).toContain("19,000 km");
  });
});

describe("a monthly budget's follow-ups", () => {
  it("changes only the term or the down payment of the last budget question", async () => {
    const c = startConversation();
    await c.say("qué me alcanza con 4 mil al mes?");
    const term = await c.say("y a 48 meses?");
    expect(term.toolCalls[0]).toMatchObject({ name: "calculate_affordable_price", input: { monthlyBudget: 4000, termMonths: [48] } });
    const down = await c.say("y si doy 25 mil de enganche?");
    expect(down.toolCalls[0]).toMatchObject({ name: "calculate_affordable_price", input: { monthlyBudget: 4000, downPayment: 25000, termMonths: [48] } });
  });
});
