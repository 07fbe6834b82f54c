/**
 * Kavak's policy figures as the knowledge base states them (knowledge/documents/*.md): the
 * warranty, the trial period, the interest rate and the loan terms. A reply (or a reply
 * template, or a tool description) that attaches a number to one of these policies must state
 * the knowledge base's number; every loan term offered must be one of the knowledge base's terms,
 * all between 36 and 72 months. The figures are read from the documents, never copied here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { foldAccents } from "../lib/fold-accents.ts";

export interface KavakPolicy {
  /** Months of the included warranty ("garantía de 3 meses"). */
  readonly warrantyMonths: ReadonlySet<number>;
  /** Years the warranty can be extended ("un año más con Kavak Total"). */
  readonly warrantyExtensionYears: ReadonlySet<number>;
  readonly trialDays: ReadonlySet<number>;
  readonly trialKm: ReadonlySet<number>;
  readonly ratePercent: ReadonlySet<number>;
  /** Loan terms in months ("36, 48, 60 o 72 meses"). */
  readonly terms: ReadonlyArray<number>;
  /** The documents say there is no minimum down payment ("no fija un enganche mínimo"). */
  readonly noMinimumDownPayment: boolean;
  /** What could not be read from the documents (then that policy is not checked). */
  readonly unreadable: ReadonlyArray<string>;
}

/** The hard bounds of any term offered, whatever the documents say. */
export const TERM_BOUNDS = { min: 36, max: 72 } as const;

export const KNOWLEDGE_DOCUMENTS = new URL("../knowledge/documents/", import.meta.url).pathname;

const WORD_NUMBERS: Record<string, number> = { un: 1, una: 1, uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, doce: 12 };
const toNumber = (token: string): number => WORD_NUMBERS[token] ?? Number(token.replace(/[,\s]/g, ""));
const NUMBER = String.raw`(\d[\d,]*|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce)`;

