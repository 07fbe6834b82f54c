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
  /** Text the mutated line must contain (when the original alone is ambiguous, e.g. a status code). */
  readonly context?: string;
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
  ...(["missing_price:", "invalid_price:", "invalid_down_payment:"] as const).map((code) => ({
    file: "channels/http/financing-router.ts",
    original: "400",
    context: code,
    reason: `the quotes route never gets a ${code.slice(0, -1)} from the domain: its request schema already refuses what would cause it (exactly one of stockId/price, a positive whole price, a whole down payment of 0 or more, no percentage field), with 400 invalid_request`,
  })),
  {
    file: "models/offline/decide.ts",
    original: "===",
    context: 'functions.find((t) => t.name === "calculate_financing")',
    reason:
      "the terms are then read from another tool's JSON, which lists none, so the built-in model falls back to DEFAULT_TERMS: 36, 48, 60 and 72, the very terms the financing tool's description lists",
  },
  {
    file: "models/offline/decide.ts",
    original: "36",
    context: "const DEFAULT_TERMS",
    reason: "DEFAULT_TERMS is only used when the financing tool's description lists no terms; it lists 36, 48, 60 o 72 (checked by contract:calculate_financing)",
  },
  {
    file: "models/offline/nlu/terms.ts",
    original: "-",
    context: "[...new Set(months)].sort((a, b) => a - b)",
    reason: "only the order in which the terms are passed to calculate_financing changes; the tool sorts them itself (its plans and the reply come in ascending order whatever the order asked)",
  },
  {
    file: "models/offline/replies/cards.ts",
    original: "false",
    context: "const yesNo",
    reason: "the shipped catalog has no car whose Bluetooth or CarPlay is \"No\" (blank means not confirmed), so the \"no\" branch of the details is never shown",
  },
  {
    file: "models/offline/replies/format.ts",
    operator: "rounding",
    original: "Math.round",
    context: "export const pesos",
    reason: "pesos() only formats whole pesos (prices, down payments, financed amounts, budgets are integers in every tool's output); amounts with cents go through another formatter",
  },
  {
    file: "models/offline/replies/format.ts",
    original: "-",
    context: "clean.slice(0, max - 1)",
    reason:
      "fitMessage's cut never runs for the built-in model: no reply template reaches 1,600 characters and knowledge answers are capped at 1,000 (MAX_TOTAL); a longer text from a live model bypasses it (channel-long-reply-split-whole tests that delivery)",
  },
  {
    file: "models/offline/replies/financing.ts",
    original: "0",
    context: "out.downPayment > 0",
    reason: "differs only for a down payment of exactly 1 peso, which the built-in model never passes (amounts under 100, or under 1,000 without a currency sign, are not read as money)",
  },
  {
    file: "models/offline/replies/knowledge.ts",
    original: "&&",
    context: "if (parts.length > 0 && size + chunk.length > MAX_TOTAL) break;",
    reason: "search_knowledge now returns the one section that answers (knowledge.answer_sections): no golden question gets two passages, so the loop never reaches a second one",
  },
  {
    file: "models/offline/replies/knowledge.ts",
    original: "-",
    context: "/^\\d+\\.\\s/.test(body[body.length - 1]!)",
    reason: "no section of the knowledge base has a line right after a numbered item that is not an item itself (the only numbered list, the four financing steps, ends its section)",
  },
  {
    file: "core/memory.ts",
    original: "-",
    context: "while (first < turns.length - 1 && total > budget)",
    reason: "memory is trimmed to a budget only for a configured (live) model; the built-in model reads the whole window (core/agent-live.ts: budgetTokens = ∞ for kind offline), so the loop never runs in the offline gate",
  },
  {
    file: "channels/whatsapp/inbound.ts",
    original: "===",
    context: 'Array.isArray(value) && typeof value[0] === "string"',
    reason: "a form field only arrives as an array when its name repeats, and Twilio sends each field once: the branch never runs (a signed request with a repeated field would also fail Twilio's signature check)",
  },
  {
    file: "channels/errors.ts",
    operator: "constant",
    original: "1024",
    mutated: "1025",
    reason: "the 413 message rounds the limit to whole KB: 65,536 / 1,025 = 63.9 rounds to the same \"64 KB\"",
  },
];

export const equivalenceOf = (mutant: Mutant): string | undefined => {
  if (!("operator" in mutant)) return undefined;
  const m = mutant as GeneratedMutant;
  return EQUIVALENTS.find((e) => e.file === m.file && (e.operator === undefined || e.operator === m.operator) && e.original === m.original && (e.mutated === undefined || e.mutated === m.mutated) && (e.context === undefined || m.replacements[0]!.find.includes(e.context)))?.reason;
};
