/**
 * The project's knowledge documents state Kavak's published facts and nothing more: every figure
 * in them is one of the published figures, claims seen elsewhere never appear, and every branch
 * has its section with address, postal code and the hours rule.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMarkdownDocument, splitByHeadings } from "./markdown.ts";
import { DEFAULT_DOCUMENTS_DIR } from "./sync.ts";

interface Doc {
  readonly file: string;
  readonly raw: string;
  readonly title: string;
  readonly topic: string;
  readonly sections: ReadonlyArray<{ heading: string; body: string }>;
}

let docs: Doc[] = [];

beforeAll(async () => {
  const files = (await readdir(DEFAULT_DOCUMENTS_DIR)).filter((f) => f.endsWith(".md")).sort();
  docs = await Promise.all(
    files.map(async (file) => {
      const raw = await readFile(join(DEFAULT_DOCUMENTS_DIR, file), "utf8");
      const parsed = parseMarkdownDocument(raw, { title: "", topic: "" });
      return { file, raw, title: parsed.title, topic: parsed.topic, sections: splitByHeadings(parsed.title, parsed.body) };
    }),
  );
});

// Every figure of the published facts (kavak-facts.md): counts, addresses, postal codes, hours,
// trial period, warranty, financing rule. Ordered-list numbers (1-4) are among them.
const PUBLISHED_FIGURES = new Set(
  `1 2 3 4 6 7 9 10% 13 15 30 36 48 60 72 100% 300 1,000 9:00 18:00 200-400
   512 72760 1910 72480 555 66220 2703 64830 334 07760 01219 1434 54040 1025 02100 55717 11520 3720 01900
   1133 44648 235 45645 40 76040 103 62370`.split(/\s+/),
);

const BRANCHES: ReadonlyArray<readonly [file: string, name: string, postalCode: string]> = [
  ["sedes-puebla.md", "Kavak Explanada", "72760"],
  ["sedes-puebla.md", "Kavak Las Torres", "72480"],
  ["sedes-monterrey.md", "Kavak Punto Valle", "66220"],
  ["sedes-monterrey.md", "Kavak Nuevo Sur", "64830"],
  ["sedes-ciudad-de-mexico.md", "Plaza Fortuna", "07760"],
  ["sedes-ciudad-de-mexico.md", "Patio Santa Fe", "01219"],
  ["sedes-ciudad-de-mexico.md", "Tlalnepantla", "54040"],
  ["sedes-ciudad-de-mexico.md", "El Rosario Town Center", "02100"],
  ["sedes-ciudad-de-mexico.md", "Cosmopol", "55717"],
  ["sedes-ciudad-de-mexico.md", "Antara Fashion Hall", "11520"],
  ["sedes-ciudad-de-mexico.md", "Artz Pedregal", "01900"],
  ["sedes-guadalajara.md", "Midtown Guadalajara", "44648"],
  ["sedes-guadalajara.md", "Punto Sur", "45645"],
  ["sedes-queretaro.md", "Puerta La Victoria", "76040"],
  ["sedes-cuernavaca.md", "Forum Cuernavaca", "62370"],
];

describe("knowledge documents", () => {
  it("each has a title and a topic in its front matter", () => {
    expect(docs.length).toBeGreaterThanOrEqual(10);
    for (const doc of docs) {
      expect(doc.raw.startsWith("---\n"), doc.file).toBe(true);
      expect(doc.title, doc.file).not.toBe("");
      expect(doc.topic, doc.file).toMatch(/^[a-z-]+$/);
    }
  });

  it("contain no figure outside the published facts", () => {
    for (const doc of docs) {
      const body = doc.raw.replace(/^---[\s\S]*?---/, "");
      const figures = (body.match(/\d[\d.,:%-]*/g) ?? []).map((f) => f.replace(/[.,-]+$/, ""));
      const invented = figures.filter((f) => !PUBLISHED_FIGURES.has(f));
      expect(invented, doc.file).toEqual([]);
    }
  });

  it("never state the claims seen elsewhere", () => {
    const all = docs.map((d) => d.raw).join("\n").toLowerCase();
    for (const claim of [/\b(240|360)\s*puntos/, /\b84\s*meses/, /14[.,]99/, /24\s*horas/, /reembolso completo/, /enganche m[ií]nimo (de|del) \d/, /\d\s*km de garant/]) {
      expect(all, String(claim)).not.toMatch(claim);
    }
  });

  it("give each of the 15 branches a section with its postal code and hours", () => {
    const branchSections = docs.filter((d) => d.file.startsWith("sedes-")).flatMap((d) => d.sections.map((s) => ({ file: d.file, ...s })));
    for (const [file, name, postalCode] of BRANCHES) {
      const section = branchSections.find((s) => s.file === file && s.heading.includes(name.replace(/^Kavak /, "")));
      expect(section, name).toBeDefined();
      expect(section!.body, name).toContain(postalCode);
      if (name === "Kavak Explanada") expect(section!.body).toContain("todos los días de 9:00 a 18:00");
      else expect(section!.body, name).toContain("Horario: no publicado");
    }
    const sectionsWithHours = branchSections.filter((s) => /9:00|18:00/.test(s.body));
    expect(sectionsWithHours.map((s) => s.heading)).toEqual(["Kavak Explanada (Puebla, Santiago Momoxpan)"]);
  });

  it("state the financing simulation rule and what is not published", () => {
    const simulation = docs.find((d) => d.file === "simulacion-de-financiamiento.md")!.raw;
    expect(simulation).toContain("10% anual");
    expect(simulation).toContain("36, 48, 60 o 72 meses");
    expect(simulation).toContain("precio del auto menos el enganche");
    expect(simulation).toMatch(/no fija un enganche mínimo/);
  });
});