/** Lowercase, no accents, no markdown emphasis, no HTML comments or front matter. */
const plain = (text: string) =>
  foldAccents(text.replace(/<!--[\s\S]*?-->/g, " ").replace(/^---[\s\S]*?---/, " "))
    .toLowerCase()
    .replace(/[*_`]/g, "");

const allMatches = (text: string, pattern: RegExp, group = 1): number[] => [...text.matchAll(pattern)].map((m) => toNumber(m[group]!));

export const readPolicy = (dir = KNOWLEDGE_DOCUMENTS): KavakPolicy => {
  const text = readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => plain(readFileSync(join(dir, f), "utf8")))
    .join("\n");
  const unreadable: string[] = [];
  const need = (label: string, values: number[]): Set<number> => {
    if (values.length === 0) unreadable.push(label);
    return new Set(values);
  };
  const termLists = [...text.matchAll(/(\d{2}(?:\s*,\s*\d{2})+\s*(?:o|y)\s*\d{2})\s*meses/g)].map((m) => m[1]!.split(/\s*(?:,|o|y)\s*/).map(Number));
  const terms = termLists.sort((a, b) => b.length - a.length)[0] ?? [];
  if (terms.length === 0) unreadable.push("loan terms");
  return {
    warrantyMonths: need("warranty months", allMatches(text, new RegExp(`garantia (?:incluida )?de ${NUMBER} meses`, "g"))),
    warrantyExtensionYears: need("warranty extension", allMatches(text, new RegExp(`extender(?:se)?(?: por)? ${NUMBER} anos? mas`, "g"))),
    trialDays: need("trial days", allMatches(text, new RegExp(`prueba de ${NUMBER} dias`, "g"))),
    trialKm: need("trial km", allMatches(text, new RegExp(`prueba de ${NUMBER} dias o ${NUMBER} (?:km|kilometros)`, "g"), 2)),
    ratePercent: need("interest rate", allMatches(text, /tasa (?:de interes )?fija de (\d+(?:\.\d+)?)\s*% anual/g)),
    terms,
    noMinimumDownPayment: /no (?:fija|hay|pide|exige) (?:un )?enganche minimo/.test(text),
    unreadable,
  };
};

let cached: KavakPolicy | undefined;
export const kavakPolicy = (): KavakPolicy => (cached ??= readPolicy());

/** Clauses of a text: lines, then sentences (a decimal point or thousands separator does not end one). */
const clauses = (text: string): string[] =>
  plain(text)
    .replace(/\.{2,}/g, "…")
    .split(/\n|(?<=[!?;])\s|(?<=[a-z)\]])\.(?!\d)\s*|\.\s+(?=\p{Lu})/u)
    .map((c) => c.trim())
    .filter((c) => c !== "")
    // "24, 36 o 48 meses": every number of the list is a term ("24 meses, 36 meses o 48 meses").
    .map((c) => c.replace(/\b(\d+(?:\s*,\s*\d+)*)(\s*(?:,|o|y|u)\s*)(\d+)\s*(meses|dias|anos)\b/g, (_m, list: string, sep: string, last: string, unit: string) => `${list.split(/\s*,\s*/).map((n) => `${n} ${unit}`).join(", ")}${sep}${last} ${unit}`));

const NEGATION = /(^|[^\p{L}])(no|sin|ni|nunca|tampoco|imposible)([^\p{L}]|$)/u;

type Topic = "warranty" | "trial" | "rate" | "term";

const TOPIC_WORDS: ReadonlyArray<[RegExp, Topic]> = [
  [/garantia|kavak total/g, "warranty"],
  [/prueba|devolver|devolucion|regresar(?:lo|la)?/g, "trial"],
  [/\btasa\b|\binteres(?:es)?\b|\bcat\b/g, "rate"],
  [/plazos?|financ\w*|mensualidad\w*|credito|a meses/g, "term"],
];

/**
 * The policy a figure at [start, end) speaks of: the nearest policy word shortly before it
 * ("garantía de 3 meses", "prueba de 7 días o 300 km"), else one right after it ("3 meses de
 * garantía"), else the nearest one before, else after.
 */
const topicAt = (clause: string, start: number, end: number): Topic | undefined => {
  const before: Array<{ topic: Topic; distance: number }> = [];
  const after: Array<{ topic: Topic; distance: number }> = [];
  for (const [pattern, topic] of TOPIC_WORDS)
    for (const m of clause.matchAll(pattern)) {
      if (m.index + m[0].length <= start) before.push({ topic, distance: start - (m.index + m[0].length) });
      else if (m.index >= end) after.push({ topic, distance: m.index - end });
      else return topic;
    }
  const nearest = (list: typeof before) => [...list].sort((a, b) => a.distance - b.distance)[0];
  const close = nearest(before.filter((c) => c.distance <= 40)) ?? nearest(after.filter((c) => c.distance <= 15)) ?? nearest(before) ?? nearest(after);
  return close?.topic;
};

const FIGURE = new RegExp(`${NUMBER}\\s*(meses|mes|mensualidades|anos|ano|dias|dia|semanas|semana|km|kilometros|%)(?![\\p{L}])`, "gu");

/** Every place a reply attaches a number to a Kavak policy that the knowledge base contradicts. */
export const checkPolicy = (text: string, policy: KavakPolicy = kavakPolicy()): string[] => {
  const problems: string[] = [];
  const terms = new Set(policy.terms);
  const months = (n: number, unit: string) => (unit.startsWith("ano") ? n * 12 : unit.startsWith("mes") || unit.startsWith("mensualidad") ? n : undefined);
  for (const clause of clauses(text)) {
    // "Puede ser desde $0": a down payment may start at zero; a floor above it is a minimum the documents deny.
    if (policy.noMinimumDownPayment && /enganche|pago inicial/.test(clause))
      for (const m of clause.matchAll(/(?:entre|desde|a partir de|al menos|minimo(?: de)?|como minimo)\s*(?:un|el)?\s*\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(%|mil\b)?/g))
        if (Number(m[1]!.replace(/,/g, "")) > 0) problems.push(`a minimum down payment of ${m[0].trim()} (the knowledge base sets none)`);
    if (NEGATION.test(clause)) continue;
    for (const m of clause.matchAll(FIGURE)) {
      if (/^(un|una|uno)$/.test(m[1]!) && m[2] === "%") continue;
      const n = toNumber(m[1]!.replace(/,(?=\d{1,2}$)/, "."));
      const unit = m[2]!;
      const topic = topicAt(clause, m.index, m.index + m[0].length) ?? (unit.startsWith("mes") || unit === "mensualidades" ? "term" : undefined);
      const said = m[0].trim();
      if (topic === "warranty" && policy.warrantyMonths.size > 0) {
        const asMonths = months(n, unit);
        const ok = asMonths !== undefined && (policy.warrantyMonths.has(asMonths) || policy.warrantyExtensionYears.has(asMonths / 12));
        if (!ok) problems.push(`a warranty of ${said} (the knowledge base: ${[...policy.warrantyMonths].join("/")} meses, extendible ${[...policy.warrantyExtensionYears].join("/")} año)`);
      } else if (topic === "trial" && policy.trialDays.size > 0) {
        const ok = unit.startsWith("dia") ? policy.trialDays.has(n) : unit === "km" || unit === "kilometros" ? policy.trialKm.has(n) : unit === "%";
        if (!ok) problems.push(`a trial period of ${said} (the knowledge base: ${[...policy.trialDays].join("/")} días o ${[...policy.trialKm].join("/")} km)`);
      } else if (topic === "rate" && unit === "%" && policy.ratePercent.size > 0) {
        if (!policy.ratePercent.has(n)) problems.push(`an interest rate of ${said} (the knowledge base: ${[...policy.ratePercent].join("/")}%)`);
      } else if (topic === "term") {
        const asMonths = months(n, unit);
        if (asMonths === undefined) continue;
        if (asMonths < TERM_BOUNDS.min || asMonths > TERM_BOUNDS.max) problems.push(`a term of ${said} (terms go from ${TERM_BOUNDS.min} to ${TERM_BOUNDS.max} months)`);
        else if (terms.size > 0 && !terms.has(asMonths)) problems.push(`a term of ${said} (the knowledge base: ${policy.terms.join(", ")} meses)`);
      }
    }
  }
  return [...new Set(problems)];
};
