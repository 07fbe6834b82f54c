/**
 * Section question banks ("doc2query"): beside each document, `<document>.questions.yaml` lists,
 * per section heading, the ways customers ask what that section answers. A question is compared
 * with every banked question (TF-IDF over word forms and character n-grams, cosine) and each
 * section gets the similarity of its closest banked questions. Lexical retrieval matches the
 * words of a question against the words of the documents; the banks match it against questions,
 * so "¿me lo reciben a cuenta de otro?" finds the section whose customers ask just that even when
 * the document words it differently. Retrieval metadata only: never quoted, states no fact. Pure
 * apart from reading the files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { analyzeQuery, normalizeText } from "./query-analysis.ts";

export const BANKS_DIR = fileURLToPath(new URL("../documents/", import.meta.url));

export interface SectionBank {
  /** The document's source (file name), as the store names it. */
  readonly source: string;
  readonly heading: string;
  readonly questions: ReadonlyArray<string>;
}

export const sectionKey = (source: string, heading: string) => `${source}#${heading}`;

/**
 * The out-of-scope bank (`_out-of-scope.questions.yaml`): what customers ask that the knowledge base
 * does not answer (insurance, motorcycles, rentals, other banks, workshops, government paperwork,
 * weather, recipes, chit-chat...), one class per heading. Loaded with the section banks as
 * pseudo-sections of this source, so both are compared in one space; no document has this name.
 */
export const OUT_OF_SCOPE_SOURCE = "_out-of-scope.md";
export const isOutOfScopeKey = (key: string): boolean => key.startsWith(`${OUT_OF_SCOPE_SOURCE}#`);

/** Similarity of the question to the closest out-of-scope class (0 when there is no out-of-scope bank). */
export const outOfScopeSimilarity = (similarities: ReadonlyMap<string, number>): number => {
  let best = 0;
  for (const [key, similarity] of similarities) if (isOutOfScopeKey(key) && similarity > best) best = similarity;
  return best;
};

/** Every `<document>.questions.yaml` of `dir`: `heading: [questions]` for the sections of `<document>.md`. */
export const loadQuestionBanks = (dir: string = BANKS_DIR): ReadonlyArray<SectionBank> =>
  readdirSync(dir)
    .filter((file) => file.endsWith(".questions.yaml"))
    .sort()
    .flatMap((file) => {
      const source = file.replace(/\.questions\.yaml$/, ".md");
      const raw = (parseYaml(readFileSync(join(dir, file), "utf8")) ?? {}) as Record<string, unknown>;
      return Object.entries(raw).map(([heading, questions]) => {
        if (!Array.isArray(questions)) throw new Error(`${file}: "${heading}" needs a list of questions`);
        return { source, heading, questions: questions.map(String) };
      });
    });

/** Words that carry nothing about what is asked (articles, prepositions, greetings); question words stay. */
const FILLER = new Set(
  `a al el la los las lo le les un una unos unas de del en y e o u con por para se me mi mis te tu tus su sus yo
  nos ustedes usted es son esta este eso esa ese ya pero pues hola buenas buenos buen dias tardes noches oye oigan
  porfa favor gracias saludos kavak muy mas bien entonces osea`.split(/\s+/),
);

/** "carros" and "carro" are one word form; longer plurals lose their "es" too ("sucursales"). */
const wordForm = (word: string) => (word.length > 5 && word.endsWith("es") ? word.slice(0, -2) : word.length > 3 && word.endsWith("s") ? word.slice(0, -1) : word);

/**
 * Weights of the feature kinds against a word (1): the question's concepts with their synonyms
 * (query-analysis.ts: "carro" is "auto", "me compran" is selling) say most; character n-grams
 * each say little but there are many. Chosen on the development sets.
 */
const CONCEPT_WEIGHT = 2;
const NGRAM_WEIGHT = 0.5;

/**
 * Term counts of a text: word forms, pairs of neighbouring words (they keep "a cuenta" apart from
 * "estado de cuenta"), character 3-5-grams inside each word (typos, inflections: "financian" ~
 * "financiamiento") and the question's concepts, a synonym group counting as one.
 */
export const bankFeatures = (text: string): ReadonlyMap<string, number> => {
  const words = normalizeText(text)
    .split(" ")
    .filter((w) => w !== "" && !FILLER.has(w))
    .map(wordForm);
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  words.forEach((word, i) => {
    add(`w:${word}`, 1);
    if (i > 0) add(`b:${words[i - 1]} ${word}`, 1);
    const padded = ` ${word} `;
    for (let n = 3; n <= 5; n++) for (let k = 0; k + n <= padded.length; k++) add(`c:${padded.slice(k, k + n)}`, NGRAM_WEIGHT);
  });
  for (const concept of analyzeQuery(text).concepts) add(`g:${[...concept.synonyms].sort()[0] ?? concept.source}`, CONCEPT_WEIGHT);
  return features;
};

