import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database.ts";
import { TestDatabase } from "../db/test-database.ts";
import { syncKnowledgeDocuments } from "./sync.ts";
import { defaultRetrieval } from "./retrieval.ts";
import { KnowledgeSearch } from "./knowledge-search.ts";

// One database for the file; a second KnowledgeSearch (with a reranker) shares it.
const runtime = ManagedRuntime.make(TestDatabase);
const run = <A, E>(effect: Effect.Effect<A, E, Database>) => runtime.runPromise(effect);
const search = (query: string, limit?: number) =>
  run(Effect.flatMap(KnowledgeSearch, (s) => s.search(query, limit)).pipe(Effect.provide(KnowledgeSearch.layer)));

beforeAll(() => run(Effect.void), 60_000);
afterAll(() => runtime.dispose());

describe("KnowledgeSearch", () => {
  it("returns nothing while the knowledge base is empty", async () => {
    expect(await search("tienen garantia")).toEqual([]);
  });

  it("answers with the best section in the tool's contract shape, with the source the knowledge base keeps", async () => {
    await run(syncKnowledgeDocuments());
    const results = await search("tienen garantia");
    expect(results).toHaveLength(1);
    expect(Object.keys(results[0]!).sort()).toEqual(["reference", "score", "text", "title", "topic"]);
    expect(results[0]).toMatchObject({ title: "Garantía y Kavak Total", topic: "garantia", reference: "kavak.com/mx/blog/sedes-de-kavak-en-mexico" });
    expect(results[0]!.text).toMatch(/^Garantía incluida de 3 meses\n/);
    expect(results[0]!.score).toBeGreaterThanOrEqual(defaultRetrieval.threshold);
    // the ranked list (evaluation, HTTP API) honours its limit
    const ranked = await run(Effect.flatMap(KnowledgeSearch, (s) => s.searchDetailed("horarios de kavak", 8)).pipe(Effect.provide(KnowledgeSearch.layer)));
    expect(ranked.length).toBeGreaterThan(1);
    expect(ranked.length).toBeLessThanOrEqual(8);
  });

  it("answers the section the question asks for, not the one that shares its words", async () => {
    const top = async (question: string) => {
      const [result] = await run(Effect.flatMap(KnowledgeSearch, (s) => s.answer(question)).pipe(Effect.provide(KnowledgeSearch.layer)));
      return result ? `${result.source}#${result.heading}` : "(nothing)";
    };
    expect(await top("¿Qué es Kavak?")).toBe("empresa.md#Kavak: plataforma mexicana para comprar y vender autos seminuevos");
    expect(await top("¿Qué pasa si no me gusta el auto?")).toBe("periodo-de-prueba.md#Devolver el auto si no te convence");
    expect(await top("si me arrepiento puedo regresarlo?")).toBe("periodo-de-prueba.md#Devolver el auto si no te convence");
    expect(await top("cuantos puntos tiene la inspeccion")).toBe("comprar-un-auto.md#Autos certificados: inspección de exterior, interior y motor");
    expect(await top("cuánto dura la garantía del coche")).toBe("garantia.md#Garantía incluida de 3 meses");
    expect(await top("q es kavak total")).toBe("garantia.md#Kavak Total: extiende tu garantía un año más");
    expect(await top("cuantas sucursales tienen")).toBe("red-de-sedes.md#Cuántas sedes y centros de inspección tiene Kavak");
  });

  it("abstains on insurance, which the knowledge base does not cover, instead of matching 'auto'", async () => {
    for (const question of ["¿tienen seguro de auto?", "los autos de kavak incluyen seguro?", "venden motos?", "¿puedo pagar con tarjeta de crédito?"]) {
      expect(await search(question), question).toEqual([]);
    }
  });

  it("quotes a second section only for another part of the question", async () => {
    const answer = (question: string) => run(Effect.flatMap(KnowledgeSearch, (s) => s.answer(question)).pipe(Effect.provide(KnowledgeSearch.layer)));
    const two = await answer("¿cuánto dura la garantía y qué pasa si no me gusta el carro?");
    expect(two.map((r) => r.source).sort()).toEqual(["garantia.md", "periodo-de-prueba.md"]);
    expect(await answer("cuánto dura la garantía")).toHaveLength(1);
    // a second part about a sede of another city, or naming no city, is not answered by that city's sede
    const valle = await answer("hay sucursal en la del valle? la de benito juarez aqui en cdmx, no la de monterrey");
    expect(valle.map((r) => r.source)).not.toContain("sedes-monterrey.md");
    const veracruz = await answer("alguna sucursal en veracruz? xalapa o el puerto, cualquiera");
    expect(veracruz.map((r) => r.source)).toEqual(["red-de-sedes.md"]);
    // "se lo pueden quedar" keeps the customer's car (a trade-in), it does not ask where a sede "queda"
    const trade = await answer("tenemos un aveo que ya casi no usamos, se lo pueden quedar y descontarlo de la camioneta? tiene que pasar alguna revision o nomas lo llevamos?");
    expect(trade.map((r) => r.source)).toEqual(["auto-a-cuenta.md"]);
  });

  it("answers where-questions from the structured sedes", async () => {
    const [polanco] = await search("¿tienen sucursal por Polanco?");
    expect(polanco?.text).toContain("Antara Fashion Hall");
    const [leon] = await search("¿y en León?");
    expect(leon?.text).toMatch(/^No hay una sede de Kavak en León/);
    expect(leon?.text).not.toContain("Punto Valle");
    const [nuevoLeon] = await search("¿tienen sucursal en Nuevo León?");
    expect(nuevoLeon?.text).toContain("Punto Valle");
    const [satelite] = await search("¿cuál me queda más cerca de Satélite?");
    expect(satelite?.text).toMatch(/más cercanas? a Satélite/);
    expect(satelite?.text).toContain("Tlalnepantla");
  });

  it("tolerates typos, missing accents and colloquial words", async () => {
    const cases: Array<[string, string]> = [
      ["dond stan en monterrey", "Sedes de Kavak en Monterrey y su área metropolitana"],
      ["y en puabla?", "Sedes de Kavak en Puebla"],
      ["qué papeles ocupo", "Plan de pagos a meses (financiamiento)"],
      ["puedo dar mi carro a cuenta", "Tu auto como medio de pago (auto a cuenta)"],
      ["garantai", "Garantía y Kavak Total"],
    ];
    for (const [question, title] of cases) expect((await search(question))[0]?.title, question).toBe(title);
  });

  it("answers a question of two alternatives when a section answers either one", async () => {
    const results = await search("¿se puede a meses o nomás de contado?");
    expect(results[0]?.title).toBe("Plan de pagos a meses (financiamiento)");
    // each side alone would say nothing: still nothing
    expect(await search("¿receta de pozole o de tamales?")).toEqual([]);
    // the second side keeps the first's context: "dólares" alone would match "1,000 millones de dólares"
    expect(await search("¿puedo pagar con bitcoin o con dólares?")).toEqual([]);
  });

  it("abstains on questions the documents do not answer", async () => {
    for (const question of ["receta de pozole", "quién ganó el mundial", "hola", "¿?", "precio del dólar hoy"]) {
      expect(await search(question), question).toEqual([]);
    }
  });

  it("lets a second stage rescore the candidates (the seam for embeddings)", async () => {
    const reversed = KnowledgeSearch.layerWith({
      rerank: (_query, candidates) => Effect.succeed([...candidates].reverse().map((c, i) => ({ ...c, score: i === 0 ? 0.99 : 0 }))),
    });
    const results = await run(Effect.flatMap(KnowledgeSearch, (s) => s.searchDetailed("horarios de kavak", 3)).pipe(Effect.provide(reversed)));
    expect(results).toHaveLength(1);
    expect(results[0]!.score).toBe(0.99);
  });
});
