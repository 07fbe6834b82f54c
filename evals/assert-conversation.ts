/**
 * promptfoo javascript assertion (file://evals/assert-conversation.ts): grades the conversation
 * the provider played against its golden spec (in the assertion's config). Spans come from the
 * provider when it could read our trace store (HTTP target, or our tracer was the global one),
 * else from promptfoo's trace of the test.
 */
import type { AssertionValueFunctionContext, GradingResult } from "promptfoo";
import { catalogIndex } from "./catalog.ts";
import type { ConversationSpec } from "./conversation-spec.ts";
import type { ConversationRun } from "./conversation-run.ts";
import { gradeConversation } from "./grade.ts";
import { defaultTurnBudgetMs } from "./settings.ts";
import { fromPromptfooSpan, type SpanView } from "./trace-checks.ts";

export default function assertConversation(_output: string, context: AssertionValueFunctionContext): GradingResult {
  const spec = context.config?.spec as ConversationSpec | undefined;
  const run = context.providerResponse?.metadata?.run as ConversationRun | undefined;
  if (spec === undefined) return { pass: false, score: 0, reason: "assertion config has no golden conversation spec" };
  if (run === undefined) return { pass: false, score: 0, reason: `no conversation came back from the provider${context.providerResponse?.error ? `: ${context.providerResponse.error}` : ""}` };
  const spans: ReadonlyArray<SpanView> | undefined = run.spans ?? context.trace?.spans?.map(fromPromptfooSpan);
  const grade = gradeConversation(spec, run, { catalog: catalogIndex(), spans, turnBudgetMs: (context.config?.turnBudgetMs as number | undefined) ?? defaultTurnBudgetMs() });
  return { pass: grade.pass, score: grade.score, reason: grade.reason, componentResults: grade.componentResults.map((c) => ({ ...c })) };
}
