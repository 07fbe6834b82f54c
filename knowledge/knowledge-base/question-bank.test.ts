import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMarkdownDocument, splitByHeadings } from "./markdown.ts";
import { BANKS_DIR, buildQuestionBankIndex, loadQuestionBanks, promoteBankChoice, rankByQuestionBank, sectionKey } from "./question-bank.ts";

const documentSections = () =>
  readdirSync(BANKS_DIR)
    .filter((file) => file.endsWith(".md"))
    .flatMap((file) => {
      const parsed = parseMarkdownDocument(readFileSync(join(BANKS_DIR, file), "utf8"), { title: file, topic: "general" });
      return splitByHeadings(parsed.title, parsed.body).map((chunk) => sectionKey(file, chunk.heading));
    });

describe("shipped question banks", () => {
  const banks = loadQuestionBanks();
  const sections = documentSections();

  it("cover every section of every document, and name only sections that exist", () => {
    const banked = new Set(banks.map((bank) => sectionKey(bank.source, bank.heading)));
    expect(sections.filter((key) => !banked.has(key))).toEqual([]);
    expect([...banked].filter((key) => !sections.includes(key))).toEqual([]);
  });

  it("give every section several phrasings (more outside the branch sections)", () => {
    for (const bank of banks) expect(bank.questions.length, bank.heading).toBeGreaterThanOrEqual(bank.source.startsWith("sedes-") ? 3 : 8);
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
