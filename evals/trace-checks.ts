/**
 * Checks on a conversation's trace: one `chat.turn` span per turn, no error span (but those of an
 * injected fault), a tool span for every expected tool call, every turn within its latency
 * budget, and under every tool call the tool's own spans with their key attributes, as recorded
 * from the tool registry in evals/tool-spans.json (`npm run eval:snapshot`). Works on spans from
 * promptfoo's trace store or from our own (in-process store, GET /v1/traces/:id).
 */
import { readFileSync } from "node:fs";
import { idKeyFromEnv } from "../observability/content-policy.ts";
import { carriesPersonalData, pseudonymousId } from "../observability/redaction.ts";

export interface SpanView {
  readonly name: string;
  readonly durationMs: number | undefined;
  readonly error: boolean;
  readonly statusMessage?: string | undefined;
  readonly spanId?: string | undefined;
  readonly parentSpanId?: string | undefined;
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
}

/** promptfoo's TraceSpan (startTime/endTime in ms, statusCode 2 = error). */
export const fromPromptfooSpan = (span: {
  name: string;
  startTime: number;
  endTime?: number;
  statusCode?: number;
  statusMessage?: string;
  spanId?: string;
  parentSpanId?: string;
  attributes?: Record<string, unknown>;
}): SpanView => ({
  name: span.name,
  durationMs: span.endTime === undefined ? undefined : span.endTime - span.startTime,
  error: span.statusCode === 2,
  statusMessage: span.statusMessage,
  spanId: span.spanId,
  parentSpanId: span.parentSpanId,
  attributes: span.attributes,
});

/** Our trace store's StoredSpan (observability/trace-store.ts), also what GET /v1/traces returns. */
export const fromStoredSpan = (span: {
  name: string;
  durationMs: number;
  status: string;
  statusMessage?: string | undefined;
  spanId?: string;
  parentSpanId?: string | undefined;
  attributes?: Record<string, unknown>;
}): SpanView => ({
  name: span.name,
  durationMs: span.durationMs,
  error: span.status === "error",
  statusMessage: span.statusMessage,
  spanId: span.spanId,
  parentSpanId: span.parentSpanId,
  attributes: span.attributes,
});

export const TURN_SPAN = "chat.turn";
export const TOOL_SPAN_PREFIX = "execute_tool ";
export const toolSpanName = (tool: string) => `${TOOL_SPAN_PREFIX}${tool}`;
/** Where the AI SDK puts a tool call's result on its span. */
export const TOOL_RESULT_ATTRIBUTE = "gen_ai.tool.call.result";

// ---------------------------------------------------------------- per-tool spans

/** A span a tool must produce under its call, and the attribute keys it must carry. */
export interface SpanExpectation {
  readonly name: string;
  readonly attributes: ReadonlyArray<string>;
}

/** How a tool call ended, as far as its spans go. */
export type ToolOutcome = "ok" | "rejected";

/** Tool name → outcome → the spans every such call produces (evals/tool-spans.json). */
export type ToolSpanTable = Readonly<Record<string, Partial<Record<ToolOutcome, ReadonlyArray<SpanExpectation>>>>>;

export const TOOL_SPANS_FILE = new URL("./tool-spans.json", import.meta.url).pathname;

let table: ToolSpanTable | undefined;
export const toolSpanTable = (): ToolSpanTable => (table ??= JSON.parse(readFileSync(TOOL_SPANS_FILE, "utf8")) as ToolSpanTable);

/** A tool result's outcome: "ok", "rejected" (an explained refusal) or undefined (the tool was unavailable). */
export const outcomeOf = (result: unknown): ToolOutcome | undefined => {
  let value = result;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return "ok";
    }
  }
  if (typeof value !== "object" || value === null) return "ok";
  const record = value as { ok?: unknown; error?: { code?: unknown } };
  if (record.ok !== false) return "ok";
  return record.error?.code === "tool_unavailable" || record.error?.code === "tool_error" ? undefined : "rejected";
};

const descendants = (spans: ReadonlyArray<SpanView>, root: SpanView): SpanView[] => {
  const out: SpanView[] = [];
  const frontier = [root.spanId];
  while (frontier.length > 0) {
    const id = frontier.pop();
    for (const span of spans)
      if (span.parentSpanId !== undefined && span.parentSpanId === id) {
        out.push(span);
        frontier.push(span.spanId);
      }
  }
  return out;
};

