/**
 * `npm run eval`: runs the golden conversations with promptfoo, offline and without telemetry,
 * writes JSON, JUnit and HTML under evals/results/, prints what failed and exits non-zero when any
 * conversation fails. Options (after `--`):
 *   --only <id[,id|glob*]>   run just these conversations
 *   --repeat <N>             play each conversation N times (offline: the N runs must be identical)
 *   --min-passes <k>         with --repeat: a conversation passes when k of its N runs pass (default N)
 *   --pending                also play the conversations marked `pending` (reported, never gating)
 *   --out <dir>              where results go (default evals/results)
 *   -j <n>                   tests in parallel in each promptfoo process (default 8)
 *   --shards <n>             promptfoo processes the tests are split over (default 1)
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { passCount, readResults } from "./results-file.ts";
import { evalTarget, hasGraderKey, isLiveRun } from "./settings.ts";
import { failingTurnTraces, traceLinkLines, type TurnLink } from "./trace-links.ts";
import { runShards } from "./shards.ts";

const ROOT = resolve(import.meta.dirname, "..");
/** Runs kept in evals/results/history/ for eval:compare. */
const HISTORY_KEPT = 20;

interface Options {
  only?: string;
  repeat: number;
  minPasses?: number;
  out: string;
  concurrency: number;
  pending: boolean;
  /** promptfoo processes the gate is split over (default 1). */
  shards?: number;
  /** Also write the results to promptfoo's database, for `promptfoo view` (off by default: slower). */
  promptfooDb?: boolean;
  extra: string[];
}

const parseArgs = (argv: ReadonlyArray<string>): Options => {
  const options: Options = { repeat: 1, out: join(ROOT, "evals/results"), concurrency: 8, pending: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--only") options.only = value();
    else if (arg === "--repeat") options.repeat = Number(value());
    else if (arg === "--min-passes") options.minPasses = Number(value());
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "-j" || arg === "--max-concurrency") options.concurrency = Number(value());
    else if (arg === "--pending") options.pending = true;
    else if (arg === "--shards") options.shards = Number(value());
    else if (arg === "--promptfoo-db") options.promptfooDb = true;
    else options.extra.push(arg);
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) throw new Error("--repeat must be a positive integer");
  if (options.shards !== undefined && !(Number.isInteger(options.shards) && options.shards >= 1)) throw new Error("--shards must be a positive integer");
  if (options.minPasses !== undefined && !(Number.isInteger(options.minPasses) && options.minPasses >= 1 && options.minPasses <= options.repeat))
    throw new Error("--min-passes must be between 1 and --repeat");
  return options;
};

/** promptfoo offline: no telemetry, no update check, its database and cache inside the repo. */
export const promptfooEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PROMPTFOO_DISABLE_TELEMETRY: "1",
  PROMPTFOO_DISABLE_UPDATE: "1",
  PROMPTFOO_DISABLE_SHARING: "1",
  PROMPTFOO_CONFIG_DIR: process.env.PROMPTFOO_CONFIG_DIR ?? join(ROOT, ".promptfoo"),
  // The grader reads spans from the in-process store; promptfoo's copy is for `promptfoo view` only,
  // so an assertion never waits for its batched export (1 fetch instead of up to 6 × 250 ms).
  PROMPTFOO_TRACE_FETCH_MAX_ATTEMPTS: process.env.PROMPTFOO_TRACE_FETCH_MAX_ATTEMPTS ?? "1",
  EVAL_RUNNER: "1",
  // The gate injects faults on purpose, so the app's logs are noise here; failures are reported by
  // the gate itself, with trace ids. EVAL_LOG_LEVEL=debug (or LOG_LEVEL) shows them.
  LOG_LEVEL: process.env.LOG_LEVEL ?? (process.env.EVAL_LOG_LEVEL === "debug" ? "debug" : "silent"),
  ...extra,
});

export const runPromptfoo = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd = ROOT, quiet = false): Promise<number> =>
  new Promise((resolveExit, reject) => {
    const entry = join(cwd, "node_modules/promptfoo/dist/src/entrypoint.js");
    const child = spawn(process.execPath, [entry, ...args], { cwd, env, stdio: quiet ? ["ignore", "ignore", "pipe"] : "inherit" });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-4000)));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (quiet && code !== 0 && code !== 100) process.stderr.write(stderr);
      resolveExit(code ?? (signal ? 1 : 0));
    });
  });

/** The model that will answer: the offline one is deterministic, anything else is live. */
const describeModel = async (): Promise<string> => {
  const target = evalTarget();
  if (target === "in-process") return isLiveRun() ? "configured (OPENAI_API_KEY / OPENAI_BASE_URL)" : "offline (deterministic)";
  const health = await fetch(`${target}/health`).then((r) => r.json() as Promise<{ dependencies?: { model?: { detail?: string } } }>).catch(() => undefined);
  return health?.dependencies?.model?.detail ?? "unknown (server /health did not say)";
};

