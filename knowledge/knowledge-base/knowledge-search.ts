/**
 * The service behind the search_knowledge tool and GET /v1/knowledge/search: the sections of
 * Kavak's knowledge base that answer a question, or none when nothing is relevant enough (the
 * assistant then says it does not know).
 *
 * 1. A where-question ("¿tienen sucursal por Polanco?", "¿en León?") is answered from the
 *    structured sedes (sedes.ts).
 * 2. Otherwise lexical retrieval (retrieval.ts: synonyms, typo correction, Spanish full text over
 *    title, heading + keywords and body) gives candidates with a relevance; the reranker
 *    (rerank.ts) orders them by heading coverage and by the kind of question they answer; then the
 *    section question banks (question-bank.ts: how customers ask what each section answers) decide
 *    the order among them; with an embedding model configured, the order is blended with the
 *    semantic similarity (embeddings.ts).
 * 3. Whether to answer at all (question-bank.ts, decideScope) combines the lexical relevance, the
 *    section banks, an out-of-scope bank (what customers ask that the documents do not answer) and
 *    the subjects the documents are known not to cover: an answerable question closer to the
 *    out-of-scope bank is abstained on; a weakly matched one the banks clearly recognise is
 *    answered. Candidates below the relevance threshold are dropped (abstention).
 * 4. The answer quotes the best section, and a second one only when the question has another part
 *    the first does not answer.
 *
 * `searchDetailed` gives the ranked candidates (evaluation, the HTTP API); `answer` and `search`
 * (the tool) give what an answer quotes.
 */
import { Context, Data, Effect, Layer } from "effect";
import type { Database } from "../db/database.ts";
import { embeddingSettingsConfig, hybridRank, makeKnowledgeEmbedder, type EmbeddingSettings, type KnowledgeEmbedderShape } from "./embeddings.ts";
import { KnowledgeStore } from "./knowledge-store.ts";
import { findPlaces } from "./places.ts";
import { decideScope, promoteBankChoice, questionBankIndex, rankByQuestionBank, sectionKey, type QuestionBankIndex } from "./question-bank.ts";
import { analyzeQuery, isRealWordOutsideDocuments } from "./query-analysis.ts";
import { chooseAnswer, defaultRerank, questionParts, rerankChunks, type RerankParameters } from "./rerank.ts";
import { defaultRetrieval, rankChunks, type RetrievalOptions } from "./retrieval.ts";
import { answerLocation, asksSedeDetail, loadSedes, sedeDetailSection } from "./sedes.ts";

export class KnowledgeSearchError extends Data.TaggedError("KnowledgeSearchError")<{ readonly cause: unknown }> {}

/** One knowledge-base section that answers a query, with its relevance (0-1). */
export interface KnowledgeResult {
  readonly title: string;
  readonly topic: string;
  readonly text: string;
  readonly score: number;
  /** The link or source name the knowledge base keeps for the document (quoted with the answer). */
  readonly reference?: string;
}

/** A result with where it came from: the document's source (file or URL) and section heading. */
export interface DetailedKnowledgeResult extends KnowledgeResult {
  readonly source: string;
  readonly heading: string;
}

export interface KnowledgeSearchShape {
  /** What an answer quotes (the best section, and a second one for another part of the question), at most `limit`. */
  readonly search: (query: string, limit?: number) => Effect.Effect<ReadonlyArray<KnowledgeResult>, KnowledgeSearchError>;
  /** The same sections with their provenance. */
  readonly answer: (query: string) => Effect.Effect<ReadonlyArray<DetailedKnowledgeResult>, KnowledgeSearchError>;
  /** The ranked sections above the relevance threshold, best first, at most `limit` (default 3). */
  readonly searchDetailed: (query: string, limit?: number) => Effect.Effect<ReadonlyArray<DetailedKnowledgeResult>, KnowledgeSearchError>;
}

export interface KnowledgeSearchOptions {
  readonly retrieval?: Partial<RetrievalOptions>;
  readonly rerankParameters?: Partial<RerankParameters>;
  /** The section question banks (question-bank.ts) that order the candidates; `false`: lexical order only. Default: the shipped banks. */
  readonly questionBank?: QuestionBankIndex | false;
  /** Weight of the question-bank similarity against the lexical rank score (default QUESTION_BANK_WEIGHT). */
  readonly questionBankWeight?: number;
  /** Answer where-questions from the structured sedes (default true). */
  readonly structuredSedes?: boolean;
  /** The embeddings path (hybrid ranking); absent: lexical only. */
  readonly embedder?: KnowledgeEmbedderShape;
  /** Optional last stage over the ranked candidates (best first, up to 10), before threshold and limit. */
  readonly rerank?: (query: string, candidates: ReadonlyArray<DetailedKnowledgeResult>) => Effect.Effect<ReadonlyArray<DetailedKnowledgeResult>>;
}

