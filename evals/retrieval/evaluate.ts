/**
 * Retrieval evaluation: runs every question of a question set (questions.yaml, fresh-questions.yaml)
 * through KnowledgeSearch and measures hit@1 and hit@3 (an expected document, optionally an
 * expected section, among the top results), what the answer quotes (sections that match no
 * expectation are irrelevant), and whether off-topic questions get no answer (abstention).
 */
import { Effect } from "effect";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { normalizeText } from "../../knowledge/knowledge-base/query-analysis.ts";
import { KnowledgeSearch, type DetailedKnowledgeResult } from "../../knowledge/knowledge-base/knowledge-search.ts";

export const QUESTIONS_FILE = fileURLToPath(new URL("./questions.yaml", import.meta.url));

export interface RetrievalQuestion {
  readonly q: string;
  /** "document.md" or "document.md#part of the section heading". */
  readonly expect: ReadonlyArray<string>;
}

export interface QuestionSet {
  readonly questions: ReadonlyArray<RetrievalQuestion>;
  /** Written after tuning on `questions` and never tuned on: an estimate for unseen phrasings. */
  readonly holdout: ReadonlyArray<RetrievalQuestion>;
  readonly offTopic: ReadonlyArray<string>;
}

export const loadQuestions = async (file = QUESTIONS_FILE): Promise<QuestionSet> => {
  const raw = parseYaml(await readFile(file, "utf8")) as { questions?: unknown; holdout?: unknown; offTopic?: unknown };
  const questionList = (list: unknown, name: string): RetrievalQuestion[] =>
    (Array.isArray(list) ? list : []).map((item, index) => {
      const { q, expect } = (item ?? {}) as { q?: unknown; expect?: unknown };
      const expected = Array.isArray(expect) ? expect.map(String) : typeof expect === "string" ? [expect] : [];
      if (typeof q !== "string" || q.trim() === "" || expected.length === 0) throw new Error(`${name} ${index + 1} needs q and expect`);
      return { q, expect: expected };
    });
  return {
    questions: questionList(raw.questions, "question"),
    holdout: questionList(raw.holdout, "holdout question"),
    offTopic: (Array.isArray(raw.offTopic) ? raw.offTopic : []).map(String),
  };
};

export const matchesExpectation = (result: Pick<DetailedKnowledgeResult, "source" | "heading">, expectation: string): boolean => {
  const [document, section] = expectation.split("#", 2) as [string, string | undefined];
  if (result.source !== document) return false;
  return section === undefined || normalizeText(result.heading).includes(normalizeText(section));
};

export interface QuestionOutcome {
  readonly q: string;
  readonly expect: ReadonlyArray<string>;
  /** 1-based rank of the first matching result, or null. */
  readonly rank: number | null;
  readonly results: ReadonlyArray<{ readonly source: string; readonly heading: string; readonly score: number }>;
  /** The sections the answer quotes ("file#heading"). */
  readonly answer: ReadonlyArray<string>;
  /** Quoted sections that match no expectation. */
  readonly irrelevant: ReadonlyArray<string>;
}

export interface HitRates {
  readonly questions: number;
  readonly hitAt1: number;
  readonly hitAt3: number;
  /** Answers that quote a section matching no expectation, and the most such sections in one answer. */
  readonly answersWithIrrelevantSection: number;
  readonly maxIrrelevantSectionsInOneAnswer: number;
  /** Answers that quote two sections. */
  readonly twoSectionAnswers: number;
}

export interface RetrievalReport extends HitRates {
  readonly holdout: HitRates & { readonly misses: ReadonlyArray<QuestionOutcome> };
  readonly offTopic: {
    readonly questions: number;
    readonly abstained: number;
    /** abstained / questions */
    readonly abstention: number;
    readonly leaks: ReadonlyArray<{ readonly q: string; readonly top: string; readonly score: number }>;
  };
  readonly misses: ReadonlyArray<QuestionOutcome>;
  /** Questions whose first result is not an expected one (rank ≠ 1). */
  readonly notFirst: ReadonlyArray<QuestionOutcome>;
  readonly withIrrelevantSection: ReadonlyArray<QuestionOutcome>;
  readonly outcomes: ReadonlyArray<QuestionOutcome>;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

const hitRates = (outcomes: ReadonlyArray<QuestionOutcome>): HitRates => ({
  questions: outcomes.length,
  hitAt1: round(outcomes.filter((o) => o.rank === 1).length / Math.max(1, outcomes.length)),
  hitAt3: round(outcomes.filter((o) => o.rank !== null && o.rank <= 3).length / Math.max(1, outcomes.length)),
  answersWithIrrelevantSection: outcomes.filter((o) => o.irrelevant.length > 0).length,
  maxIrrelevantSectionsInOneAnswer: Math.max(0, ...outcomes.map((o) => o.irrelevant.length)),
  twoSectionAnswers: outcomes.filter((o) => o.answer.length === 2).length,
});

export const evaluateRetrieval = (set: QuestionSet) =>
  Effect.gen(function* () {
    const search = yield* KnowledgeSearch;
    const ask = (questions: ReadonlyArray<RetrievalQuestion>) =>
      Effect.forEach(questions, (question) =>
        Effect.all([search.searchDetailed(question.q, 3), search.answer(question.q)]).pipe(
          Effect.map(([results, answer]): QuestionOutcome => {
            const matches = (result: Pick<DetailedKnowledgeResult, "source" | "heading">) => question.expect.some((expectation) => matchesExpectation(result, expectation));
            const index = results.findIndex(matches);
            return {
              q: question.q,
              expect: question.expect,
              rank: index === -1 ? null : index + 1,
              results: results.map(({ source, heading, score }) => ({ source, heading, score })),
              answer: answer.map((a) => `${a.source}#${a.heading}`),
              irrelevant: answer.filter((a) => !matches(a)).map((a) => `${a.source}#${a.heading}`),
            };
          }),
        ),
      );
    const outcomes = yield* ask(set.questions);
    const holdout = yield* ask(set.holdout);
    const leaks: Array<{ q: string; top: string; score: number }> = [];
    for (const q of set.offTopic) {
      const [top] = yield* search.answer(q);
      if (top) leaks.push({ q, top: `${top.source}#${top.heading}`, score: top.score });
    }
    const report: RetrievalReport = {
      ...hitRates(outcomes),
      holdout: { ...hitRates(holdout), misses: holdout.filter((o) => o.rank === null) },
      offTopic: { questions: set.offTopic.length, abstained: set.offTopic.length - leaks.length, abstention: round((set.offTopic.length - leaks.length) / Math.max(1, set.offTopic.length)), leaks },
      misses: outcomes.filter((o) => o.rank === null),
      notFirst: [...outcomes, ...holdout].filter((o) => o.rank !== 1),
      withIrrelevantSection: [...outcomes, ...holdout].filter((o) => o.irrelevant.length > 0),
      outcomes,
    };
    return report;
  });
