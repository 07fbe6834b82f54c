/**
 * promptfoo test cases, one per golden conversation (evals/conversations/*.yaml). Every test gets
 * the conversation grader (expectations, invariants, trace), promptfoo's own trace and
 * trajectory assertions (in-process), and model-graded checks when OPENAI_API_KEY is set.
 */
import type { Assertion, TestCase } from "promptfoo";
import { loadConversations, type ConversationSpec } from "./conversation-spec.ts";
import { expectedToolCounts } from "./grade.ts";
import { defaultTurnBudgetMs, evalTarget, hasGraderKey } from "./settings.ts";
import { TURN_SPAN, toolSpanName } from "./trace-checks.ts";

const turnBudgetMs = (spec: ConversationSpec): number => spec.turn_budget_ms ?? defaultTurnBudgetMs();

const MODEL_GRADED: ReadonlyArray<Assertion> = [
  {
    type: "llm-rubric",
    metric: "tone",
    value:
      "Lee la conversación (👤 usuario, 🤖 asistente de ventas de Kavak). Aprueba solo si TODAS las respuestas del asistente están en español de México, con tono cálido y respetuoso, breves y aptas para WhatsApp (líneas cortas, sin tablas ni encabezados markdown).",
  },
  {
    type: "llm-rubric",
    metric: "helpfulness",
    value:
      "Lee la conversación (👤 usuario, 🤖 asistente de ventas de Kavak). Aprueba solo si cada respuesta del asistente atiende lo que el usuario pidió en ese turno (o explica con amabilidad por qué no puede) y deja claro el siguiente paso.",
  },
];

/** promptfoo's trace and trajectory assertions; they read the spans promptfoo itself collected. */
const promptfooTraceAssertions = (spec: ConversationSpec): Assertion[] => {
  const assertions: Assertion[] = [
    { type: "trace-error-spans", value: { max_count: 0 }, metric: "trace" },
    { type: "trace-span-count", value: { pattern: TURN_SPAN, min: spec.turns.length, max: spec.turns.length }, metric: "trace" },
    { type: "trace-span-duration", value: { pattern: TURN_SPAN, max: turnBudgetMs(spec) }, metric: "latency" },
  ];
  for (const [tool, count] of expectedToolCounts(spec)) assertions.push({ type: "trace-span-count", value: { pattern: toolSpanName(tool), min: count }, metric: "trace" });
  const sequence = spec.turns.flatMap((turn) => (turn.tools ?? []).map((tool) => tool.name));
  if (sequence.length > 0) assertions.push({ type: "trajectory:tool-sequence", value: { mode: "in_order", steps: sequence }, metric: "trajectory" });
  return assertions;
};

export const toTestCase = (spec: ConversationSpec): TestCase => ({
  description: `${spec.id}: ${spec.description}`,
  vars: {
    conversation: spec.id,
    turns: JSON.stringify(spec.turns.map((turn) => turn.user)),
    messages: spec.turns.map((turn, i) => `${i + 1}. ${turn.user}`).join("\n"),
  },
  metadata: { conversation: spec.id, file: spec.file, tags: spec.tags.join(" "), ...(spec.pending === undefined ? {} : { pending: spec.pending }) },
  assert: [
    { type: "javascript", value: "file://evals/assert-conversation.ts", metric: "golden", config: { spec, turnBudgetMs: turnBudgetMs(spec) } },
    ...(evalTarget() === "in-process" ? promptfooTraceAssertions(spec) : []),
    ...(hasGraderKey() ? MODEL_GRADED : []),
  ],
});

/** Called by promptfoo (tests: file://evals/tests.ts). */
export default function goldenConversationTests(): TestCase[] {
  const specs = loadConversations();
  const only = process.env.EVAL_ONLY?.trim();
  const selected = only ? specs.filter((spec) => new RegExp(`^(${only.split(",").map((id) => id.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")).join("|")})$`).test(spec.id)) : specs;
  if (only && selected.length === 0) throw new Error(`EVAL_ONLY=${only} matches no conversation id`);
  const pending = selected.filter((spec) => spec.pending !== undefined);
  const playPending = process.env.EVAL_PENDING === "1";
  for (const spec of pending) console.warn(`[evals] PENDING${playPending ? " (played, not gating)" : " (not played)"} ${spec.id}: ${spec.pending}`);
  // npm run eval says it once itself; a bare `promptfoo eval` hears it here.
  if (!hasGraderKey() && process.env.EVAL_RUNNER !== "1") console.warn("[evals] model-graded checks (tone, helpfulness) SKIPPED: no OPENAI_API_KEY");
  return selected.filter((spec) => spec.pending === undefined || playPending).map(toTestCase);
}