type Vector = ReadonlyMap<string, number>;

const normalize = (vector: Map<string, number>): Vector => {
  const norm = Math.sqrt([...vector.values()].reduce((sum, v) => sum + v * v, 0));
  if (norm > 0) for (const [k, v] of vector) vector.set(k, v / norm);
  return vector;
};

export interface QuestionBankIndex {
  /** Section key (`source#heading`) → similarity (0-1) of the question to that section's banked questions. */
  readonly similarities: (question: string) => ReadonlyMap<string, number>;
}

/** How many of a section's closest banked questions its similarity averages (one alone is noisy). */
const NEAREST = 3;

export const buildQuestionBankIndex = (banks: ReadonlyArray<SectionBank>): QuestionBankIndex => {
  const entries = banks.flatMap((bank) => [bank.heading, ...bank.questions].map((q) => ({ key: sectionKey(bank.source, bank.heading), features: bankFeatures(q) })));
  const frequency = new Map<string, number>();
  for (const { features } of entries) for (const feature of features.keys()) frequency.set(feature, (frequency.get(feature) ?? 0) + 1);
  const idf = (feature: string) => Math.log(1 + entries.length / (1 + (frequency.get(feature) ?? 0)));
  const weigh = (features: ReadonlyMap<string, number>) => normalize(new Map([...features].map(([k, v]) => [k, v * idf(k)])));
  // An inverted index (feature → banked questions having it): a question meets only the banked questions sharing a feature.
  const keys = entries.map(({ key }) => key);
  const postings = new Map<string, Array<readonly [number, number]>>();
  entries.forEach(({ features }, i) => {
    for (const [feature, value] of weigh(features)) {
      const list = postings.get(feature) ?? [];
      list.push([i, value]);
      postings.set(feature, list);
    }
  });
  const sectionKeys = [...new Set(keys)];
  return {
    similarities: (question) => {
      const scores = new Float64Array(entries.length);
      for (const [feature, value] of weigh(bankFeatures(question))) for (const [i, weight] of postings.get(feature) ?? []) scores[i]! += value * weight;
      const perSection = new Map<string, number[]>(sectionKeys.map((key) => [key, []]));
      keys.forEach((key, i) => perSection.get(key)!.push(scores[i]!));
      return new Map(
        [...perSection].map(([key, sims]) => {
          const top = sims.sort((a, b) => b - a).slice(0, NEAREST);
          return [key, top.reduce((sum, s) => sum + s, 0) / top.length];
        }),
      );
    },
  };
};

let cached: QuestionBankIndex | undefined;
/** The index of the shipped banks, built once. */
export const questionBankIndex = (): QuestionBankIndex => (cached ??= buildQuestionBankIndex(loadQuestionBanks()));

/**
 * Orders ranked sections by their question-bank similarity, weighted against the lexical rank
 * score; the lexical relevance (`score`, which decides abstention) is left as it is.
 */
export const rankByQuestionBank = <C extends { readonly source: string; readonly heading: string; readonly rankScore: number; readonly score: number }>(
  ranked: ReadonlyArray<C>,
  similarities: ReadonlyMap<string, number>,
  weight: number,
): ReadonlyArray<C> =>
  ranked
    .map((chunk) => ({ ...chunk, rankScore: chunk.rankScore + weight * (similarities.get(sectionKey(chunk.source, chunk.heading)) ?? 0) }))
    .sort((a, b) => b.rankScore - a.rankScore || b.score - a.score);

export interface PromotionParameters {
  /** The relevance a section needs to be answered with (the abstention threshold). */
  readonly threshold: number;
  /** The lexical relevance a section below the threshold still needs to be promoted. */
  readonly support: number;
  /** How much closer to the question its banked questions must be than those of the best answerable section. */
  readonly margin: number;
}

/**
 * Whether to answer at all stays the lexical relevance's decision; which section answers can be
 * the banks'. When some section is answerable but another one, lexically supported yet below the
 * threshold, is clearly closer to the question by its banked questions ("¿la garantía cubre motor
 * y transmisión?": the inspection section mentions the motor, the warranty section is what is
 * asked), that one is promoted to the threshold and ranked first. Best first in, best first out.
 */
