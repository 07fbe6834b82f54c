/**
 * `npm run eval:retrieval`: ingests knowledge/documents into an in-memory PGlite (or, when
 * DATABASE_URL is set, a temporary database on that PostgreSQL server, dropped afterwards), runs
 * the question sets and writes evals/retrieval/results.json:
 * - questions.yaml: the development set (tuned on) and its holdout;
 * - fresh-questions.yaml: questions by authors who never saw the knowledge base's code, labelled
 *   before any measurement; its first measurement is kept in fresh-first-measurement.json
 *   (`npm run eval:retrieval -- --first-measurement` writes it once and refuses to overwrite it);
 * - dev-2026-12-04b.yaml: a second development set written as WhatsApp customers write, labelled
 *   before its first measurement (dev-2026-12-04b-first-measurement.json, written the same way).
 * Only these files are read: a held-out set kept elsewhere in this folder is measured by its owner.
 *
 * `-- --embeddings stand-in` runs the hybrid path against a local deterministic stand-in
 * embedding server (OpenAI wire format), to show the embeddings path end to end; results then go
 * to results-hybrid-stand-in.json.
 *
 * Exit code 1 when the development set's hit@3 is below 95% or an off-topic question is answered.
 */
import { Effect, Layer } from "effect";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Database } from "../../knowledge/db/database.ts";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import { syncKnowledgeDocuments } from "../../knowledge/knowledge-base/sync.ts";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { startStandInEmbeddingServer, type StandInEmbeddingServer } from "../../knowledge/knowledge-base/testing/embedding-server.ts";
import { evaluateRetrieval, loadQuestions, QUESTIONS_FILE, type RetrievalReport } from "./evaluate.ts";

const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
export const FRESH_FILE = here("fresh-questions.yaml");
export const DEV_B_FILE = here("dev-2026-12-04b.yaml");
export const UNSEEN_FILE = here("unseen-2026-12-04.yaml");
export const UNSEEN_E_FILE = here("unseen-2026-12-04e.yaml");
export const UNSEEN_G_FILE = here("unseen-2026-12-04g.yaml");
/** Each measured set and the file its first measurement goes to (written once, never overwritten). */
const FIRST_MEASUREMENTS = [
  { name: "fresh-questions.yaml (independent authors, never tuned on before its first measurement)", file: FRESH_FILE, first: here("fresh-first-measurement.json") },
  { name: "dev-2026-12-04b.yaml (WhatsApp-style development set, labelled before its first measurement)", file: DEV_B_FILE, first: here("dev-2026-12-04b-first-measurement.json") },
  { name: "unseen-2026-12-04.yaml (independent author, never seen by whoever tuned the ranking)", file: UNSEEN_FILE, first: here("unseen-2026-12-04-first-measurement.json") },
  { name: "unseen-2026-12-04e.yaml (independent author, written before the question banks were measured; never opened by whoever tuned them)", file: UNSEEN_E_FILE, first: here("unseen-2026-12-04e-first-measurement.json") },
  { name: "unseen-2026-12-04g.yaml (independent author who read only the documents; committed (d9b12fb) before the gazetteer and bank changes it measures; never opened by whoever made them)", file: UNSEEN_G_FILE, first: here("unseen-2026-12-04g-first-measurement.json") },
];

const args = process.argv.slice(2);
const firstMeasurement = args.includes("--first-measurement");
const standIn = args.includes("--embeddings") && args[args.indexOf("--embeddings") + 1] === "stand-in";
const RESULTS_FILE = here(standIn ? "results-hybrid-stand-in.json" : "results.json");

if (firstMeasurement && FIRST_MEASUREMENTS.every((set) => !existsSync(set.file) || existsSync(set.first))) {
  console.error("every question set already has its first measurement: a first measurement is taken once and never overwritten.");
  process.exit(1);
}

