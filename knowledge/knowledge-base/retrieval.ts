/**
 * Retrieval: question → concepts (with synonyms) → typo correction against the stored vocabulary
 * (pg_trgm) → Spanish full-text matching (unaccented) → coverage score. Below the threshold
 * nothing is returned, so the assistant says it does not know instead of guessing.
 */
import { Effect } from "effect";
import type { DatabaseError } from "../db/database.ts";
import { KnowledgeStore, type ConceptMember } from "./knowledge-store.ts";
import { editDistance } from "../../lib/edit-distance.ts";
import { analyzeQuery, isKindConcept, isRealWordOutsideDocuments, isStopword, isStopwordTypo } from "./query-analysis.ts";
import { defaultScoring, scoreChunks, type ScoredChunk, type ScoringParameters } from "./scoring.ts";

export interface RetrievalOptions {
  /** Results returned by default. */
  readonly limit: number;
  /** Minimum score (0..1) a chunk needs to be returned. */
  readonly threshold: number;
  readonly scoring: ScoringParameters;
  /** Minimum trigram similarity for a vocabulary word to stand in for an unknown word. */
  readonly minCorrectionSimilarity: number;
  /** Member weight of a typo correction (an exact word weighs 1). */
  readonly correctionWeight: number;
}

export const defaultRetrieval: RetrievalOptions = {
  limit: 3,
  threshold: 0.4,
  scoring: defaultScoring,
  minCorrectionSimilarity: 0.35,
  correctionWeight: 0.85,
};

/** Typos tolerated in a word: one up to six letters, two beyond ("seguro" is not a slip of "según"). */
const maxTypos = (word: string) => (word.length <= 6 ? 1 : 2);

const rankQuestion = (
  question: string,
  settings: RetrievalOptions = defaultRetrieval,
): Effect.Effect<ReadonlyArray<ScoredChunk>, DatabaseError, KnowledgeStore> =>
  Effect.gen(function* () {
    const store = yield* KnowledgeStore;
    const { normalized, concepts } = analyzeQuery(question);
    if (concepts.length === 0) return [];

    const correctable = concepts.filter((c) => c.correctable).map((c) => c.source);
    const lookups = new Map((yield* store.lookupWords(correctable, settings.minCorrectionSimilarity)).map((l) => [l.word, l]));

    const members: ConceptMember[] = [];
    concepts.forEach((concept, index) => {
      const lookup = lookups.get(concept.source);
      if (!concept.correctable || lookup?.known) {
        for (const text of concept.synonyms) members.push({ concept: index, text, weight: 1 });
        return;
      }
      // An unknown word: a slip of a filler word ("stan") is dropped; otherwise the closest
      // vocabulary words stand in for it, and without any it stays as an unknown concept.
      if (isStopwordTypo(concept.source)) return;
      // A number the documents never mention ("84 meses") cannot be retrieved; the rest of the question can.
      if (/^\d+$/.test(concept.source)) return;
      members.push({ concept: index, text: concept.source, weight: 1 });
      if (isRealWordOutsideDocuments(concept.source)) return;
      // Trigram similarity finds candidates; the edit distance keeps only plausible slips
      // ("puabla" → "puebla", not "compruebo" → "compra").
      const plausible = (lookup?.suggestions ?? []).filter((s) => !isStopword(s.term) && editDistance(s.term, concept.source) <= maxTypos(concept.source));
      const best = plausible[0]?.similarity ?? 0;
      for (const suggestion of plausible) {
        if (suggestion.similarity >= best - 0.05) members.push({ concept: index, text: suggestion.term, weight: settings.correctionWeight });
      }
    });
    if (members.length === 0) return [];

    const { totalChunks, activeConcepts, matches } = yield* store.matchConcepts(members, normalized);
    // a word the documents do use weighs as usual, whatever list it is on ("dólares" is in "1,000 millones de dólares")
    const importance = new Map(
      concepts.flatMap((concept, index) =>
        concept.importance === undefined || (isRealWordOutsideDocuments(concept.source) && lookups.get(concept.source)?.known) ? [] : [[index, concept.importance] as const],
      ),
    );
    return scoreChunks(matches, [...activeConcepts], totalChunks, settings.scoring, importance);
  });

