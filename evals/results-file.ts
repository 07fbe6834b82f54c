/** Reading promptfoo's JSON results (-o results.json) into per-conversation outcomes. */
import { readFileSync } from "node:fs";

interface RawResult {
  readonly success: boolean;
  readonly error?: string | null;
  readonly vars?: Record<string, unknown>;
  readonly testCase?: { readonly vars?: Record<string, unknown>; readonly description?: string; readonly metadata?: Record<string, unknown> };
  readonly gradingResult?: { readonly reason?: string; readonly componentResults?: ReadonlyArray<{ readonly pass: boolean; readonly reason?: string }> } | null;
  readonly response?: { readonly output?: unknown; readonly metadata?: { readonly run?: { readonly model?: string } } } | null;
  readonly repeatIndex?: number;
  readonly latencyMs?: number;
}

export interface Attempt {
  readonly pass: boolean;
  /** Why it failed: the failing checks, or the provider's error. */
  readonly reasons: ReadonlyArray<string>;
  readonly output: string;
  readonly model: string | undefined;
  readonly latencyMs: number | undefined;
}

export interface ConversationOutcome {
  readonly id: string;
  readonly description: string;
  /** Why the conversation is pending (played with --pending, never gating), when it is. */
  readonly pending: string | undefined;
  readonly attempts: ReadonlyArray<Attempt>;
}

export interface ResultsFile {
  readonly evalId: string | undefined;
  readonly createdAt: string | undefined;
  readonly conversations: ReadonlyMap<string, ConversationOutcome>;
}

const failingReasons = (result: RawResult): string[] => {
  if (result.error) return [String(result.error)];
  const components = result.gradingResult?.componentResults ?? [];
  const failing = components.filter((c) => !c.pass).map((c) => c.reason ?? "failed");
  // The javascript grader's own summary repeats its failing components: keep each reason once.
  const unique = [...new Set(failing)].filter((reason, _, all) => !all.some((other) => other !== reason && other.includes(reason) && other.includes(" | ")));
  return result.success ? [] : unique.length > 0 ? unique : [result.gradingResult?.reason ?? "failed"];
};

export const readResults = (path: string): ResultsFile => {
  const raw = JSON.parse(readFileSync(path, "utf8")) as { evalId?: string; results?: { timestamp?: string; results?: RawResult[] } };
  const conversations = new Map<string, { id: string; description: string; pending: string | undefined; attempts: Attempt[] }>();
  for (const result of raw.results?.results ?? []) {
    const vars = result.testCase?.vars ?? result.vars ?? {};
    const id = String(vars.conversation ?? result.testCase?.description ?? "unknown");
    const pending = result.testCase?.metadata?.pending;
    const entry = conversations.get(id) ?? { id, description: result.testCase?.description ?? id, pending: typeof pending === "string" ? pending : undefined, attempts: [] };
    entry.attempts.push({
      pass: result.success,
      reasons: failingReasons(result),
      output: typeof result.response?.output === "string" ? result.response.output : JSON.stringify(result.response?.output ?? ""),
      model: result.response?.metadata?.run?.model,
      latencyMs: result.latencyMs,
    });
    conversations.set(id, entry);
  }
  return { evalId: raw.evalId, createdAt: raw.results?.timestamp, conversations };
};

export const passCount = (outcome: ConversationOutcome): number => outcome.attempts.filter((a) => a.pass).length;
