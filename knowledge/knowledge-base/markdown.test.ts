import { describe, expect, it } from "vitest";
import { parseMarkdownDocument, splitByHeadings } from "./markdown.ts";

describe("parseMarkdownDocument", () => {
  it("reads title and topic from the front matter and strips it from the body", () => {
    const parsed = parseMarkdownDocument("---\ntitle: Garantía\ntopic: garantia\n---\n\n# Garantía\n\nTexto.\n", { title: "x", topic: "y" });
    expect(parsed).toEqual({ title: "Garantía", topic: "garantia", body: "\n# Garantía\n\nTexto.\n" });
  });

  it("falls back to the first heading and the given topic without front matter", () => {
    expect(parseMarkdownDocument("# Una página\n\nHola", { title: "archivo", topic: "general" })).toMatchObject({ title: "Una página", topic: "general" });
    expect(parseMarkdownDocument("solo texto", { title: "archivo", topic: "general" }).title).toBe("archivo");
  });
});

describe("splitByHeadings", () => {
  it("makes one chunk per section, the intro headed by the title, and drops the # line", () => {
    const chunks = splitByHeadings("Sedes", "# Sedes\n\nIntro.\n\n## Puebla\n\nDos sedes.\n\n### Explanada\n\nAllende 512.\n\n## Vacía\n\n");
    expect(chunks).toEqual([
      { position: 0, heading: "Sedes", body: "Intro.", answers: [], keywords: [] },
      { position: 1, heading: "Puebla", body: "Dos sedes.", answers: [], keywords: [] },
      { position: 2, heading: "Explanada", body: "Allende 512.", answers: [], keywords: [] },
    ]);
  });

  it("reads a section's metadata comment (kinds it answers, customers' words) and keeps it out of the body", () => {
    const chunks = splitByHeadings("T", "## Devolver el auto\n<!-- answers: condition, possibility; keywords: no me gusta, regresarlo -->\n\nPuedes regresarlo.\n");
    expect(chunks).toEqual([{ position: 0, heading: "Devolver el auto", body: "Puedes regresarlo.", answers: ["condition", "possibility"], keywords: ["no me gusta", "regresarlo"] }]);
  });

  it("reads the document's reference from the front matter", () => {
    expect(parseMarkdownDocument("---\ntitle: T\ntopic: t\nreference: kavak.com/mx/blog\n---\nx", { title: "", topic: "" }).reference).toBe("kavak.com/mx/blog");
  });

  it("does not split on # lines inside code fences", () => {
    const chunks = splitByHeadings("T", "## Uno\n\n```\n## no es título\n```\n");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.body).toContain("## no es título");
  });
});
