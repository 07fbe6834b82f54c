/**
 * Scores chunks by how much of the question they cover. Each concept of the question weighs its
 * inverse document frequency (a rare word like "explanada" says more than "auto"); a concept no
 * chunk contains still counts in the total, so a question about something the documents never
 * mention scores low and the assistant abstains. Pure.
 */
import type { ChunkMatch } from "./knowledge-store.ts";

export interface ScoringParameters {
  /** How much a match only in the body is worth compared with one in the title or heading. */
  readonly bodyFactor: number;
  /** Weight of a concept found nowhere, as a fraction of the rarest possible concept's weight. */
  readonly unknownFactor: number;
  /** Share of the score given to covering the question in the document title: that document is about it. */
  readonly titleShare: number;
  /** Share of the score given to the trigram similarity of the question to title and heading (a tie-breaker). */
  readonly trigramShare: number;
}

export const defaultScoring: ScoringParameters = { bodyFactor: 0.6, unknownFactor: 0.6, titleShare: 0.1, trigramShare: 0.05 };

export interface ScoredChunk {
  readonly chunkId: number;
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  readonly heading: string;
  readonly body: string;
  /** 0..1 */
  readonly score: number;
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
    weights.set(concept, frequency === 0 ? idf(totalChunks, 0) * parameters.unknownFactor : idf(totalChunks, frequency));
  }
  const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);

  const byChunk = new Map<number, { match: ChunkMatch; covered: number; inTitle: number }>();
  for (const match of matches) {
    const weight = weights.get(match.concept);
    if (weight === undefined) continue;
    const strength = Math.max(match.headingWeight, match.anyWeight * parameters.bodyFactor);
    const entry = byChunk.get(match.chunkId) ?? { match, covered: 0, inTitle: 0 };
    entry.covered += weight * strength;
    entry.inTitle += weight * match.titleWeight;
    byChunk.set(match.chunkId, entry);
  }
  const coverageShare = 1 - parameters.titleShare - parameters.trigramShare;
  return [...byChunk.values()]
    .map(({ match, covered, inTitle }) => ({
      chunkId: match.chunkId,
      source: match.source,
      title: match.title,
      topic: match.topic,
      heading: match.heading,
      body: match.body,
      score: coverageShare * (covered / totalWeight) + parameters.titleShare * (inTitle / totalWeight) + parameters.trigramShare * match.trigram,
    }))
    .sort((a, b) => b.score - a.score || a.body.length - b.body.length);
};
