/**
 * Mutants that survive because they change nothing a user, a client or the stored data can see:
 * each with the reason. A survivor not listed here fails `npm run eval:mutants`: either the gate
 * is fixed to kill it, or the reason it is equivalent is written down here and reviewed.
 * Matched by file, operator and the code the mutant touches (not by line: lines move).
 */
import type { GeneratedMutant } from "./generate.ts";
import type { Mutant } from "./mutants.ts";

interface Equivalence {
  readonly file: string;
  readonly operator?: string;
  /** The original code the mutant replaces (exact), and optionally what it becomes. */
  readonly original: string;
  readonly mutated?: string;
  readonly reason: string;
}

const ZERO_NUMERATOR =
  "divideHalfUp is never given a zero numerator on a path that succeeds: payments are computed on a financed amount of at least one peso, and a schedule's interest on a positive balance. Only a schedule whose balance reaches zero before its last month (a few pesos over 60-72 months) would, and that schedule already fails (known defect, tool case calculate-financing-price-1, pending)";

export const EQUIVALENTS: ReadonlyArray<Equivalence> = [
  { file: "knowledge/financing/money.ts", operator: "relational", original: "<", mutated: "<=", reason: ZERO_NUMERATOR },
  { file: "knowledge/financing/money.ts", operator: "constant", original: "0n", mutated: "1n", reason: ZERO_NUMERATOR },
  {
    file: "knowledge/catalog/search/text.ts",
    operator: "arithmetic",
    original: "-",
    mutated: "+",
    reason:
      "adjacentSwaps then also swaps past the word's end: the two extra variants contain the text \"undefined\" (term[i + 1] is undefined there), which no catalog word matches; the real swaps are all still made",
  },
];

export const equivalenceOf = (mutant: Mutant): string | undefined => {
  if (!("operator" in mutant)) return undefined;
  const m = mutant as GeneratedMutant;
  return EQUIVALENTS.find((e) => e.file === m.file && (e.operator === undefined || e.operator === m.operator) && e.original === m.original && (e.mutated === undefined || e.mutated === m.mutated))?.reason;
};
