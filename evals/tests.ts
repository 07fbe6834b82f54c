/**
 * promptfoo test cases: one per golden conversation and channel (evals/conversations/*.yaml;
 * `id` on the agent in process, `id@whatsapp` etc. through a channel), and one per tool-level
 * case (evals/tool-cases/*.yaml and the generated ones, `tool:<id>`). Every test gets the grader
 * (assert-conversation.ts), which also checks the trace (read from the in-process trace store,
 * which sees every span: promptfoo's own trace assertions would wait for its batched span export,
 * about a second per test); conversations get model-graded checks when OPENAI_API_KEY is set.
 */
import type { Assertion, TestCase } from "promptfoo";
import { loadConversations, type ChannelTarget, type ConversationSpec } from "./conversation-spec.ts";
import { defaultTurnBudgetMs, evalTarget, hasGraderKey } from "./settings.ts";
import { loadToolCases, registryTools, type ToolCaseSpec } from "./tool-cases.ts";
import { WORDING_FILES } from "./wording.ts";
import { CONTRACT_CASES, type ContractCase } from "./channel-contract.ts";

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

/** A conversation's test id on a channel: the spec id itself on the default channel. */
export const testId = (spec: { id: string }, channel: ChannelTarget): string => (channel === "agent" ? spec.id : `${spec.id}@${channel}`);

export const toTestCase = (spec: ConversationSpec, channel: ChannelTarget = spec.channels[0]!): TestCase => ({
  description: `${testId(spec, channel)}: ${spec.description}`,
  vars: {
    kind: "conversation",
    conversation: testId(spec, channel),
    channel,
    faults: JSON.stringify(spec.faults),
    turns: JSON.stringify(spec.turns.map((turn) => turn.user)),
    media: JSON.stringify(spec.turns.map((turn) => turn.whatsapp_media ?? [])),
    photos: JSON.stringify(spec.turns.map((turn) => turn.photo ?? null)),
    messages: spec.turns.map((turn, i) => `${i + 1}. ${turn.user}`).join("\n"),
  },
  metadata: { conversation: testId(spec, channel), file: spec.file, channel, tags: spec.tags.join(" "), ...(spec.pending === undefined ? {} : { pending: spec.pending }) },
  assert: [
    { type: "javascript", value: "file://evals/assert-conversation.ts", metric: "golden", config: { spec, turnBudgetMs: turnBudgetMs(spec) } },
    ...(hasGraderKey() ? MODEL_GRADED : []),
  ],
});

export const toToolTestCase = (spec: ToolCaseSpec): TestCase => ({
  description: `tool:${spec.id}: ${spec.description ?? `${spec.tool}(${JSON.stringify(spec.input)})`}`,
  vars: { kind: "tool", conversation: `tool:${spec.id}`, toolCase: JSON.stringify(spec), messages: `${spec.tool}(${JSON.stringify(spec.input)})` },
  metadata: { conversation: `tool:${spec.id}`, file: spec.source, tags: `tool ${spec.tool}`, ...(spec.pending === undefined ? {} : { pending: spec.pending }) },
  assert: [{ type: "javascript", value: "file://evals/assert-conversation.ts", metric: "tool", config: { toolCase: spec } }],
});

/** The wording of a reply-template file, or of a tool of the registry (wording.ts). */
export const toWordingTestCase = (subject: { file: string } | { tool: string }): TestCase => {
  const id = "file" in subject ? `wording:${subject.file}` : `contract:${subject.tool}`;
  return {
    description: `${id}: ${"file" in subject ? "" : "the agreed contract; "}Spanish, the knowledge base's policy figures, no false claims`,
    vars: { kind: "wording", conversation: id, ...subject, messages: id },
    metadata: { conversation: id, tags: "wording" },
    assert: [{ type: "javascript", value: "file://evals/assert-conversation.ts", metric: "wording", config: { wording: true } }],
  };
};

