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

export const EQUIVALENTS: ReadonlyArray<Equivalence> = [];

export const equivalenceOf = (mutant: Mutant): string | undefined => {
  if (!("operator" in mutant)) return undefined;
  const m = mutant as GeneratedMutant;
  return EQUIVALENTS.find((e) => e.file === m.file && (e.operator === undefined || e.operator === m.operator) && e.original === m.original && (e.mutated === undefined || e.mutated === m.mutated))?.reason;
};