const url = process.env.DATABASE_URL?.trim();
const database = await createTestDatabase();
let server: StandInEmbeddingServer | undefined;
if (standIn) server = await startStandInEmbeddingServer();

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const print = (name: string, report: RetrievalReport) => {
  const answered = report.questions + report.holdout.questions;
  console.log(`${name}: ${report.questions} questions`);
  console.log(`  hit@1 ${pct(report.hitAt1)}   hit@3 ${pct(report.hitAt3)}`);
  if (report.holdout.questions > 0) console.log(`  holdout (${report.holdout.questions} questions, written after the first tuning): hit@1 ${pct(report.holdout.hitAt1)}   hit@3 ${pct(report.holdout.hitAt3)}`);
  console.log(`  off-topic abstained ${report.offTopic.abstained}/${report.offTopic.questions} (${pct(report.offTopic.abstention)})`);
  console.log(
    `  answers quoting an irrelevant section: ${report.withIrrelevantSection.length}/${answered} (at most ${Math.max(report.maxIrrelevantSectionsInOneAnswer, report.holdout.maxIrrelevantSectionsInOneAnswer)} in one answer); two-section answers: ${report.twoSectionAnswers + report.holdout.twoSectionAnswers}`,
  );
  for (const miss of report.notFirst)
    console.log(`  ${miss.rank === null ? "miss" : `rank ${miss.rank}`}: "${miss.q}" expected ${miss.expect.join(" | ")}; got ${miss.results.map((r) => `${r.source}#${r.heading} (${r.score})`).join(", ") || "nothing"}`);
  for (const o of report.withIrrelevantSection) if (o.rank === 1) console.log(`  irrelevant section: "${o.q}" quotes ${o.irrelevant.join(", ")}`);
  for (const leak of report.offTopic.leaks) console.log(`  off-topic answered: "${leak.q}" → ${leak.top} (${leak.score})`);
};

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

const program = Effect.gen(function* () {
  yield* syncKnowledgeDocuments();
  const started = performance.now();
  const development = yield* evaluateRetrieval(yield* Effect.promise(() => loadQuestions(QUESTIONS_FILE)));
  const measured: Array<{ set: (typeof FIRST_MEASUREMENTS)[number]; report: RetrievalReport }> = [];
  for (const set of FIRST_MEASUREMENTS)
    if (existsSync(set.file)) measured.push({ set, report: yield* evaluateRetrieval(yield* Effect.promise(() => loadQuestions(set.file))) });
  const elapsedMs = Math.round(performance.now() - started);
  console.log(`retrieval on ${url ? "postgres" : "pglite"}${standIn ? ", hybrid with the stand-in embedding model" : ""} in ${elapsedMs} ms`);
  print("questions.yaml (development set)", development);
  for (const { set, report } of measured) print(set.name, report);
  const mode = standIn ? "hybrid (stand-in embeddings)" : "lexical";
  const fresh = measured.find((m) => m.set.file === FRESH_FILE)?.report ?? null;
  const devB = measured.find((m) => m.set.file === DEV_B_FILE)?.report ?? null;
  const unseen = measured.find((m) => m.set.file === UNSEEN_FILE)?.report ?? null;
  const unseenE = measured.find((m) => m.set.file === UNSEEN_E_FILE)?.report ?? null;
  yield* Effect.promise(() =>
    writeFile(RESULTS_FILE, `${JSON.stringify({ database: url ? "postgres" : "pglite", mode, elapsedMs, ...development, fresh, devB, unseen, unseenE }, null, 2)}\n`),
  );
  if (firstMeasurement)
    for (const { set, report } of measured) {
      if (existsSync(set.first)) continue;
      const measurement = { measuredAt: new Date().toISOString(), database: url ? "postgres" : "pglite", mode, questionsFileSha256: yield* Effect.promise(() => sha256(set.file)), ...report };
      yield* Effect.promise(() => writeFile(set.first, `${JSON.stringify(measurement, null, 2)}\n`, { flag: "wx" }));
      console.log(`first measurement written to ${set.first}`);
    }
  return development;
});

const searchLayer = server
  ? KnowledgeSearch.withEmbeddings({ modelId: "stand-in-embedding", baseURL: server.baseURL, apiKey: "stand-in", weight: 0.35 })
  : KnowledgeSearch.lexical;
const report = await Effect.runPromise(program.pipe(Effect.provide(searchLayer.pipe(Layer.provideMerge(Database.layer(database.options))))))
  .finally(async () => {
    await server?.close();
    await database.drop();
  });
process.exitCode = report.hitAt3 >= 0.95 && report.offTopic.leaks.length === 0 ? 0 : 1;
