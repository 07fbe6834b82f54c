import { Effect, Exit, Layer, ManagedRuntime } from "effect";
import { sql, type Kysely } from "kysely";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../db/database.ts";
import type { DB } from "../db/schema.ts";
import { TestDatabase } from "../db/test-database.ts";
import { KnowledgeStore } from "./knowledge-store.ts";
import { ingestKnowledgeSource, syncKnowledgeDocuments } from "./sync.ts";

const runtime = ManagedRuntime.make(KnowledgeStore.layer.pipe(Layer.provideMerge(TestDatabase)));
const run = <A, E>(effect: Effect.Effect<A, E, Database | KnowledgeStore>) => runtime.runPromise(effect);
const query = <A>(f: (db: Kysely<DB>) => Promise<A>) => run(Effect.flatMap(Database, ({ db }) => Effect.promise(() => f(db))));

const chunksOf = (source: string) =>
  query((db) =>
    db.selectFrom("knowledge_chunks as c").innerJoin("knowledge_documents as d", "d.id", "c.document_id")
      .select(["c.heading", "c.body"]).where("d.source", "=", source).orderBy("c.position").execute(),
  );

const PAGE = `<!doctype html><html><head><title>Guía de prueba</title><script>var tracking = "no indexar";</script></head>
<body>
  <nav><a href="/">Inicio</a> <a href="/menu">Menú de navegación que no es contenido</a></nav>
  <main><article>
    <h1>Guía para vender tu camioneta</h1>
    <p>Esta guía explica con detalle cómo preparar tu camioneta antes de venderla, paso por paso, con calma y sin prisas.</p>
    <h2>Limpieza del interior</h2>
    <p>Aspira los tapetes, limpia el tablero y retira tus objetos personales antes de la cita de inspección de la camioneta.</p>
    <ul><li>Tapetes limpios</li><li>Tablero sin polvo</li></ul>
    <h2>Papeles del vehículo</h2>
    <p>Reúne la factura original, las tenencias pagadas y la tarjeta de circulación vigente para que el trámite sea rápido.</p>
  </article></main>
  <footer>Pie de página con aviso de privacidad y derechos reservados</footer>
</body></html>`;

let dir = "";
let server: Server;
let baseUrl = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kb-ingest-"));
  server = createServer((req, res) => {
    if (req.url === "/guia") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await run(KnowledgeStore);
}, 60_000);

afterAll(async () => {
  await runtime.dispose();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("knowledge ingest", () => {
  it("syncs a folder idempotently, re-chunks a changed file and removes a deleted one", async () => {
    await writeFile(join(dir, "garantia.md"), "---\ntitle: Garantía\ntopic: garantia\n---\n# Garantía\n\n## Tres meses\n\nIncluye garantía de 3 meses.\n");
    await writeFile(join(dir, "sedes.md"), "---\ntitle: Sedes\ntopic: sedes\n---\n## Puebla\n\nKavak Explanada.\n\n## Querétaro\n\nPuerta La Victoria.\n");

    const first = await run(syncKnowledgeDocuments(dir));
    expect(first).toEqual({ added: ["garantia.md", "sedes.md"], updated: [], removed: [], unchanged: 0 });
    expect(await chunksOf("sedes.md")).toEqual([{ heading: "Puebla", body: "Kavak Explanada." }, { heading: "Querétaro", body: "Puerta La Victoria." }]);
    const before = await query((db) => db.selectFrom("knowledge_documents").select(["id", "updated_at"]).orderBy("id").execute());

    expect(await run(syncKnowledgeDocuments(dir))).toEqual({ added: [], updated: [], removed: [], unchanged: 2 });
    expect(await query((db) => db.selectFrom("knowledge_documents").select(["id", "updated_at"]).orderBy("id").execute())).toEqual(before);

    await writeFile(join(dir, "garantia.md"), "---\ntitle: Garantía\ntopic: garantia\n---\n## Tres meses\n\nIncluye garantía de 3 meses.\n\n## Kavak Total\n\nUn año más.\n");
    await unlink(join(dir, "sedes.md"));
    expect(await run(syncKnowledgeDocuments(dir))).toEqual({ added: [], updated: ["garantia.md"], removed: ["sedes.md"], unchanged: 0 });
    expect((await chunksOf("garantia.md")).map((c) => c.heading)).toEqual(["Tres meses", "Kavak Total"]);
    expect(await chunksOf("sedes.md")).toEqual([]);
    const orphans = await query((db) => sql<{ n: number }>`select count(*)::int as n from knowledge_chunks c left join knowledge_documents d on d.id = c.document_id where d.id is null`.execute(db));
    expect(orphans.rows[0]?.n).toBe(0);
  });

  it("indexes unaccented Spanish text and rebuilds the typo vocabulary", async () => {
    await writeFile(join(dir, "garantia.md"), "---\ntitle: Garantía\ntopic: garantia\n---\n## Tres meses\n\nIncluye garantía de 3 meses en Querétaro.\n");
    await run(syncKnowledgeDocuments(dir));
    const hits = await query((db) =>
      sql<{ heading: string }>`select heading from knowledge_chunks where tsv @@ plainto_tsquery('spanish', kb_unaccent('garantias queretaro'))`.execute(db),
    );
    expect(hits.rows.map((r) => r.heading)).toEqual(["Tres meses"]);
    const terms = await query((db) => db.selectFrom("knowledge_terms").select("term").where("term", "in", ["queretaro", "garantia", "querétaro"]).orderBy("term").execute());
    expect(terms.map((t) => t.term)).toEqual(["garantia", "queretaro"]);
  });

  it("ingests the main text of a web page, which a folder sync leaves alone", async () => {
    const url = `${baseUrl}/guia`;
    const outcome = await run(ingestKnowledgeSource(url));
    expect(outcome).toMatchObject({ kind: "url", source: url, changed: true });
    const chunks = await chunksOf(url);
    const text = chunks.map((c) => `${c.heading}\n${c.body}`).join("\n");
    expect(chunks.map((c) => c.heading)).toEqual(expect.arrayContaining(["Limpieza del interior", "Papeles del vehículo"]));
    expect(text).toContain("factura original");
    expect(text).toContain("- Tapetes limpios");
    expect(text).not.toMatch(/Menú de navegación|Pie de página|no indexar/);
    const [document] = await query((db) => db.selectFrom("knowledge_documents").select(["title", "topic"]).where("source", "=", url).execute());
    expect(document).toEqual({ title: "Guía para vender tu camioneta", topic: "web" });

    expect(await run(ingestKnowledgeSource(url))).toMatchObject({ changed: false });
    await run(syncKnowledgeDocuments(dir));
    expect((await chunksOf(url)).length).toBe(chunks.length);
  });

  it("fails with a typed error for a missing page or folder, without touching stored documents", async () => {
    const countBefore = await query((db) => db.selectFrom("knowledge_documents").select((e) => e.fn.countAll<string>().as("n")).executeTakeFirstOrThrow());
    const missingPage = await runtime.runPromiseExit(ingestKnowledgeSource(`${baseUrl}/nada`));
    const missingFolder = await runtime.runPromiseExit(syncKnowledgeDocuments(join(dir, "no-existe")));
    for (const exit of [missingPage, missingFolder] as ReadonlyArray<Exit.Exit<unknown, unknown>>) {
      expect(Exit.isFailure(exit)).toBe(true);
      if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("KnowledgeIngestError");
    }
    const countAfter = await query((db) => db.selectFrom("knowledge_documents").select((e) => e.fn.countAll<string>().as("n")).executeTakeFirstOrThrow());
    expect(countAfter.n).toBe(countBefore.n);
  });
});