interface Candidate extends DetailedKnowledgeResult {
  readonly chunkId: number;
}

const CANDIDATES = 10;
/**
 * The bank similarity outweighs the lexical rank score: among the sections relevant enough to
 * answer, the one whose customers ask most like this question wins (measured on the development
 * sets; lexical order alone generalised worse to unseen questions).
 */
export const QUESTION_BANK_WEIGHT = 4;
/** A section below the threshold the banks may promote (promoteBankChoice): its lexical support and the banks' margin. */
const BANK_SUPPORT = 0.2;
const BANK_MARGIN = 0.1;
/**
 * The answer-or-abstain decision with the out-of-scope bank (decideScope): a section below the
 * threshold with this lexical support is answered when its banked questions are this close and this
 * much closer than the out-of-scope bank's; an answerable question is abstained on when the
 * out-of-scope bank is at least this close and at least as close as the answer's own bank.
 * Calibrated on questions.yaml, fresh and dev-2026-12-04b.
 */
const SCOPE = { rescueSupport: 0.3, rescueSimilarity: 0.1, rescueMargin: 0.05, unsupportedSimilarity: 0.25, unsupportedMargin: 0.25, veto: 0.1 };
/** A part's best section scoring this close to the first section there is answered by the first already. */
const SAME_ANSWER_RATIO = 0.9;
/** A second section must answer its part of the question this well. */
const SECOND_THRESHOLD = 0.6;

/**
 * A second section that is one city's sedes document answers its part only when that part names a
 * place of that city: "¿hay sucursal en la del valle? la de Benito Juárez, no la de Monterrey" is
 * not answered by Monterrey's Del Valle sede, "¿alguna en Veracruz? Xalapa o el puerto" not by
 * Querétaro's Puerta La Victoria. Other sections are unaffected.
 */
const sedeOfPart = (source: string, part: string): boolean => {
  const metro = loadSedes().metros.find((m) => m.document === source);
  if (!metro) return true;
  return findPlaces(part).some((mention) => mention.place.metro === metro.id);
};

