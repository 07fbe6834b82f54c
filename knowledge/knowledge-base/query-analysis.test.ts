import { describe, expect, it } from "vitest";
import { analyzeQuery, isStopwordTypo, normalizeText } from "./query-analysis.ts";

const sources = (question: string) => analyzeQuery(question).concepts.map((c) => c.source);

describe("analyzeQuery", () => {
  it("normalizes like unaccent and drops filler words", () => {
    expect(normalizeText("¿Qué PAPELES ocupo, señor?")).toBe("que papeles ocupo senor");
    expect(sources("hola, oye, ¿tienen garantía?")).toEqual(["garantia"]);
    expect(analyzeQuery("hola").concepts).toEqual([]);
  });

  it("maps colloquial words to the documents' words, searching only unambiguous ones", () => {
    const [papers] = analyzeQuery("qué papeles ocupo").concepts;
    expect(papers?.synonyms).toContain("documento");
    expect(papers?.synonyms).not.toContain("papeles");
    const tradeIn = analyzeQuery("puedo dar mi carro a cuenta").concepts.find((c) => c.synonyms.includes("medio de pago"));
    expect(tradeIn?.synonyms).not.toContain("a cuenta");
    expect(analyzeQuery("sucursales en cdmx").concepts.flatMap((c) => c.synonyms)).toEqual(expect.arrayContaining(["sucursales", "sede", "ciudad de mexico"]));
  });

  it("keeps one concept per synonym group and strips attached pronouns", () => {
    expect(sources("sucursal o agencia en monterrey")).toEqual(["sucursal", "monterrey"]);
    expect(analyzeQuery("me lo pueden llevar para verlo").concepts[0]?.synonyms).toEqual(["verlo", "ver"]);
  });

  it("marks only words outside every group as candidates for typo correction", () => {
    expect(analyzeQuery("y en puabla?").concepts).toEqual([{ source: "puabla", synonyms: ["puabla"], correctable: true }]);
  });
});

describe("typo helpers", () => {
  it("recognizes slips of filler words", () => {
    expect(isStopwordTypo("stan")).toBe(true);
    expect(isStopwordTypo("dond")).toBe(true);
    expect(isStopwordTypo("puebla")).toBe(false);
  });
});