/** A channel's documented answer at a boundary (channel-contract.ts). */
export const toContractTestCase = (spec: ContractCase): TestCase => ({
  description: `contract:${spec.id}: ${spec.method} answers ${spec.expect.status}${spec.expect.code ? ` ${spec.expect.code}` : ""}`,
  vars: { kind: "contract", conversation: `contract:${spec.id}`, contract: spec.id, messages: spec.id },
  metadata: { conversation: `contract:${spec.id}`, tags: "contract" },
  assert: [{ type: "javascript", value: "file://evals/assert-conversation.ts", metric: "contract", config: { contract: true } }],
});

/** `--only` patterns: comma list, `*` globs; a conversation id selects all its channels. */
const selector = (only: string | undefined): ((id: string) => boolean) => {
  if (!only) return () => true;
  const pattern = new RegExp(`^(${only.split(",").map((id) => id.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")).join("|")})(@[a-z]+)?$`);
  return (id) => pattern.test(id);
};

/** Called by promptfoo (tests: file://evals/tests.ts). */
export default async function goldenConversationTests(): Promise<TestCase[]> {
  const only = process.env.EVAL_ONLY?.trim();
  const selected = selector(only);
  const inProcess = evalTarget() === "in-process";
  const specs = loadConversations();
  const playPending = process.env.EVAL_PENDING === "1";
  const tests: TestCase[] = [];
  for (const spec of specs) {
    for (const channel of spec.channels) {
      if (!selected(testId(spec, channel)) && !selected(spec.id)) continue;
      if (!inProcess && ((channel !== "agent" && channel !== "http") || spec.faults.length > 0)) continue;
      if (spec.pending !== undefined) console.warn(`[evals] PENDING${playPending ? " (played, not gating)" : " (not played)"} ${testId(spec, channel)}: ${spec.pending}`);
      if (spec.pending === undefined || playPending) tests.push(toTestCase(spec, channel));
    }
  }
  if (inProcess) {
    for (const spec of CONTRACT_CASES) if (selected(`contract:${spec.id}`)) tests.push(toContractTestCase(spec));
    for (const file of WORDING_FILES) if (selected(`wording:${file}`)) tests.push(toWordingTestCase({ file }));
    for (const tool of Object.keys(registryTools())) if (selected(`contract:${tool}`)) tests.push(toWordingTestCase({ tool }));
    for (const spec of await loadToolCases()) {
      if (!selected(`tool:${spec.id}`)) continue;
      if (spec.pending !== undefined) console.warn(`[evals] PENDING${playPending ? " (played, not gating)" : " (not played)"} tool:${spec.id}: ${spec.pending}`);
      if (spec.pending === undefined || playPending) tests.push(toToolTestCase(spec));
    }
  } else console.warn("[evals] tool-level cases, channel targets other than HTTP and fault injection run in process only: skipped");
  // The slowest first (a WhatsApp reply whose turn fails is retried with back-off): they overlap the rest.
  const cost = (test: TestCase) => {
    const vars = test.vars as Record<string, string>;
    return (vars.channel === "whatsapp" ? 2 : 0) + (vars.faults !== undefined && vars.faults !== "[]" ? 1 : 0);
  };
  tests.sort((a, b) => cost(b) - cost(a));
  if (only && tests.length === 0) throw new Error(`EVAL_ONLY=${only} matches no conversation id (tool cases: tool:<id>)`);
  // `npm run eval` splits the gate over processes (EVAL_SHARD=i/n): every n-th test of the cost order, so each gets a like mix.
  const shard = /^(\d+)\/(\d+)$/.exec(process.env.EVAL_SHARD?.trim() ?? "");
  // npm run eval says it once itself; a bare `promptfoo eval` hears it here.
  if (!hasGraderKey() && process.env.EVAL_RUNNER !== "1") console.warn("[evals] model-graded checks (tone, helpfulness) SKIPPED: no OPENAI_API_KEY");
  return shard ? tests.filter((_, index) => index % Number(shard[2]) === Number(shard[1])) : tests;
}
