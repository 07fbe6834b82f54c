/**
 * Grades one whole conversation: per turn the expected tools and content and the reply
 * invariants, then the trace. One component result per check, so a failure names its turn.
 */
import type { ConversationSpec } from "./conversation-spec.ts";
import type { ConversationRun } from "./conversation-run.ts";
import { checkTurn } from "./expectations.ts";
import { checkReply, groundedFigures, type CatalogIndex } from "./invariants.ts";
import { checkTrace, type SpanView } from "./trace-checks.ts";

export interface Component {
  readonly pass: boolean;
  readonly score: number;
  readonly reason: string;
}

export interface Grade extends Component {
  readonly componentResults: ReadonlyArray<Component>;
}

export interface GradeOptions {
  readonly catalog: CatalogIndex;
  readonly turnBudgetMs: number;
  /** The conversation's spans; undefined when no trace could be read (a failure). */
  readonly spans: ReadonlyArray<SpanView> | undefined;
}

const component = (label: string, problems: ReadonlyArray<string>): Component =>
  problems.length === 0 ? { pass: true, score: 1, reason: `${label}: ok` } : { pass: false, score: 0, reason: `${label}: ${problems.join("; ")}` };

const short = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

/** How many calls of each tool the conversation expects, for the trace check. */
export const expectedToolCounts = (spec: ConversationSpec): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const turn of spec.turns) for (const tool of turn.tools ?? []) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
  return counts;
};

export const gradeConversation = (spec: ConversationSpec, run: ConversationRun, options: GradeOptions): Grade => {
  const components: Component[] = [];
  if (run.turns.length !== spec.turns.length) components.push(component("conversation", [`${run.turns.length} replies for ${spec.turns.length} turns`]));
  const outputs: unknown[] = [];
  const inputs: unknown[] = [];
  const userTexts: string[] = [];
  run.turns.forEach((turn, i) => {
    const turnSpec = spec.turns[i];
    const label = `turn ${i + 1} «${short(turn.user)}»`;
    outputs.push(...turn.toolCalls.map((call) => call.output));
    inputs.push(...turn.toolCalls.map((call) => call.input));
    userTexts.push(turn.user);
    if (turnSpec !== undefined) components.push(component(`${label} expectations`, checkTurn(turnSpec, turn.reply, turn.toolCalls)));
    const grounded = groundedFigures({ toolOutputs: outputs, toolInputs: inputs, userTexts });
    const violations = checkReply(turn.reply, { grounded, catalog: options.catalog, conversationId: run.conversationId });
    components.push(component(`${label} invariants`, violations.map((v) => `[${v.rule}] ${v.detail}`)));
  });
  const traceProblems =
    options.spans === undefined
      ? ["no trace found for this conversation"]
      : checkTrace(options.spans, { turns: spec.turns.length, toolCalls: expectedToolCounts(spec), turnBudgetMs: options.turnBudgetMs });
  components.push(component("trace", traceProblems));
  const failed = components.filter((c) => !c.pass);
  return {
    pass: failed.length === 0,
    score: components.length === 0 ? 0 : (components.length - failed.length) / components.length,
    reason: failed.length === 0 ? `all ${components.length} checks passed` : failed.map((c) => c.reason).join(" | "),
    componentResults: components,
  };
};