const main = async () => {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.out, { recursive: true });
  const files = { json: join(options.out, "results.json"), junit: join(options.out, "results.junit.xml"), html: join(options.out, "results.html") };
  for (const file of Object.values(files)) rmSync(file, { force: true });
  const model = await describeModel();
  const live = !model.startsWith("offline");
  console.log(`[evals] target: ${evalTarget()} · model: ${model} · repeat: ${options.repeat}`);
  if (!hasGraderKey()) console.log("[evals] model-graded checks (tone, helpfulness): SKIPPED, no OPENAI_API_KEY");

  const started = Date.now();
  const args = (outputs: { json: string; junit: string; html: string }) => [
    "eval",
    "-c", join(ROOT, "promptfoo.config.yaml"),
    "-o", outputs.json, outputs.junit, outputs.html,
    "-j", String(options.concurrency),
    "--repeat", String(options.repeat),
    "--no-cache", "--no-table", "--no-progress-bar",
    // promptfoo's own database (for `promptfoo view`) cost a fifth of the gate's time (libsql + drizzle
    // writing every result); the gate reads its results from the output files. --promptfoo-db keeps it.
    ...(options.promptfooDb ? [] : ["--no-write"]),
    ...options.extra,
  ];
  const env = { ...(options.only ? { EVAL_ONLY: options.only } : {}), ...(options.pending ? { EVAL_PENDING: "1" } : {}) };
  // In process, the app and the graders share promptfoo's one thread: --shards N splits the gate over
  // N promptfoo processes (evals/shards.ts), and their results are merged.
  // Default 1: on 2 cores, two processes (each loading the app, its database and OCR workers) were no faster.
  const shards = options.shards ?? 1;
  const code =
    shards <= 1
      ? await runPromptfoo(args(files), promptfooEnv(env))
      : await runShards(shards, options.out, files, (i, outputs) => runPromptfoo(args(outputs), promptfooEnv({ ...env, EVAL_SHARD: `${i}/${shards}` })));
  const seconds = (Date.now() - started) / 1000;
  if (!existsSync(files.json)) {
    console.error(`[evals] promptfoo exited with ${code} and wrote no results`);
    process.exit(code === 0 ? 1 : code);
  }
  if (code !== 0 && code !== 100) console.error(`[evals] promptfoo exited with ${code}`);

  const results = readResults(files.json);
  const minPasses = options.minPasses ?? options.repeat;
  const all = [...results.conversations.values()].map((outcome) => {
    const passes = passCount(outcome);
    const distinct = new Set(outcome.attempts.map((a) => a.output)).size;
    return { outcome, passes, distinct, gatePass: passes >= minPasses && (live || distinct === 1) };
  });
  const pending = all.filter((row) => row.outcome.pending !== undefined);
  for (const row of pending)
    console.log(`[evals] pending ${row.outcome.id}: ${row.gatePass ? "PASSES NOW: remove its `pending` line" : "still fails"} (${row.outcome.pending})`);
  const rows = all.filter((row) => row.outcome.pending === undefined);
  const failed = rows.filter((row) => !row.gatePass);
  // Each failing turn's trace id and its inspector URL (evals/trace-links.ts).
  const turnTraces = failed.length > 0 ? failingTurnTraces(files.json) : new Map<string, TurnLink[][]>();
  const inspectorBase = evalTarget() === "in-process" ? "http://localhost:3000" : evalTarget();
  for (const row of failed) {
    console.log(`\n✗ ${row.outcome.id} (${row.passes}/${row.outcome.attempts.length} passed${row.distinct > 1 ? `, ${row.distinct} different transcripts` : ""})`);
    const reasons = [...new Set(row.outcome.attempts.flatMap((a) => a.reasons))];
    for (const reason of reasons.slice(0, 6)) console.log(`    ${reason.slice(0, 400)}`);
    for (const line of traceLinkLines(turnTraces.get(row.outcome.id)?.find((turns) => turns.length > 0) ?? [], reasons, inspectorBase)) console.log(line);
  }
  if (failed.length > 0 && evalTarget() === "in-process")
    console.log("\n[evals] trace links: in process the gate's traces live only while it runs; to open them in the inspector, run the gate against a server (`ADMIN_API_KEYS=… npm start`, then `EVAL_TARGET=http://localhost:3000 npm run eval`).");
  const nondeterministic = rows.filter((row) => row.distinct > 1).length;
  const summary = {
    evalId: results.evalId,
    target: evalTarget(),
    live,
    repeat: options.repeat,
    minPasses,
    conversations: rows.length,
    passed: rows.length - failed.length,
    failed: failed.map((row) => row.outcome.id),
    pending: pending.map((row) => ({ id: row.outcome.id, passesNow: row.gatePass, why: row.outcome.pending })),
    nondeterministic,
    seconds,
  };
  writeFileSync(join(options.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  // Keep every run for `npm run eval:compare` (newest two by default).
  const history = join(options.out, "history");
  mkdirSync(history, { recursive: true });
  copyFileSync(files.json, join(history, `${new Date().toISOString().replace(/[:.]/g, "-")}-${live ? "live" : "offline"}.json`));
  const kept = readdirSync(history).filter((f) => f.endsWith(".json")).sort();
  for (const old of kept.slice(0, Math.max(0, kept.length - HISTORY_KEPT))) rmSync(join(history, old));

  const gate = options.repeat > 1 ? ` (gate: ${minPasses} of ${options.repeat} runs${live ? "" : ", identical transcripts"})` : "";
  console.log(`\n[evals] ${summary.passed}/${rows.length} conversations passed${gate} in ${seconds.toFixed(1)} s`);
  if (options.repeat > 1) console.log(`[evals] repeat: ${rows.length - nondeterministic}/${rows.length} conversations gave identical transcripts in all ${options.repeat} runs`);
  console.log(`[evals] results: ${Object.values(files).map((f) => relative(ROOT, f)).join(", ")}`);
  process.exit(failed.length === 0 && rows.length > 0 && (code === 0 || code === 100) ? 0 : 1);
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[evals] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
