/**
 * Checks on a conversation's trace: one `chat.turn` span per turn, no error span, a tool span for
 * every expected tool call, every turn within its latency budget. Works on spans from promptfoo's
 * trace store or from our own (in-process store, GET /v1/traces/:id).
 */

export interface SpanView {
  readonly name: string;
  readonly durationMs: number | undefined;
  readonly error: boolean;
  readonly statusMessage?: string | undefined;
}

/** promptfoo's TraceSpan (startTime/endTime in ms, statusCode 2 = error). */
export const fromPromptfooSpan = (span: { name: string; startTime: number; endTime?: number; statusCode?: number; statusMessage?: string }): SpanView => ({
  name: span.name,
  durationMs: span.endTime === undefined ? undefined : span.endTime - span.startTime,
  error: span.statusCode === 2,
  statusMessage: span.statusMessage,
});

/** Our trace store's StoredSpan (observability/trace-store.ts), also what GET /v1/traces returns. */
export const fromStoredSpan = (span: { name: string; durationMs: number; status: string; statusMessage?: string | undefined }): SpanView => ({
  name: span.name,
  durationMs: span.durationMs,
  error: span.status === "error",
  statusMessage: span.statusMessage,
});

export const TURN_SPAN = "chat.turn";
export const toolSpanName = (tool: string) => `execute_tool ${tool}`;

export interface TraceExpectations {
  readonly turns: number;
  /** Tool name → how many calls the conversation expects at least. */
  readonly toolCalls: ReadonlyMap<string, number>;
  readonly turnBudgetMs: number;
}

export const checkTrace = (spans: ReadonlyArray<SpanView>, expected: TraceExpectations): string[] => {
  const problems: string[] = [];
  const turns = spans.filter((span) => span.name === TURN_SPAN);
  if (turns.length !== expected.turns) problems.push(`${turns.length} ${TURN_SPAN} spans for ${expected.turns} turns`);
  const errors = spans.filter((span) => span.error);
  if (errors.length > 0) problems.push(`error spans: ${errors.map((span) => `${span.name}${span.statusMessage ? ` (${span.statusMessage})` : ""}`).join(", ")}`);
  for (const [tool, count] of expected.toolCalls) {
    const found = spans.filter((span) => span.name === toolSpanName(tool)).length;
    if (found < count) problems.push(`${found} "${toolSpanName(tool)}" spans, expected at least ${count}`);
  }
  const slow = turns.filter((span) => span.durationMs !== undefined && span.durationMs > expected.turnBudgetMs);
  if (slow.length > 0) problems.push(`turns over the ${expected.turnBudgetMs} ms budget: ${slow.map((span) => `${Math.round(span.durationMs!)} ms`).join(", ")}`);
  return problems;
};
