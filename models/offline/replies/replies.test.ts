import { describe, expect, it } from "vitest";
import { carCard, carDetails, carTitle } from "./cards.ts";
import { fitMessage, kilometres, pesos, pesosExact } from "./format.ts";
import { formatChunk, knowledgeReply } from "./knowledge.ts";
import { searchReply } from "./search.ts";
import { pickPhrase } from "./variety.ts";

const versa = { stockId: 322722, make: "Nissan", model: "Versa", year: 2020, version: "1.6 ADVANCE CVT", price: 265999, km: 45837, transmission: "automatica" as const, bluetooth: true, carPlay: null, bodyType: null };

describe("formats", () => {
  it("writes money and km the Mexican way, exactly", () => {
    expect(pesos(265999)).toBe("$265,999");
    expect(pesosExact("5478.29")).toBe("$5,478.29");
    expect(pesosExact("262957.9")).toBe("$262,957.90");
    expect(kilometres(45837)).toBe("45,837 km");
  });

  it("keeps messages within 1,600 characters", () => {
    expect(fitMessage("línea\n".repeat(500)).length).toBeLessThanOrEqual(1600);
  });
});

describe("cards", () => {
  it("shows make, model, year, version, price and km, never the stock id", () => {
    const card = carCard(versa, 1);
    for (const part of ["Nissan Versa 2020", "1.6 ADVANCE CVT", "$265,999", "45,837 km"]) expect(card).toContain(part);
    expect(card).not.toContain("322722");
  });

  it("does not repeat the make when the catalog's model name starts with it", () => {
    expect(carTitle({ make: "Mazda", model: "Mazda 3", year: 2018 })).toBe("Mazda 3 2018");
    expect(carTitle({ make: "Mazda", model: "CX-5", year: 2020 })).toBe("Mazda CX-5 2020");
    // only a whole word: a model that merely begins with the same letters keeps the make
    expect(carTitle({ make: "Mini", model: "Minivan", year: 2019 })).toBe("Mini Minivan 2019");
    expect(carTitle(versa)).toBe("Nissan Versa 2020");
  });

  it("says what was searched without repeating the make either", () => {
    const output = { cars: [{ ...versa, make: "Mazda", model: "Mazda 3", year: 2018 }], total: 1, offset: 0, nearest: [], facets: { makes: [], price: null, year: null } };
    expect(searchReply({ make: "Mazda", model: "Mazda 3" }, output, "seed")).toContain("Encontré 1 opción de *Mazda 3*:");
    expect(searchReply({ make: "Mazda" }, output, "seed")).toContain("Encontré 1 opción de *Mazda*:");
  });

  it("says 'no confirmado' for unknown equipment, never 'no'", () => {
    expect(carDetails(versa)).toContain("CarPlay: no confirmado");
  });
});

describe("knowledge replies", () => {
  it("formats a chunk: bold title, joined lines, no notes meant for the assistant", () => {
    const chunk = "Garantía incluida de 3 meses\nTodos los autos incluyen una garantía\nde 3 meses.\nNo se menciona un límite de kilometraje: no hay que\ncitar uno.";
    expect(formatChunk(chunk)).toBe("*Garantía incluida de 3 meses*\nTodos los autos incluyen una garantía de 3 meses. No se menciona un límite de kilometraje.");
  });

  it("quotes the sections search_knowledge chose (two at most) and nothing when there are none", () => {
    const result = (title: string, text: string) => ({ title, topic: "t", text, score: 0.9 });
    const reply = knowledgeReply({ results: [result("a", "Uno\nprimero"), result("b", "Dos\nsegundo"), result("c", "Tres\ntercero")] }, "s");
    expect(reply).toContain("primero");
    expect(reply).toContain("segundo");
    expect(reply).not.toContain("tercero");
    expect(knowledgeReply({ results: [] }, "s")).toBe("");
  });

  it("speaks in the assistant's voice and names the source the knowledge base keeps", () => {
    const reply = knowledgeReply(
      { results: [{ title: "Periodo de prueba de 7 días o 300 km", topic: "compra", text: "Devolver el auto si no te convence\nPuedes regresarlo.", score: 0.9, reference: "kavak.com/mx/blog/sedes-de-kavak-en-mexico" }] },
      "s",
    );
    expect(reply).toMatch(/^(Te cuento|Esto es lo que tengo|Claro)/);
    expect(reply).toContain("*Devolver el auto si no te convence*\nPuedes regresarlo.");
    expect(reply).toContain("_Fuente: «Periodo de prueba de 7 días o 300 km», kavak.com/mx/blog/sedes-de-kavak-en-mexico_");
    expect(knowledgeReply({ results: [{ title: "Página", topic: "web", text: "T\nx", score: 1 }] }, "s")).toContain("_Fuente: «Página»_");
  });

  it("keeps numbered steps on their own lines", () => {
    expect(formatChunk("Pasos\nAsí funciona\nen orden:\n1. Cotiza.\n2. Agenda una inspección.")).toBe("*Pasos*\nAsí funciona en orden:\n1. Cotiza.\n2. Agenda una inspección.");
  });
});

describe("variety", () => {
  it("is deterministic for a seed and varies across seeds", () => {
    const options = ["a", "b", "c"];
    expect(pickPhrase("x", "p", options)).toBe(pickPhrase("x", "p", options));
    const seen = new Set(Array.from({ length: 20 }, (_, i) => pickPhrase(`seed${i}`, "p", options)));
    expect(seen.size).toBeGreaterThan(1);
  });
});
