/** How an eval run is configured, from environment variables (documented in evals/README.md). */

/** Where the conversations run: "in-process" (default) or the URL in EVAL_TARGET. */
export const evalTarget = (): string => {
  const target = process.env.EVAL_TARGET?.trim();
  return target === undefined || target === "" ? "in-process" : target.replace(/\/$/, "");
};

/** In-process: the offline model unless a real one is configured; EVAL_MODEL=offline forces it. */
export const usesConfiguredModel = (): boolean =>
  process.env.EVAL_MODEL !== "offline" && Boolean(process.env.OPENAI_API_KEY?.trim() || process.env.OPENAI_BASE_URL?.trim());

/** A live (non-deterministic) model answers: a configured one, or whatever a remote server runs. */
export const isLiveRun = (): boolean => usesConfiguredModel() || evalTarget() !== "in-process";

/** Per-turn latency budget: EVAL_TURN_BUDGET_MS, or 5 s for the offline model and 30 s for a live one. */
export const defaultTurnBudgetMs = (): number => {
  const fromEnv = Number(process.env.EVAL_TURN_BUDGET_MS);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return isLiveRun() ? 30_000 : 5_000;
};

/** Model-graded checks need a grader: OpenAI through OPENAI_API_KEY. */
export const hasGraderKey = (): boolean => Boolean(process.env.OPENAI_API_KEY?.trim());
