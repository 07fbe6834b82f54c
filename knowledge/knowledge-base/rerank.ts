/**
 * The second stage over the lexical candidates, and the choice of what an answer quotes. Pure.
 *
 * Reranking: a section whose heading (or keywords) says what the question asks beats one that only
 * mentions it in passing, and one that answers the kind of question asked ("¿qué es...?" a
 * definition, "¿cuánto dura...?" a duration) beats one that answers another kind. Relevance (the
 * lexical score) still decides abstention; the rank score only orders.
 *
 * Answering: the best section alone, plus a second one only when the question has another part
 * ("¿cuánto dura la garantía y qué pasa si no me gusta el carro?") that the first does not answer.
 */
import { kindMatch, questionKinds, type QuestionKind } from "./question-intent.ts";
import { analyzeQuery, isKindConcept, isStopword, normalizeText } from "./query-analysis.ts";
import type { ScoredChunk } from "./scoring.ts";

export interface RerankParameters {
  /** Added to the rank score of a section that answers the kind of question asked (half for a generic kind). */
  readonly kindBonus: number;
  /** Weight of the share of the question found in the section heading or its keywords. */
  readonly headingBonus: number;
  /** Weight of the question's trigram similarity to the document title ("qué es kavak" ~ "Qué es Kavak"). */
  readonly titleBonus: number;
  /** Weight of the share of the heading's words the question names: a heading about just that beats one about more. */
  readonly focusBonus: number;
}

export const defaultRerank: RerankParameters = { kindBonus: 0.12, headingBonus: 0.1, titleBonus: 0.1, focusBonus: 0.05 };

const stem = (word: string) => word.slice(0, 5);

/** Share of the heading's content words that the question's concepts (with their synonyms) name. */
export const headingFocus = (heading: string, conceptStems: ReadonlySet<string>): number => {
  const words = normalizeText(heading)
    .split(" ")
    .filter((w) => w.length > 2 && !isStopword(w) && !/^\d+$/.test(w));
  return words.length === 0 ? 0 : words.filter((w) => conceptStems.has(stem(w))).length / words.length;
};

const conceptStemsOf = (question: string): ReadonlySet<string> =>
  new Set(analyzeQuery(question).concepts.flatMap((c) => c.synonyms.flatMap((s) => s.split(" ").map(stem))));

export interface RankedChunk extends ScoredChunk {
  /** The order of the answer: relevance plus the reranking bonuses. */
  readonly rankScore: number;
}

export const rerankChunks = (
  question: string,
  chunks: ReadonlyArray<ScoredChunk>,
  parameters: RerankParameters = defaultRerank,
  kinds: ReadonlyArray<QuestionKind> = questionKinds(question),
): ReadonlyArray<RankedChunk> => {
  const stems = conceptStemsOf(question);
  return chunks
    .map((chunk) => ({
      ...chunk,
      rankScore:
        chunk.score +
        parameters.kindBonus * kindMatch(kinds, chunk.answers) +
        parameters.headingBonus * chunk.headingCoverage +
        parameters.titleBonus * chunk.titleTrigram +
        parameters.focusBonus * headingFocus(chunk.heading, stems),
    }))
    .sort((a, b) => b.rankScore - a.rankScore || b.score - a.score || a.body.length - b.body.length);
};

/** Words that open a new question after "y": "... y qué pasa si no me gusta?", "... y cuánto dura?". */
const NEW_QUESTION =
  /(?:,\s*|\s+)(?:y|e|ademas|tambien|aparte)\s+(?=(?:que|q|como|cuanto|cuanta|cuantos|cuantas|donde|cual|cuales|cuando|si|puedo|pueden|podria|se puede|tienen|hay|aceptan|incluye|incluyen|me|dan|hacen|ocupo|necesito|de cuanto|a que|en que|para que)\b)/;

/**
 * The parts of a question that asks several things: split at question marks and at "y" before a
 * new question word. Parts with no content word are dropped; a one-part question gives [].
 */
export const questionParts = (question: string): ReadonlyArray<string> => {
  const folded = question
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const parts = folded
    .split(/[?¿!¡\n]+|[.;]\s+/)
    .flatMap((piece) => piece.split(NEW_QUESTION))
    .map((part) => part.trim())
    .filter((part) => part !== "" && hasSubject(part));
  return parts.length >= 2 ? parts : [];
};

/** Words that name no subject of their own: "¿de cuánto tiempo es?", "¿y el carro?" are about what came before. */
const GENERIC = new Set(["auto", "kavak", "comprar"]);

/** A part names a subject: a content word that is neither generic nor only the kind of answer wanted (a price, a time). */
const hasSubject = (part: string): boolean =>
  analyzeQuery(part).concepts.some((concept) => !isKindConcept(concept) && !GENERIC.has(concept.synonyms[0] ?? concept.source) && !GENERIC.has(concept.source));

export interface AnswerParameters {
  /** Minimum relevance of any quoted section (the abstention threshold). */
  readonly threshold: number;
  /** Minimum relevance of a second section (to its part of the question): a second section must be clearly on point. */
  readonly secondThreshold: number;
  /** A part whose best section scores this close to the first section's score for that part is already answered by the first. */
  readonly sameAnswerRatio: number;
}

/**
 * The sections an answer quotes: `ranked[0]` (ranked and thresholded for the whole question), plus
 * the best section of another part of the question when the first does not answer that part.
 * `partRankings` are the eligible rankings of each part (empty for a one-part question).
 */
export const chooseAnswer = <C extends { readonly chunkId: number; readonly score: number }>(
  ranked: ReadonlyArray<C>,
  partRankings: ReadonlyArray<ReadonlyArray<C>>,
  parameters: AnswerParameters,
): ReadonlyArray<C> => {
  const first = ranked[0];
  if (first === undefined || first.score < parameters.threshold) return [];
  for (const part of partRankings) {
    const best = part[0];
    if (best === undefined || best.chunkId === first.chunkId || best.score < Math.max(parameters.threshold, parameters.secondThreshold)) continue;
    const firstHere = part.find((c) => c.chunkId === first.chunkId);
    if (firstHere !== undefined && firstHere.score >= best.score * parameters.sameAnswerRatio) continue;
    return [first, best];
  }
  return [first];
};