const make = (options: KnowledgeSearchOptions) =>
  Effect.gen(function* () {
    const store = yield* KnowledgeStore;
    const settings = { ...defaultRetrieval, ...options.retrieval };
    const rerankParameters = { ...defaultRerank, ...options.rerankParameters };
    const bank = options.questionBank === false ? undefined : (options.questionBank ?? questionBankIndex());
    const bankWeight = options.questionBankWeight ?? QUESTION_BANK_WEIGHT;

    /** The candidates above the threshold for one question, best first. */
    const rank = (query: string, withEmbeddings: boolean) =>
      Effect.gen(function* () {
        // Every section is read from the store only for a question that asks a sede's details.
        if (options.structuredSedes !== false && asksSedeDetail(query)) {
          const detail = sedeDetailSection(query, yield* store.chunks());
          if (detail) {
            yield* Effect.annotateCurrentSpan({ "knowledge.path": "sede-detail" });
            return [{ ...detail, reference: detail.reference, chunkId: -1, score: 1 } as Candidate];
          }
        }
        if (options.structuredSedes !== false && findPlaces(query).length > 0) {
          const located = answerLocation(query, yield* store.chunks());
          if (located) {
            yield* Effect.annotateCurrentSpan({ "knowledge.path": "sedes" });
            return [{ ...located, reference: located.reference, chunkId: -1, score: 1 } as Candidate];
          }
        }
        const lexical = yield* rankChunks(query, settings).pipe(Effect.provideService(KnowledgeStore, store));
        let ranked: ReadonlyArray<(typeof lexical)[number] & { rankScore: number }> = rerankChunks(query, lexical, rerankParameters);
        if (bank) {
          const similarities = bank.similarities(query);
          ranked = promoteBankChoice(rankByQuestionBank(ranked, similarities, bankWeight), similarities, { threshold: settings.threshold, support: BANK_SUPPORT, margin: BANK_MARGIN });
          const namesAbsentSubject = analyzeQuery(query).concepts.some((concept) => isRealWordOutsideDocuments(concept.source));
          const decision = decideScope(ranked, similarities, { threshold: settings.threshold, ...SCOPE }, namesAbsentSubject);
          ranked = decision.ranked;
          if ("fromBank" in decision) {
            const section = (yield* store.chunks()).find((chunk) => sectionKey(chunk.source, chunk.heading) === decision.fromBank);
            if (section) ranked = [{ ...section, score: settings.threshold, rankScore: 1, headingCoverage: 0, concepts: new Set<number>(), titleTrigram: 0 }, ...ranked];
          }
        }
        if (withEmbeddings && options.embedder && ranked.length > 1) {
          const similarities = yield* options.embedder.similarities(query);
          if (similarities) ranked = hybridRank(ranked, similarities, options.embedder.weight);
          yield* Effect.annotateCurrentSpan({ "knowledge.path": similarities ? "hybrid" : "lexical" });
        }
        let candidates: ReadonlyArray<Candidate> = ranked.filter((chunk) => chunk.score >= settings.threshold).slice(0, CANDIDATES).map((chunk) => ({
          chunkId: chunk.chunkId,
          title: chunk.title,
          topic: chunk.topic,
          text: `${chunk.heading}\n${chunk.body}`,
          score: Math.round(chunk.score * 1000) / 1000,
          source: chunk.source,
          heading: chunk.heading,
          ...(chunk.reference ? { reference: chunk.reference } : {}),
        }));
        if (options.rerank) {
          const ids = new Map(candidates.map((c) => [`${c.source}#${c.heading}`, c.chunkId]));
          candidates = (yield* options.rerank(query, candidates)).map((c) => ({ ...c, chunkId: ids.get(`${c.source}#${c.heading}`) ?? -1 }));
        }
        return candidates.filter((c) => c.score >= settings.threshold);
      });

    const evaluate = Effect.fn("knowledge.search")(function* (query: string) {
      yield* Effect.annotateCurrentSpan({ "knowledge.query": query.slice(0, 200) });
      const ranked = yield* rank(query, true);
      const parts = ranked.length > 0 ? questionParts(query) : [];
      const partRankings = (yield* Effect.forEach(parts, (part) => rank(part, false))).map((ranking, i) => ranking.filter((c) => sedeOfPart(c.source, parts[i]!)));
      const answer = chooseAnswer(ranked, partRankings, { threshold: settings.threshold, secondThreshold: SECOND_THRESHOLD, sameAnswerRatio: SAME_ANSWER_RATIO });
      yield* Effect.annotateCurrentSpan({ "knowledge.results": ranked.length, "knowledge.answer_sections": answer.length, "knowledge.top_score": ranked[0]?.score ?? 0 });
      return { ranked, answer };
    });

    const strip = ({ chunkId: _, ...result }: Candidate): DetailedKnowledgeResult => result;
    const run = (query: string) => evaluate(query).pipe(Effect.mapError((cause) => new KnowledgeSearchError({ cause })));

    return KnowledgeSearch.of({
      searchDetailed: (query, limit = settings.limit) => run(query).pipe(Effect.map(({ ranked }) => ranked.slice(0, Math.max(0, limit)).map(strip))),
      answer: (query) => run(query).pipe(Effect.map(({ answer }) => answer.map(strip))),
      search: (query, limit = settings.limit) =>
        run(query).pipe(
          Effect.map(({ answer }) =>
            answer.slice(0, Math.max(0, limit)).map(({ title, topic, text, score, reference }) => ({ title, topic, text, score, ...(reference ? { reference } : {}) })),
          ),
        ),
    });
  });

export class KnowledgeSearch extends Context.Service<KnowledgeSearch, KnowledgeSearchShape>()("KnowledgeSearch") {
  /** Needs only the Database. */
  static readonly layerWith = (options: KnowledgeSearchOptions): Layer.Layer<KnowledgeSearch, never, Database> =>
    Layer.effect(KnowledgeSearch, make(options)).pipe(Layer.provide(KnowledgeStore.layer));
  /** Lexical (and structured sedes) only: deterministic, for tests and evaluations. */
  static readonly lexical = KnowledgeSearch.layerWith({});
  /** With an embedding model (hybrid ranking). */
  static readonly withEmbeddings = (settings: EmbeddingSettings, options: KnowledgeSearchOptions = {}): Layer.Layer<KnowledgeSearch, never, Database> =>
    Layer.unwrap(Effect.map(makeKnowledgeEmbedder(settings), (embedder) => KnowledgeSearch.layerWith({ ...options, embedder })));
  /**
   * From the configuration: hybrid when an embedding model is configured (embeddings.ts lists
   * the variables), lexical otherwise. What the application uses.
   */
  static readonly layer: Layer.Layer<KnowledgeSearch, never, Database> = Layer.unwrap(
    Effect.gen(function* () {
      const embedding = yield* embeddingSettingsConfig.pipe(Effect.orElseSucceed((): EmbeddingSettings | undefined => undefined));
      if (!embedding) return KnowledgeSearch.lexical as Layer.Layer<KnowledgeSearch, never, Database>;
      yield* Effect.logInfo(`knowledge search: hybrid, embedding model ${embedding.modelId}${embedding.baseURL ? ` at ${embedding.baseURL}` : ""}`);
      return KnowledgeSearch.withEmbeddings(embedding);
    }),
  );
}
