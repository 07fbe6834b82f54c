/** Finds the make and model a message names, tolerating typos (up to two edits) and nicknames. */
import { COMMON_WORDS } from "./common-words.ts";
import { editDistance } from "../../../lib/edit-distance.ts";
import { memoizeByText } from "../../../lib/memo.ts";
import { allowedEdits, soundAlike } from "./fuzzy.ts";
import { words } from "./normalize.ts";
import { PLACE_WORDS } from "./places.ts";
import { MAKES, MODELS } from "./vocabulary.ts";

export interface CarMention {
  readonly make?: string;
  readonly model?: string;
  /** Token positions the mention used, so other extractors can skip them. */
  readonly tokens: ReadonlyArray<number>;
  /** True when every word was spelled as in the vocabulary (no typo tolerated). */
  readonly exact: boolean;
}

interface Candidate {
  readonly kind: "make" | "model";
  readonly make: string;
  readonly model?: string;
  readonly alias: ReadonlyArray<string>;
}

const CANDIDATES: ReadonlyArray<Candidate> = [
  ...MODELS.flatMap((m) => m.aliases.map((a) => ({ kind: "model" as const, make: m.make, model: m.model, alias: a.split(" ") }))),
  ...MAKES.flatMap((m) => m.aliases.map((a) => ({ kind: "make" as const, make: m.make, alias: a.split(" ") }))),
];

const matches = (token: string, aliasWord: string, fuzzy: boolean): number => {
  if (token === aliasWord) return 0;
  // "rios", "aveos", "jettas": a model in the plural
  if (token.length > 3 && (token === `${aliasWord}s` || token === `${aliasWord}es`) && !/\d/.test(aliasWord)) return 0;
  // typos keep the first letter in practice; requiring it avoids "alcanza" → Avanza
  if (!fuzzy || /\d/.test(aliasWord) || /\d/.test(token) || COMMON_WORDS.has(token) || PLACE_WORDS.has(token) || !soundAlike(token[0]!, aliasWord[0]!)) return Infinity;
  const budget = allowedEdits(Math.min(token.length, aliasWord.length));
  if (budget === 0) return Infinity;
  const d = editDistance(token, aliasWord, budget);
  return d <= budget ? d : Infinity;
};

interface Hit {
  readonly candidate: Candidate;
  readonly start: number;
  readonly length: number;
  readonly cost: number;
}

const AMOUNT_WORD = /^(?:mil|k|lucas|varos|pesos|mxn|mensuales)$/;

const findHits = (tokens: ReadonlyArray<string>): Hit[] => {
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const candidate of CANDIDATES) {
      const n = candidate.alias.length;
      if (i + n > tokens.length) continue;
      let cost = 0;
      for (let k = 0; k < n && cost !== Infinity; k++) cost += matches(tokens[i + k]!, candidate.alias[k]!, true);
      if (cost === Infinity) continue;
      // "un rango de 208 mil", "3 lucas": a number that is an amount, not the Peugeot 208 or Mazda 3
      if (/^\d+$/.test(tokens[i + n - 1]!) && AMOUNT_WORD.test(tokens[i + n] ?? "")) continue;
      hits.push({ candidate, start: i, length: n, cost });
    }
    // A glued alias such as "mazda3" or "crv" typed as one token: compare against joined aliases
    for (const candidate of CANDIDATES) {
      if (candidate.alias.length > 1 && tokens[i] === candidate.alias.join("")) hits.push({ candidate, start: i, length: 1, cost: 0 });
    }
  }
  return hits;
};

/** Best non-overlapping hits: longer and cheaper first, models before makes. */
const pickHits = (hits: Hit[]): Hit[] => {
  const sorted = [...hits].sort(
    (a, b) => b.length - a.length || a.cost - b.cost || (a.candidate.kind === b.candidate.kind ? 0 : a.candidate.kind === "model" ? -1 : 1) || a.start - b.start,
  );
  const used = new Set<number>();
  const picked: Hit[] = [];
  for (const hit of sorted) {
    const span = Array.from({ length: hit.length }, (_, k) => hit.start + k);
    if (span.some((t) => used.has(t))) continue;
    span.forEach((t) => used.add(t));
    picked.push(hit);
  }
  return picked.sort((a, b) => a.start - b.start);
};

/** The mentions in a normalised text; asked up to three times per message, so recent ones are kept. */
const hitsOf = memoizeByText((normalized) => pickHits(findHits(words(normalized))), 2_000);

/** The make and model named in a normalised text, or nothing. A model implies its make. */
export const findCarMention = (normalized: string): CarMention => {
  const picked = hitsOf(normalized);
  const makeHit = picked.find((h) => h.candidate.kind === "make");
  const modelHits = picked.filter((h) => h.candidate.kind === "model");
  // Prefer a model of the make the user named ("chevy spark"), then the first model named; a model
  // named before that make comes first ("un Mini Cooper o un Audi A1").
  const first = modelHits[0];
  const ofMake = makeHit === undefined ? undefined : modelHits.find((h) => h.candidate.make === makeHit.candidate.make);
  const modelHit = first !== undefined && makeHit !== undefined && first.start < makeHit.start ? first : (ofMake ?? first);
  const make = modelHit?.candidate.make ?? makeHit?.candidate.make;
  const used = [makeHit, modelHit].filter((h): h is Hit => h !== undefined).flatMap((h) => Array.from({ length: h.length }, (_, k) => h.start + k));
  return {
    ...(make === undefined ? {} : { make }),
    ...(modelHit?.candidate.model === undefined ? {} : { model: modelHit.candidate.model }),
    tokens: used,
    exact: [makeHit, modelHit].every((h) => h === undefined || h.cost === 0),
  };
};

/** Every model named in the text (for "el Versa o el Sentra" comparisons and references). */
export const findModelMentions = (normalized: string): ReadonlyArray<{ make: string; model: string }> =>
  hitsOf(normalized)
    .filter((h) => h.candidate.kind === "model")
    .map((h) => ({ make: h.candidate.make, model: h.candidate.model! }));
