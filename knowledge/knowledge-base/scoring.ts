/**
 * Scores chunks by how much of the question they cover. Each concept of the question weighs its
 * inverse document frequency (a rare word like "explanada" says more than "auto"); a concept no
 * chunk contains still counts in the total, so a question about something the documents never
 * mention scores low and the assistant abstains. Pure.
 */
import type { ChunkMatch } from "./knowledge-store.ts";

export interface ScoringParameters {
  /** How much a match only in the body is worth compared with one in the section heading (or its keywords). */
  readonly bodyFactor: number;
  /** How much a match in the document title (not in the section heading) is worth: the document is about it, the section may not be. */
  readonly titleFactor: number;
  /** Weight of a concept found nowhere, as a fraction of the rarest possible concept's weight. */
  readonly unknownFactor: number;
  /** Share of the score given to covering the question in the document title: that document is about it. */
  readonly titleShare: number;
  /** Share of the score given to the trigram similarity of the question to title and heading (a tie-breaker). */
  readonly trigramShare: number;
}

export const defaultScoring: ScoringParameters = { bodyFactor: 0.6, titleFactor: 0.85, unknownFactor: 0.6, titleShare: 0.1, trigramShare: 0.05 };

export interface ScoredChunk {
  readonly chunkId: number;
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  readonly heading: string;
  readonly body: string;
  readonly answers: ReadonlyArray<string>;
  readonly reference: string | undefined;
  /** 0..1 */
  readonly score: number;
  /** Share (0..1, by weight) of the question's concepts found in the section heading or its keywords. */
  readonly headingCoverage: number;
  /** Concepts of the question the chunk contains (anywhere). */
  readonly concepts: ReadonlySet<number>;
  /** Trigram similarity of the question to the document title. */
  readonly titleTrigram: number;
}

/** BM25's inverse document frequency, always positive. */
const idf = (total: number, frequency: number) => Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));

/**
 * `concepts` lists every concept of the question that has lexemes; those absent from `matches`
 * are unknown words. Returns chunks best first.
 */
export const scoreChunks = (
  matches: ReadonlyArray<ChunkMatch>,
  concepts: ReadonlyArray<number>,
  totalChunks: number,
  parameters: ScoringParameters = defaultScoring,
  /** Concept → importance factor (default 1). */
  importance: ReadonlyMap<number, number> = new Map(),
): ReadonlyArray<ScoredChunk> => {
  if (concepts.length === 0 || totalChunks === 0) return [];
  const chunksPerConcept = new Map<number, Set<number>>();
  for (const match of matches) {
    const chunks = chunksPerConcept.get(match.concept) ?? new Set<number>();
    chunks.add(match.chunkId);
    chunksPerConcept.set(match.concept, chunks);
  }
  const weights = new Map<number, number>();
  for (const concept of concepts) {
    const frequency = chunksPerConcept.get(concept)?.size ?? 0;
    const factor = importance.get(concept) ?? 1;
    weights.set(concept, factor * (frequency === 0 ? idf(totalChunks, 0) * parameters.unknownFactor : idf(totalChunks, frequency)));
  }
  const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);

  const byChunk = new Map<number, { match: ChunkMatch; covered: number; inTitle: number; inHeading: number; concepts: Set<number> }>();
  for (const match of matches) {
    const weight = weights.get(match.concept);
    if (weight === undefined) continue;
    const strength = Math.max(match.headingWeight, match.titleWeight * parameters.titleFactor, match.anyWeight * parameters.bodyFactor);
    const entry = byChunk.get(match.chunkId) ?? { match, covered: 0, inTitle: 0, inHeading: 0, concepts: new Set<number>() };
    entry.covered += weight * strength;
    entry.inTitle += weight * match.titleWeight;
    entry.inHeading += weight * match.headingWeight;
    entry.concepts.add(match.concept);
    byChunk.set(match.chunkId, entry);
  }
  const coverageShare = 1 - parameters.titleShare - parameters.trigramShare;
  return [...byChunk.values()]
    .map(({ match, covered, inTitle, inHeading, concepts }) => ({
      chunkId: match.chunkId,
      source: match.source,
      title: match.title,
      topic: match.topic,
      heading: match.heading,
      body: match.body,
      answers: match.answers,
      reference: match.reference,
      score: coverageShare * (covered / totalWeight) + parameters.titleShare * (inTitle / totalWeight) + parameters.trigramShare * match.trigram,
      headingCoverage: inHeading / totalWeight,
      concepts,
      titleTrigram: match.titleTrigram,
    }))
    .sort((a, b) => b.score - a.score || a.body.length - b.body.length);
};
