/**
 * Grades one whole conversation: per turn the expected tools and content, the reply invariants
 * (with the knowledge base's policy figures), every tool result against the domain oracles, the
 * channel's delivery against the agent's reply, and the kind apology when a fault was injected;
 * then what was stored, and the trace. One component result per check, so a failure names its
 * turn. A tool-level case is graded the same way, without the conversation.
 */
import { checkClosingReply } from "./closing-checks.ts";
import type { ConversationSpec } from "./conversation-spec.ts";
import type { ConversationRun } from "./conversation-run.ts";
import { checkTurn } from "./expectations.ts";
import { checkReply, groundedFigures, type CatalogIndex } from "./invariants.ts";
import { checkToolResult } from "./oracles.ts";
import { checkPolicy } from "./policy.ts";
import { checkStored, type StoredQuoteRead } from "./stored-checks.ts";
import { checkToolCase, type ToolCaseRun, type ToolCaseSpec } from "./tool-cases.ts";
import { checkToolSpans, checkTrace, outcomeOf, type SpanView } from "./trace-checks.ts";

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

/** A kind apology: the assistant (or the channel) says something went wrong and offers to retry. */
export const APOLOGY = /disculpa|perd[oó]n|lo siento|tuve un problema|un problema|no pude|intent(?:a|emos|arlo)[^.\n]{0,30}de nuevo|vuelv[ae] a (?:escribir|intentar)|m[aá]s tarde|en un momento/iu;
/** What a failed dependency must never be turned into: a "no" about the catalog, a car or the facts. */
export const FALSE_NEGATIVE =
  /no encontr[eé]|no (?:lo |la |los |las )?tenemos|no (?:lo |la )?tengo|no hay (?:autos|opciones|resultados|coincidencias|informaci[oó]n)|ya no (?:aparece|est[aá])|se (?:haya |ha )?vendido|sin resultados|no (?:est[aá]|se encuentra) disponible|no (?:manejamos|contamos con)|no aparece|esa informaci[oó]n no/iu;

