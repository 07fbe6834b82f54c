/**
 * The retrieval test set (questions.yaml) as a test: hit@3 ≥ 95% and every off-topic question
 * answered with nothing. On PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { syncKnowledgeDocuments } from "../../knowledge/knowledge-base/sync.ts";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { evaluateRetrieval, loadQuestions, type RetrievalReport } from "./evaluate.ts";

const runtime = ManagedRuntime.make(KnowledgeSearch.lexical.pipe(Layer.provideMerge(TestDatabase)));
let report: RetrievalReport;

beforeAll(async () => {
  const set = await loadQuestions();
  report = await runtime.runPromise(Effect.andThen(syncKnowledgeDocuments(), evaluateRetrieval(set)));
}, 120_000);
afterAll(() => runtime.dispose());

describe("retrieval test set", () => {
  it("has at least 80 questions", () => {
    expect(report.questions).toBeGreaterThanOrEqual(80);
  });

  it("finds an expected document in the top 3 for at least 95% of the questions", () => {
    expect(report.hitAt3, JSON.stringify(report.misses, null, 1)).toBeGreaterThanOrEqual(0.95);
  });

  it("returns nothing for off-topic questions", () => {
    expect(report.offTopic.questions).toBeGreaterThanOrEqual(5);
    expect(report.offTopic.leaks).toEqual([]);
  });

  it("answers an hours question for a branch other than Explanada with the chunk saying they are unknown", () => {
    const santaFe = report.outcomes.find((o) => o.q === "a qué hora abren en santa fe");
    expect(santaFe?.rank).toBe(1);
    expect(santaFe?.results[0]).toMatchObject({ source: "sedes-ciudad-de-mexico.md", heading: "Patio Santa Fe (Santa Fe)" });
  });

  it("answers quote at most one irrelevant section", () => {
    expect(Math.max(report.maxIrrelevantSectionsInOneAnswer, report.holdout.maxIrrelevantSectionsInOneAnswer)).toBeLessThanOrEqual(1);
  });
});

/** Each set whose first measurement is kept: the set still hashes to what was measured, and it is big enough. */
const KEPT_FIRST_MEASUREMENTS = [
  { set: "fresh-questions.yaml", first: "fresh-first-measurement.json", minQuestions: 100, minOffTopic: 0 },
  { set: "dev-2026-12-04b.yaml", first: "dev-2026-12-04b-first-measurement.json", minQuestions: 120, minOffTopic: 40 },
  { set: "unseen-2026-12-04.yaml", first: "unseen-2026-12-04-first-measurement.json", minQuestions: 100, minOffTopic: 0 },
  { set: "unseen-2026-12-04e.yaml", first: "unseen-2026-12-04e-first-measurement.json", minQuestions: 100, minOffTopic: 40 },
  { set: "unseen-2026-12-04g.yaml", first: "unseen-2026-12-04g-first-measurement.json", minQuestions: 100, minOffTopic: 40 },
];

describe.each(KEPT_FIRST_MEASUREMENTS)("$set", ({ set, first, minQuestions, minOffTopic }) => {
  it("is the set its first measurement was taken on (labels fixed before it, neither edited afterwards)", async () => {
    const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
    const measurement = JSON.parse(await readFile(here(first), "utf8")) as { questionsFileSha256: string; questions: number; offTopic?: { questions: number } };
    const sha = createHash("sha256").update(await readFile(here(set))).digest("hex");
    expect(sha).toBe(measurement.questionsFileSha256);
    expect(measurement.questions).toBeGreaterThanOrEqual(minQuestions);
    expect(measurement.offTopic?.questions ?? 0).toBeGreaterThanOrEqual(minOffTopic);
  });
});
