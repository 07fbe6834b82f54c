import { describe, expect, it } from "vitest";
import type { CarCard } from "../../../tools/contracts.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import { understand } from "../nlu/understand.ts";
import { readInContext } from "./in-context.ts";
import { knowledgeQuery } from "./knowledge-query.ts";
import { emptyState } from "./state.ts";
import { applyTurn } from "./update.ts";

const versa: CarCard = { stockId: 1, make: "Nissan", model: "Versa", year: 2020, version: "X", price: 265999, km: 45000, transmission: "automatica", bluetooth: true, carPlay: null, bodyType: null };

const knowledgeExchange = (query: string): ToolExchange => ({
  call: { id: "k", name: "search_knowledge", input: { query }, step: 0 },
  outcome: { ok: true, value: { results: [{ title: "Sedes", topic: "sedes", text: "…", score: 0.9 }] } },
});
const detailsExchange: ToolExchange = { call: { id: "d", name: "get_car_details", input: { stockId: 1 }, step: 0 }, outcome: { ok: true, value: { found: true, car: versa } } };

const afterKnowledge = (query: string) => applyTurn(emptyState(), understand(query), [knowledgeExchange(query)]);
const read = (text: string, state = emptyState()) => readInContext(understand(text), text, state).intent;

describe("reading a message in context", () => {
  it("a general financing question asks the knowledge base, unless a car is being discussed", () => {
    expect(read("se puede financiar?")).toBe("knowledge");
    const withCar = applyTurn(emptyState(), understand("el versa"), [detailsExchange]);
    expect(read("se puede financiar?", withCar)).toBe("financing");
  });

  it("an elliptical message right after a Kavak answer continues it", () => {
    expect(read("y cuanto dura?")).toBe("off_topic");
    expect(read("y cuanto dura?", afterKnowledge("tienen garantia?"))).toBe("knowledge");
  });

  it("a question about 'it' after a Kavak answer is about that answer when no car is in focus", () => {
    expect(read("y cuanto cuesta?")).toBe("car_details");
    expect(read("y cuanto cuesta?", afterKnowledge("tienen garantia extendida?"))).toBe("knowledge");
    const withCar = applyTurn(afterKnowledge("tienen garantia extendida?"), understand("el versa"), [detailsExchange]);
    expect(read("y cuanto cuesta?", { ...withCar, lastKnowledgeQuery: "tienen garantia extendida?" })).toBe("car_details");
  });

  it("only right after: a car turn in between ends the Kavak topic", () => {
    const later = applyTurn(afterKnowledge("tienen garantia?"), understand("el versa"), [detailsExchange]);
    expect(later.lastKnowledgeQuery).toBeUndefined();
    expect(read("y cuanto dura?", later)).toBe("off_topic");
  });
});

describe("the query a follow-up sends to the knowledge base", () => {
  it("is the message itself when it names its own subject or nothing came before", () => {
    expect(knowledgeQuery("y los domingos abren?", "horario de explanada")).toBe("y los domingos abren?");
    expect(knowledgeQuery("y en puabla?", undefined)).toBe("y en puabla?");
  });

  it("carries the previous subject into a follow-up with none", () => {
    expect(knowledgeQuery("y cuanto dura?", "tienen garantia?")).toBe("tienen garantia y cuanto dura?");
  });

  it("drops the previous place when the follow-up names another", () => {
    expect(knowledgeQuery("y en puabla?", "dond stan en monterrey")).toBe("donde estan en y en puabla?");
  });

  it("leaves a long new question alone", () => {
    expect(knowledgeQuery("me pueden decir como le hago para comprar uno", "tienen garantia?")).toBe("me pueden decir como le hago para comprar uno");
  });
});
