import { describe, expect, it } from "vitest";
import { kindMatch, questionKinds } from "./question-intent.ts";
import { chooseAnswer, headingFocus, questionParts, rerankChunks } from "./rerank.ts";
import type { ScoredChunk } from "./scoring.ts";

describe("questionKinds", () => {
  it("reads what kind of answer a question wants", () => {
    expect(questionKinds("¿Qué es Kavak?")).toContain("definition");
    expect(questionKinds("¿cuánto dura la garantía?")).toContain("duration");
    expect(questionKinds("¿cuántos días de prueba tengo?")).toContain("duration");
    expect(questionKinds("¿cuántos días de prueba tengo?")).not.toContain("quantity");
    expect(questionKinds("¿cuántas sucursales tienen?")).toEqual(expect.arrayContaining(["quantity"]));
    expect(questionKinds("¿cuántas sucursales tienen?")).not.toContain("location");
    expect(questionKinds("¿dónde están?")).toContain("location");
    expect(questionKinds("¿tienen sucursal?")).toContain("location");
    expect(questionKinds("¿qué pasa si no me gusta el auto?")).toContain("condition");
    expect(questionKinds("¿qué papeles piden?")).toContain("requirements");
    expect(questionKinds("a que hora abren")).toContain("hours");
  });

  it("weighs a specific kind fully and a generic one by half", () => {
    expect(kindMatch(["definition"], ["definition", "list"])).toBe(1);
    expect(kindMatch(["possibility"], ["possibility"])).toBe(0.5);
    expect(kindMatch(["duration"], ["location"])).toBe(0);
  });
});

const chunk = (id: number, heading: string, score: number, extra: Partial<ScoredChunk> = {}): ScoredChunk => ({
  chunkId: id,
  source: `${id}.md`,
  title: "T",
  topic: "t",
  heading,
  body: "x",
  answers: [],
  reference: undefined,
  score,
  headingCoverage: 0,
  concepts: new Set(),
  titleTrigram: 0,
  ...extra,
});

describe("rerankChunks", () => {
  it("puts a section that answers the kind asked ahead of one that only shares its words", () => {
    const ranked = rerankChunks("¿qué es kavak?", [
      chunk(1, "Kavak es un unicornio mexicano", 0.97, { answers: ["cost"] }),
      chunk(2, "Kavak: plataforma mexicana para comprar y vender autos seminuevos", 0.96, { answers: ["definition"] }),
    ]);
    expect(ranked.map((c) => c.chunkId)).toEqual([2, 1]);
  });

  it("prefers the heading that is about just what was asked", () => {
    expect(headingFocus("Garantía incluida de 3 meses", new Set(["garan"]))).toBeGreaterThan(headingFocus("Kavak Total: extiende tu garantía un año más", new Set(["garan"])));
  });
});

describe("questionParts", () => {
  it("splits a question that asks two things, and leaves one question whole", () => {
    expect(questionParts("¿cuánto dura la garantía y qué pasa si no me gusta el carro?")).toEqual(["cuanto dura la garantia", "que pasa si no me gusta el carro"]);
    expect(questionParts("¿cuánto dura la garantía?")).toEqual([]);
    expect(questionParts("documentos y requisitos para el crédito")).toEqual([]);
    // "¿de cuánto tiempo es?" names no subject of its own: not a second part
    expect(questionParts("los carros tienen garantia? de cuanto tiempo es")).toEqual([]);
  });
});

describe("chooseAnswer", () => {
  const parameters = { threshold: 0.4, secondThreshold: 0.6, sameAnswerRatio: 0.9 };
  const c = (chunkId: number, score: number) => ({ chunkId, score });
  it("quotes the best section alone unless another part of the question has its own answer", () => {
    expect(chooseAnswer([c(1, 0.9), c(2, 0.88)], [], parameters)).toEqual([c(1, 0.9)]);
    expect(chooseAnswer([c(1, 0.9)], [[c(1, 0.9)], [c(2, 0.8)]], parameters)).toEqual([c(1, 0.9), c(2, 0.8)]);
    // the first already answers the other part
    expect(chooseAnswer([c(1, 0.9)], [[c(2, 0.8), c(1, 0.78)]], parameters)).toEqual([c(1, 0.9)]);
    // a weak second is left out
    expect(chooseAnswer([c(1, 0.9)], [[c(2, 0.5)]], parameters)).toEqual([c(1, 0.9)]);
    expect(chooseAnswer([c(1, 0.3)], [], parameters)).toEqual([]);
  });
});