export const promoteBankChoice = <C extends { readonly source: string; readonly heading: string; readonly rankScore: number; readonly score: number }>(
  ranked: ReadonlyArray<C>,
  similarities: ReadonlyMap<string, number>,
  parameters: PromotionParameters,
): ReadonlyArray<C> => {
  const similarity = (chunk: C) => similarities.get(sectionKey(chunk.source, chunk.heading)) ?? 0;
  const first = ranked.find((chunk) => chunk.score >= parameters.threshold);
  if (!first) return ranked;
  const supported = ranked.filter((chunk) => chunk.score >= parameters.support && chunk.score < parameters.threshold);
  const closest = supported.reduce<C | undefined>((best, chunk) => (best === undefined || similarity(chunk) > similarity(best) ? chunk : best), undefined);
  if (!closest || similarity(closest) < similarity(first) + parameters.margin) return ranked;
  const promoted = { ...closest, score: parameters.threshold, rankScore: Math.max(...ranked.map((c) => c.rankScore)) + 1e-6 };
  return [promoted, ...ranked.filter((chunk) => chunk !== closest)];
};

export interface ScopeParameters {
  /** The relevance a section needs to be answered with (the abstention threshold). */
  readonly threshold: number;
  /** The lexical relevance a section below the threshold needs for the banks to answer with it. */
  readonly rescueSupport: number;
  /** The bank similarity that section needs, and by how much it must exceed the out-of-scope bank's. */
  readonly rescueSimilarity: number;
  readonly rescueMargin: number;
  /** Without lexical support: the bank similarity and the margin over the out-of-scope bank needed to answer from the banks alone. */
  readonly unsupportedSimilarity: number;
  readonly unsupportedMargin: number;
  /** The out-of-scope similarity from which an answerable question is abstained on when it is at least the answer's own. */
  readonly veto: number;
}

/** What decideScope decided: the ranking to answer from, or the section the banks alone answer with. */
export type ScopeDecision<C> = { readonly ranked: ReadonlyArray<C> } | { readonly ranked: ReadonlyArray<C>; readonly fromBank: string };

/**
 * Whether to answer at all, from three signals: the lexical relevance (`score`), the section banks
 * and the out-of-scope bank, plus the subjects the documents are known not to cover.
 * - Answerable (a section at the threshold): abstain when the question is at least as close to
 *   what customers ask outside the knowledge base as to the answering section's banked questions
 *   ("¿me recomiendas un taller para la afinación?" shares "afinación" with maintenance).
 * - Not answerable, but a section has lexical support near the threshold: answer with the
 *   supported section closest by its banked questions, when that similarity clearly beats the
 *   out-of-scope bank's and the question names no known-absent subject ("tengo un mazda 2017, ¿me
 *   lo reciben a cuenta de uno más nuevo?" is diluted by the story, the banks know the question).
 * - No lexical support at all (words the documents never use: "¿en cuántos estados están?"): the
 *   banks' best section, only when it is far closer than the out-of-scope bank (`fromBank`, the
 *   caller fetches that section).
 * Best first in, best first out; an abstention gives no section at the threshold.
 */
export const decideScope = <C extends { readonly source: string; readonly heading: string; readonly rankScore: number; readonly score: number }>(
  ranked: ReadonlyArray<C>,
  similarities: ReadonlyMap<string, number>,
  parameters: ScopeParameters,
  namesAbsentSubject: boolean,
): ScopeDecision<C> => {
  const similarity = (chunk: C) => similarities.get(sectionKey(chunk.source, chunk.heading)) ?? 0;
  const outside = outOfScopeSimilarity(similarities);
  const first = ranked.find((chunk) => chunk.score >= parameters.threshold);
  if (first) return { ranked: outside >= parameters.veto && outside >= similarity(first) ? [] : ranked };
  if (namesAbsentSubject) return { ranked };
  const supported = ranked.filter((chunk) => chunk.score >= parameters.rescueSupport);
  const closest = supported.reduce<C | undefined>((best, chunk) => (best === undefined || similarity(chunk) > similarity(best) ? chunk : best), undefined);
  if (closest && similarity(closest) >= parameters.rescueSimilarity && similarity(closest) - outside >= parameters.rescueMargin) {
    const rescued = { ...closest, score: parameters.threshold, rankScore: Math.max(...ranked.map((c) => c.rankScore)) + 1e-6 };
    return { ranked: [rescued, ...ranked.filter((chunk) => chunk !== closest)] };
  }
  if (supported.length > 0) return { ranked };
  let best: readonly [string, number] | undefined;
  for (const [key, value] of similarities) if (!isOutOfScopeKey(key) && (best === undefined || value > best[1])) best = [key, value];
  if (best && best[1] >= parameters.unsupportedSimilarity && best[1] - outside >= parameters.unsupportedMargin) return { ranked, fromBank: best[0] };
  return { ranked };
};
