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

const ABS_OF_ZERO =
  "formatPesos takes the absolute value of the cents: the mutant only changes what happens to 0n, and -0n is 0n (a bigint has no negative zero), so every amount prints the same. (Not divideHalfUp's check a few lines up, where a zero numerator is a real path: a 0% down payment, the months after a tiny schedule closes)"

export const EQUIVALENTS: ReadonlyArray<Equivalence> = [
  { file: "knowledge/financing/money.ts", operator: "relational", original: "<", mutated: "<=", context: "const abs = cents", reason: ABS_OF_ZERO },
  { file: "knowledge/financing/money.ts", operator: "constant", original: "0n", mutated: "1n", context: "const abs = cents", reason: ABS_OF_ZERO },
  {
    file: "knowledge/catalog/search/text.ts",
    operator: "arithmetic",
    original: "-",
    mutated: "+",
    reason:
      "adjacentSwaps then runs two steps past the word's end: at the last letter it adds one extra variant containing the text \"undefined\" (term[i + 1] is undefined there), which no catalog word matches, and one step further both letters are undefined and equal, so it is skipped; the real swaps are all still made",
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
    original: "-",
    context: "/^\\d+\\.\\s/.test(body[body.length - 1]!)",
    reason: "no section of the knowledge base has a line right after a numbered item that is not an item itself (the only numbered list, the four financing steps, ends its section)",
  },
  {
    file: "core/memory.ts",
    original: "-",
    context: "while (first < turns.length - 1 && total > budget)",
    reason:
      "not behaviour-free for a live model (it could drop the latest turn too), but out of the offline gate's reach: memory is trimmed to a budget only for a configured model, the built-in one reads the whole window (core/agent-live.ts: budgetTokens = ∞ for kind offline), so the loop never runs; core/memory.test.ts «keeps the latest turn even when it alone exceeds the budget» is what catches it",
  },
  {
    file: "channels/errors.ts",
    operator: "constant",
    original: "1024",
    mutated: "1025",
    context: "entity.too.large",
    reason:
      "channels/errors.ts errorHandler is not mounted by the app: body-parser errors are answered by app/edges/error-handler.ts (its 413 messages, 16/64/100 KB and 1024 KB for the admin API, are checked by contract:web-body-over-16kb, http-body-over-64kb, admin-body-over-1mb); only channels/web tests mount this one",
  },
  {
    file: "channels/whatsapp/inbound.ts",
    operator: "constant",
    original: "0",
    mutated: "1",
    context: "form.NumMedia ?? 0",
    reason:
      "only a form without NumMedia reads differently (its MediaUrl0 would be looked at), and Twilio sends NumMedia on every inbound message (a signed field, so a form cannot lose it on the way); with NumMedia present, as the gate's signed webhook sends it, nothing changes",
  },
];

export const equivalenceOf = (mutant: Mutant): string | undefined => {
  if (!("operator" in mutant)) return undefined;
  const m = mutant as GeneratedMutant;
  return EQUIVALENTS.find((e) => e.file === m.file && (e.operator === undefined || e.operator === m.operator) && e.original === m.original && (e.mutated === undefined || e.mutated === m.mutated) && (e.context === undefined || m.replacements[0]!.find.includes(e.context)))?.reason;
};