const faultProblems = (spec: ConversationSpec, run: ConversationRun, index: number): string[] => {
  const turn = run.turns[index]!;
  const declared = spec.faults.filter((f) => f.turns === undefined || f.turns.includes(index + 1));
  const fired = (turn.faultsFired ?? []).filter((f) => f.mode !== "reply");
  const problems: string[] = [];
  for (const fault of declared.filter((f) => f.turns !== undefined))
    if (!fired.some((f) => f.service === fault.service)) problems.push(`the ${fault.service} fault armed for this turn never fired: the turn does not reach it`);
  if (fired.length === 0) return problems;
  const what = fired.map((f) => `${f.service} ${f.mode === "timeout" ? "timed out" : "failed"}`).join(", ");
  if (turn.failure !== undefined) {
    // The channel said the turn failed (HTTP 503, an error in the stream, the agent's typed error): no reply to judge.
    if (turn.failure.status !== undefined && turn.failure.status !== 503) problems.push(`${what}: the channel answered ${turn.failure.status}, not 503`);
    // The HTTP API says which dependency failed (README "HTTP API": 503 model or store unavailable, or too slow).
    const expected = fired.some((f) => f.service === "conversation_store")
      ? "storage_unavailable"
      : fired.some((f) => f.service === "model" && f.mode === "timeout")
        ? "agent_timeout"
        : fired.some((f) => f.service === "model")
          ? "model_unavailable"
          : undefined;
    if (run.channel === "http" && turn.failure.status === 503 && expected !== undefined && turn.failure.code !== expected) problems.push(`${what}: the API answered 503 ${turn.failure.code}, not ${expected}`);
    return problems;
  }
  // What worked may still be answered (affordability when only the search failed); with nothing
  // that worked, the reply must say something went wrong.
  const worked = turn.toolCalls.some((call) => outcomeOf(call.output) !== undefined);
  if (!worked && !APOLOGY.test(turn.reply)) problems.push(`${what}, and the reply is not an apology: ${JSON.stringify(turn.reply.slice(0, 160))}`);
  const negative = turn.reply.match(FALSE_NEGATIVE);
  if (negative) problems.push(`${what}, and the reply says "${negative[0]}" (a false negative)`);
  return problems;
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
    const faulted = (turn.faultsFired ?? []).some((f) => f.mode !== "reply");
    // A scripted model reply is our text, not the assistant's: only what the channel did with it counts.
    const scripted = (turn.faultsFired ?? []).some((f) => f.mode === "reply");
    if (turnSpec !== undefined && !(faulted && turn.failure !== undefined)) components.push(component(`${label} expectations`, checkTurn(turnSpec, turn.reply, turn.toolCalls)));
    const grounded = groundedFigures({ toolOutputs: outputs, toolInputs: inputs, userTexts });
    const violations = checkReply(turn.reply, { grounded, catalog: options.catalog, conversationId: run.conversationId });
    const policy = checkPolicy(turn.reply).map((p) => `[kb-policy] states ${p}`);
    policy.push(...checkClosingReply(turn.reply, turn.toolCalls));
    if (!scripted) components.push(component(`${label} invariants`, [...violations.map((v) => `[${v.rule}] ${v.detail}`), ...policy]));
    const wrong = turn.toolCalls.flatMap((call) => checkToolResult(call.name, call.input, call.output).map((p) => `${call.name}(${JSON.stringify(call.input)}): ${p}`));
    components.push(component(`${label} tool results`, wrong));
    if ((turn.channelProblems ?? []).length > 0 || (run.channel !== undefined && run.channel !== "agent")) components.push(component(`${label} channel ${run.channel ?? ""}`.trimEnd(), turn.channelProblems ?? []));
    if (spec.faults.length > 0) components.push(component(`${label} faults`, faultProblems(spec, run, i)));
    else if (turn.failure !== undefined) components.push(component(`${label} channel`, [`the turn failed with nothing injected: ${turn.failure.status ?? ""} ${turn.failure.code ?? ""} ${turn.failure.message ?? ""}`]));
  });
  components.push(component("stored results", checkStored(run.turns.flatMap((t) => t.toolCalls), run.storedQuotes)));
  const traceProblems =
    options.spans === undefined
      ? ["no trace found for this conversation"]
      : checkTrace(options.spans, { turns: spec.turns.length, toolCalls: expectedToolCounts(spec), turnBudgetMs: options.turnBudgetMs, faultInjected: spec.faults.length > 0, conversationId: run.conversationId });
  components.push(component("trace", traceProblems));
  return summarise(components);
};

const summarise = (components: ReadonlyArray<Component>): Grade => {
  const failed = components.filter((c) => !c.pass);
  return {
    pass: failed.length === 0,
    score: components.length === 0 ? 0 : (components.length - failed.length) / components.length,
    reason: failed.length === 0 ? `all ${components.length} checks passed` : failed.map((c) => c.reason).join(" | "),
    componentResults: components,
  };
};

/** A tool-level case: its expectations, the oracle, what it stored, and its spans. */
export const gradeToolCase = (
  spec: ToolCaseSpec,
  run: ToolCaseRun,
  stored: Readonly<Record<string, StoredQuoteRead>> | undefined,
  spans: ReadonlyArray<SpanView> | undefined,
): Grade => {
  const components: Component[] = [component("expectations", checkToolCase(spec, run))];
  if (run.schema === "accept" && run.output !== undefined) {
    components.push(component("oracle", checkToolResult(spec.tool, run.input, run.output)));
    components.push(component("stored results", checkStored([{ name: spec.tool, output: run.output }], stored)));
    components.push(component("spans", spans === undefined ? ["no trace found for this call"] : checkToolSpans(spans)));
  }
  return summarise(components);
};
