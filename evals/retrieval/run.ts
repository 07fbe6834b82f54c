/**
 * `npm run eval:retrieval`: ingests knowledge/documents into an in-memory PGlite (or, when
 * DATABASE_URL is set, a temporary database on that PostgreSQL server, dropped afterwards), runs
 * the retrieval test set, prints hit@1/hit@3 and writes evals/retrieval/results.json.
 */
import { Effect, Layer } from "effect";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Database } from "../../knowledge/db/database.ts";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import { syncKnowledgeDocuments } from "../../knowledge/knowledge-base/sync.ts";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { evaluateRetrieval, loadQuestions } from "./evaluate.ts";

const RESULTS_FILE = fileURLToPath(new URL("./results.json", import.meta.url));

const url = process.env.DATABASE_URL?.trim();
const database = await createTestDatabase();

const program = Effect.gen(function* () {
  const set = yield* Effect.promise(() => loadQuestions());
  yield* syncKnowledgeDocuments();
  const started = performance.now();
  const report = yield* evaluateRetrieval(set);
  const elapsedMs = Math.round(performance.now() - started);
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(`retrieval: ${report.questions} questions on ${url ? "postgres" : "pglite"} in ${elapsedMs} ms`);
  console.log(`  hit@1 ${pct(report.hitAt1)}   hit@3 ${pct(report.hitAt3)}`);
  console.log(`  holdout (${report.holdout.questions} questions, not tuned on): hit@1 ${pct(report.holdout.hitAt1)}   hit@3 ${pct(report.holdout.hitAt3)}`);
  console.log(`  off-topic abstained ${report.offTopic.abstained}/${report.offTopic.questions}`);
  for (const miss of report.misses) console.log(`  miss: "${miss.q}" expected ${miss.expect.join(" | ")}; got ${miss.results.map((r) => `${r.source}#${r.heading} (${r.score})`).join(", ") || "nothing"}`);
  for (const leak of report.offTopic.leaks) console.log(`  off-topic answered: "${leak.q}" → ${leak.top} (${leak.score})`);
  yield* Effect.promise(() =>
    writeFile(RESULTS_FILE, `${JSON.stringify({ database: url ? "postgres" : "pglite", elapsedMs, ...report }, null, 2)}\n`),
  );
  return report;
});

const report = await Effect.runPromise(program.pipe(Effect.provide(KnowledgeSearch.layer.pipe(Layer.provideMerge(Database.layer(database.options))))))
  .finally(() => database.drop());
process.exitCode = report.hitAt3 >= 0.95 && report.offTopic.leaks.length === 0 ? 0 : 1;