/** Under every tool call span: the spans (and attribute keys) its tool always produces for that outcome. */
export const checkToolSpans = (spans: ReadonlyArray<SpanView>, expected: ToolSpanTable = toolSpanTable()): string[] => {
  const problems: string[] = [];
  for (const call of spans.filter((span) => span.name.startsWith(TOOL_SPAN_PREFIX))) {
    const tool = call.name.slice(TOOL_SPAN_PREFIX.length);
    const entry = expected[tool];
    if (entry === undefined) {
      problems.push(`no recorded spans for tool ${tool}: run npm run eval:snapshot`);
      continue;
    }
    if (call.spanId === undefined) continue;
    const outcome = outcomeOf(call.attributes?.[TOOL_RESULT_ATTRIBUTE]);
    if (outcome === undefined) continue;
    const required = entry[outcome] ?? [];
    const below = descendants(spans, call);
    for (const want of required) {
      const found = below.filter((span) => span.name === want.name);
      if (found.length === 0) {
        problems.push(`${call.name} (${outcome}) has no "${want.name}" span below it`);
        continue;
      }
      const missing = want.attributes.filter((key) => !found.some((span) => span.attributes !== undefined && key in span.attributes));
      if (missing.length > 0) problems.push(`${call.name}: span "${want.name}" lacks ${missing.join(", ")}`);
    }
  }
  return problems;
};

// ---------------------------------------------------------------- the conversation's trace

/**
 * The spans of one conversation: without the turns of other conversations (and everything under
 * them) that a shared trace may hold.
 */
export const ownConversation = (spans: ReadonlyArray<SpanView>, conversationId: string | undefined): SpanView[] => {
  if (conversationId === undefined) return [...spans];
  // Telemetry carries a pseudonym for ids with a phone number (WhatsApp; observability/content-policy.ts).
  const own = new Set([conversationId, pseudonymousId(conversationId, idKeyFromEnv())]);
  const foreign = spans.filter((s) => s.name === TURN_SPAN && typeof s.attributes?.["chat.conversation_id"] === "string" && !own.has(s.attributes["chat.conversation_id"]));
  if (foreign.length === 0) return [...spans];
  const drop = new Set<SpanView>(foreign);
  for (const turn of foreign) for (const span of descendants(spans, turn)) drop.add(span);
  return spans.filter((s) => !drop.has(s));
};

export interface TraceExpectations {
  readonly turns: number;
  /** Tool name → how many calls the conversation expects at least. */
  readonly toolCalls: ReadonlyMap<string, number>;
  readonly turnBudgetMs: number;
  /** Error spans are expected (an injected fault), and a channel may retry a failed turn. */
  readonly faultInjected?: boolean;
  /** The conversation's id as the channel encoded it (chat.turn spans of other conversations are ignored). */
  readonly conversationId?: string;
}

export const checkTrace = (all: ReadonlyArray<SpanView>, expected: TraceExpectations): string[] => {
  const problems: string[] = [];
  const spans = ownConversation(all, expected.conversationId);
  const turns = spans.filter((span) => span.name === TURN_SPAN);
  // A channel may retry a turn that failed (an injected fault): more turn spans are fine then.
  if (expected.faultInjected ? turns.length < expected.turns : turns.length !== expected.turns) problems.push(`${turns.length} ${TURN_SPAN} spans for ${expected.turns} turns`);
  const errors = spans.filter((span) => span.error);
  if (errors.length > 0 && !expected.faultInjected) problems.push(`error spans: ${errors.map((span) => `${span.name}${span.statusMessage ? ` (${span.statusMessage})` : ""}`).join(", ")}`);
  for (const [tool, count] of expected.toolCalls) {
    const found = spans.filter((span) => span.name === toolSpanName(tool)).length;
    if (found < count) problems.push(`${found} "${toolSpanName(tool)}" spans, expected at least ${count}`);
  }
  // An injected timeout makes a turn slow on purpose: the budget is for turns that go well.
  const slow = expected.faultInjected ? [] : turns.filter((span) => span.durationMs !== undefined && span.durationMs > expected.turnBudgetMs);
  if (slow.length > 0) problems.push(`turns over the ${expected.turnBudgetMs} ms budget: ${slow.map((span) => `${Math.round(span.durationMs!)} ms`).join(", ")}`);
  problems.push(...checkToolSpans(spans));
  problems.push(...checkPersonalData(spans));
  return problems;
};

/**
 * No phone number or licence plate in any span (names, attributes, status messages): the content
 * policy (observability/content-policy.ts) redacts them before a span is stored or exported.
 */
export const checkPersonalData = (spans: ReadonlyArray<SpanView>): string[] => {
  const problems: string[] = [];
  for (const span of spans) {
    // Text only: numbers (durations, counts, ids) are not what people type.
    const texts = Object.entries(span.attributes ?? {}).flatMap(([key, value]) => (typeof value === "string" ? [`${key}=${value}`] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").map((v) => `${key}=${v}`) : []));
    const leaks = [span.name, span.statusMessage ?? "", ...texts].filter(carriesPersonalData);
    if (leaks.length > 0) problems.push(`span "${span.name}" carries a phone number or plate: ${leaks.map((leak) => leak.slice(0, 80)).join("; ")}`);
  }
  return problems;
};
