import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMarkdownDocument, splitByHeadings } from "./markdown.ts";
import { BANKS_DIR, buildQuestionBankIndex, decideScope, isOutOfScopeKey, loadQuestionBanks, OUT_OF_SCOPE_SOURCE, outOfScopeSimilarity, promoteBankChoice, rankByQuestionBank, sectionKey } from "./question-bank.ts";

const documentSections = () =>
  readdirSync(BANKS_DIR)
    .filter((file) => file.endsWith(".md"))
    .flatMap((file) => {
      const parsed = parseMarkdownDocument(readFileSync(join(BANKS_DIR, file), "utf8"), { title: file, topic: "general" });
      return splitByHeadings(parsed.title, parsed.body).map((chunk) => sectionKey(file, chunk.heading));
    });

describe("shipped question banks", () => {
  const all = loadQuestionBanks();
  const banks = all.filter((bank) => bank.source !== OUT_OF_SCOPE_SOURCE);
  const outOfScope = all.filter((bank) => bank.source === OUT_OF_SCOPE_SOURCE);
  const sections = documentSections();

  it("cover every section of every document, and name only sections that exist", () => {
    const banked = new Set(banks.map((bank) => sectionKey(bank.source, bank.heading)));
    expect(sections.filter((key) => !banked.has(key))).toEqual([]);
    expect([...banked].filter((key) => !sections.includes(key))).toEqual([]);
  });

  it("give every section several phrasings (more outside the branch sections)", () => {
    for (const bank of banks) expect(bank.questions.length, bank.heading).toBeGreaterThanOrEqual(bank.source.startsWith("sedes-") ? 3 : 8);
  });

  it("include an out-of-scope bank of several classes, none named like a document", () => {
    expect(outOfScope.length).toBeGreaterThanOrEqual(10);
    for (const bank of outOfScope) expect(bank.questions.length, bank.heading).toBeGreaterThanOrEqual(5);
    expect(sections.some((key) => isOutOfScopeKey(key))).toBe(false);
  });

  it("tell questions outside the knowledge base from questions it answers", () => {
    const index = buildQuestionBankIndex(all);
    const closest = (question: string) => {
      const similarities = index.similarities(question);
      const section = Math.max(...[...similarities].filter(([key]) => !isOutOfScopeKey(key)).map(([, value]) => value));
      return outOfScopeSimilarity(similarities) > section ? "outside" : "inside";
    };
    expect(closest("oigan y cuanto me cobran por cambiarle las balatas a mi carro")).toBe("outside");
    expect(closest("saben si va a llover el sabado?")).toBe("outside");
    expect(closest("cuanto dura la garantia de los carros")).toBe("inside");
  });

  it("send typical questions to the section that answers them", () => {
    const index = buildQuestionBankIndex(banks);
    const best = (question: string) => [...index.similarities(question)].sort((a, b) => b[1] - a[1])[0]![0];
    expect(best("oigan y si ya no me gustó el carro a los 3 días se los regreso?")).toBe("periodo-de-prueba.md#Devolver el auto si no te convence");
    expect(best("me reciben mi troca como parte del pago de otra?")).toMatch(/^auto-a-cuenta\.md#/);
    expect(best("k papeles ocupo pa sacar el credito")).toBe("financiamiento.md#Documentos y requisitos para el plan de pagos");
  });
});

describe("ranking with the banks", () => {
  const chunk = (heading: string, score: number, rankScore = score) => ({ source: "d.md", heading, score, rankScore });
  const similarities = new Map([
    ["d.md#a", 0.2],
    ["d.md#b", 0.5],
  ]);

  it("orders by bank similarity over the lexical rank score", () => {
    expect(rankByQuestionBank([chunk("a", 0.9), chunk("b", 0.5)], similarities, 4).map((c) => c.heading)).toEqual(["b", "a"]);
  });

  it("promotes a supported section the banks clearly prefer when the question is answerable", () => {
    const promoted = promoteBankChoice([chunk("a", 0.6), chunk("b", 0.3)], similarities, { threshold: 0.4, support: 0.2, margin: 0.1 });
    expect(promoted.map((c) => [c.heading, c.score])).toEqual([
      ["b", 0.4],
      ["a", 0.6],
    ]);
  });

  it("never turns an abstention into an answer", () => {
    const ranked = [chunk("a", 0.3), chunk("b", 0.3)];
    expect(promoteBankChoice(ranked, similarities, { threshold: 0.4, support: 0.2, margin: 0.1 })).toBe(ranked);
  });
});

describe("deciding whether to answer", () => {
  const chunk = (heading: string, score: number, rankScore = score) => ({ source: "d.md", heading, score, rankScore });
  const parameters = { threshold: 0.4, rescueSupport: 0.3, rescueSimilarity: 0.1, rescueMargin: 0.05, unsupportedSimilarity: 0.25, unsupportedMargin: 0.25, veto: 0.1 };
  const outside = (value: number) => [`${OUT_OF_SCOPE_SOURCE}#Seguros`, value] as const;

  it("abstains on an answerable question closer to the out-of-scope bank than to its answer", () => {
    const similarities = new Map([["d.md#a", 0.1], outside(0.2)]);
    expect(decideScope([chunk("a", 0.5)], similarities, parameters, false).ranked).toEqual([]);
    const closer = new Map([["d.md#a", 0.3], outside(0.2)]);
    expect(decideScope([chunk("a", 0.5)], closer, parameters, false).ranked.map((c) => c.heading)).toEqual(["a"]);
  });

  it("answers a supported section below the threshold when its banked questions are clearly closer", () => {
    const similarities = new Map([["d.md#a", 0.1], ["d.md#b", 0.3], outside(0.05)]);
    const decided = decideScope([chunk("a", 0.35), chunk("b", 0.32)], similarities, parameters, false).ranked;
    expect(decided.map((c) => [c.heading, c.score])).toEqual([
      ["b", 0.4],
      ["a", 0.35],
    ]);
  });

  it("does not rescue a question naming a subject the documents do not cover, nor one closer to the out-of-scope bank", () => {
    const similarities = new Map([["d.md#b", 0.3], outside(0.05)]);
    expect(decideScope([chunk("b", 0.32)], similarities, parameters, true).ranked[0]!.score).toBe(0.32);
    expect(decideScope([chunk("b", 0.32)], new Map([["d.md#b", 0.3], outside(0.28)]), parameters, false).ranked[0]!.score).toBe(0.32);
  });

  it("answers from the banks alone only when their section is far closer than the out-of-scope bank", () => {
    expect(decideScope([], new Map([["d.md#b", 0.5], outside(0.1)]), parameters, false)).toEqual({ ranked: [], fromBank: "d.md#b" });
    expect(decideScope([], new Map([["d.md#b", 0.5], outside(0.3)]), parameters, false)).toEqual({ ranked: [] });
  });
});
