/**
 * promptfoo javascript assertion (file://evals/assert-conversation.ts): grades what the provider
 * played against its spec (in the assertion's config): a golden conversation, or a tool-level
 * case. Spans come from the provider when it could read our trace store (HTTP target, or our
 * tracer was the global one), else from promptfoo's trace of the test.
 */
import { writeFileSync } from "node:fs";
import type { AssertionValueFunctionContext, GradingResult } from "promptfoo";
import { catalogIndex } from "./catalog.ts";
import type { ConversationSpec } from "./conversation-spec.ts";
import type { ConversationRun } from "./conversation-run.ts";
import { gradeConversation, gradeToolCase, type Grade } from "./grade.ts";
import { defaultTurnBudgetMs } from "./settings.ts";
import type { StoredQuoteRead } from "./stored-checks.ts";
import type { ToolCaseRun, ToolCaseSpec } from "./tool-cases.ts";
import { fromPromptfooSpan, type SpanView } from "./trace-checks.ts";

const asResult = (grade: Grade): GradingResult => ({ pass: grade.pass, score: grade.score, reason: grade.reason, componentResults: grade.componentResults.map((c) => ({ ...c })) });

/**
 * `npm run eval:mutants` stops a run at its first failure: the first failing test (not failing at
 * baseline) is written to EVAL_FAIL_FAST_FILE, which the runner watches.
 */
const reportFirstFailure = (context: AssertionValueFunctionContext, result: GradingResult): GradingResult => {
  const marker = process.env.EVAL_FAIL_FAST_FILE;
  if (marker === undefined || result.pass) return result;
  const vars = (context.test?.vars ?? context.vars ?? {}) as Record<string, unknown>;
  const id = String(vars.conversation ?? "unknown");
  const ignored = JSON.parse(process.env.EVAL_FAIL_FAST_IGNORE ?? "[]") as string[];
  if (ignored.includes(id)) return result;
  try {
    writeFileSync(marker, `${id}\n${result.reason}`, { flag: "wx" });
  } catch {
    // another test failed first
  }
  return result;
};

export default function assertConversation(output: string, context: AssertionValueFunctionContext): GradingResult {
  return reportFirstFailure(context, grade(output, context));
}

function grade(_output: string, context: AssertionValueFunctionContext): GradingResult {
  const metadata = context.providerResponse?.metadata as { run?: ConversationRun; toolRun?: ToolCaseRun; storedQuotes?: Record<string, StoredQuoteRead>; spans?: SpanView[] } | undefined;
  const promptfooSpans = context.trace?.spans?.map(fromPromptfooSpan);
  if (context.config?.contract === true) {
    const result = (context.providerResponse?.metadata as { contract?: { problems: string[] } } | undefined)?.contract;
    if (result === undefined) return { pass: false, score: 0, reason: `the request was not made${context.providerResponse?.error ? `: ${context.providerResponse.error}` : ""}` };
    return { pass: result.problems.length === 0, score: result.problems.length === 0 ? 1 : 0, reason: result.problems.length === 0 ? "channel contract: ok" : `channel contract: ${result.problems.join("; ")}` };
  }
  if (context.config?.wording === true) {
    const problems = (context.providerResponse?.metadata as { wording?: string[] } | undefined)?.wording;
    if (problems === undefined) return { pass: false, score: 0, reason: `the wording was not read${context.providerResponse?.error ? `: ${context.providerResponse.error}` : ""}` };
    return { pass: problems.length === 0, score: problems.length === 0 ? 1 : 0, reason: problems.length === 0 ? "wording: ok" : `wording: ${problems.join("; ")}` };
  }
  const toolCase = context.config?.toolCase as ToolCaseSpec | undefined;
  if (toolCase !== undefined) {
    if (metadata?.toolRun === undefined) return { pass: false, score: 0, reason: `the tool was not run${context.providerResponse?.error ? `: ${context.providerResponse.error}` : ""}` };
    return asResult(gradeToolCase(toolCase, metadata.toolRun, metadata.storedQuotes, metadata.spans ?? promptfooSpans));
  }
  const spec = context.config?.spec as ConversationSpec | undefined;
  const run = metadata?.run;
  if (spec === undefined) return { pass: false, score: 0, reason: "assertion config has no golden conversation spec" };
  if (run === undefined) return { pass: false, score: 0, reason: `no conversation came back from the provider${context.providerResponse?.error ? `: ${context.providerResponse.error}` : ""}` };
  const spans: ReadonlyArray<SpanView> | undefined = run.spans ?? promptfooSpans;
  return asResult(gradeConversation(spec, run, { catalog: catalogIndex(), spans, turnBudgetMs: (context.config?.turnBudgetMs as number | undefined) ?? defaultTurnBudgetMs() }));
}