/**
 * "¿Se puede a meses o nomás de contado?": two alternatives, each a question of its own. A section
 * that answers either one answers the question, so each side is ranked too and a chunk keeps its
 * best score (the whole question alone would leave every section half covered). The second side
 * keeps what the first said before its alternative: "¿puedo pagar con bitcoin o con dólares?" asks
 * "¿puedo pagar con dólares?", not just "dólares".
 */
const alternatives = (question: string): ReadonlyArray<string> => {
  const parts = question.split(/\s+o\s+/i);
  if (parts.length !== 2) return [];
  const [first, second] = parts as [string, string];
  const shared = first.trim().split(/\s+/).slice(0, -1).join(" ");
  const sides = [first, `${shared} ${second}`];
  // "¿traen garantía o cómo?", "¿me pagan al momento o qué?": a filler second side names no subject of its own
  // (its words are generic or only the kind of answer wanted), so it is no alternative.
  return sides.every((side) => namesSubject(side)) && namesSubject(second) ? sides : [];
};

/**
 * "Hola buenas noches, apenas salgo del turno y una amiga me dijo que ustedes dan crédito, ¿qué
 * necesito?": the question is one clause of a longer message, and the story around it would dilute
 * it. Clauses are split at sentence marks, commas and connectors; each is ranked too (a little
 * below the whole message) and a chunk keeps its best score.
 */
export const clausesOf = (question: string): ReadonlyArray<string> => {
  const clauses = question
    .split(/[.!?¿¡;:\n]+|,\s+|\s+(?:pero|porque|entonces|pues|osea|o sea|aunque|ya que|es que|y)\s+/i)
    .map((c) => c.trim())
    .filter((c) => namesSubject(c));
  return clauses.length >= 2 ? clauses : [];
};

/** Words that name no subject alone: a clause made only of them ("si compro", "y el carro") is not a question of its own. */
const GENERIC_GROUPS = new Set(["auto", "kavak", "comprar", "precio", "tiempo", "plazo"]);
const namesSubject = (text: string) =>
  analyzeQuery(text).concepts.some((concept) => !GENERIC_GROUPS.has(concept.synonyms[0] ?? "") && !GENERIC_GROUPS.has(concept.source) && !isKindConcept(concept));

/** A clause's score counts less than the whole question's. */
const CLAUSE_FACTOR = 0.9;
/** Clauses are ranked only when the whole question scores below the threshold plus this margin. */
const CLAUSE_MARGIN = 0.15;

const bestOf = (rankings: ReadonlyArray<ReadonlyArray<ScoredChunk>>, factors: ReadonlyArray<number>): ReadonlyArray<ScoredChunk> => {
  const best = new Map<number, ScoredChunk>();
  rankings.forEach((ranked, i) => {
    for (const chunk of ranked) {
      const scored = factors[i] === 1 ? chunk : { ...chunk, score: chunk.score * factors[i]! };
      if ((best.get(chunk.chunkId)?.score ?? -1) < scored.score) best.set(chunk.chunkId, scored);
    }
  });
  return [...best.values()].sort((a, b) => b.score - a.score);
};

/** Every matching chunk with its score, best first, without threshold or limit (for evaluation). */
export const rankChunks = (
  question: string,
  settings: RetrievalOptions = defaultRetrieval,
): Effect.Effect<ReadonlyArray<ScoredChunk>, DatabaseError, KnowledgeStore> =>
  Effect.gen(function* () {
    const sides = alternatives(question);
    const asked = bestOf(yield* Effect.forEach([question, ...sides], (q) => rankQuestion(q, settings)), [1, ...sides.map(() => 1)]);
    // A clearly answered question stays as it is; a weakly answered one may be a question inside a story.
    if ((asked[0]?.score ?? 0) >= settings.threshold + CLAUSE_MARGIN) return asked;
    const clauses = clausesOf(question);
    if (clauses.length === 0) return asked;
    return bestOf([asked, ...(yield* Effect.forEach(clauses, (q) => rankQuestion(q, settings)))], [1, ...clauses.map(() => CLAUSE_FACTOR)]);
  });
