/**
 * `npm run eval:mutants`: the release gate's own test. In scratch copies of the repository it runs
 * the gate (the whole `npm run eval` suite: golden conversations on every channel, tool-level
 * cases, wording and channel contracts) once as is (baseline), then once per mutant with the
 * mutant applied. A mutant is killed when a test that passed at baseline fails (the run stops at
 * the first such failure) or the suite cannot finish. Mutants: the hand-written regressions of
 * mutants.ts and the generator's systematic ones (generate.ts). Survivors are reported with the
 * reason they are equivalent when equivalents.ts gives one. Writes evals/mutants/results.json
 * (full runs only); exits non-zero when a mutant survives without a documented reason.
 *
 * Options: --only <id,id|prefix*>  --hand | --generated  --parallel <n> (default 2)
 *          --list (print the mutants)  --keep (keep the copies)  --timeout <s> (default 300)
 *          --confirm (play each kill's failing test again alone; automatic while the load average
 *          exceeds twice the cores)
 *          --base <rev> --overlay <path,folder/>  (copy a commit's tree plus these working files,
 *          instead of the whole working tree: for a run while others edit the shared tree)
 */
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readResults, type ResultsFile } from "../results-file.ts";
import { promptfooEnv } from "../run.ts";
import { equivalenceOf } from "./equivalents.ts";
import { generateMutants, type GeneratedMutant } from "./generate.ts";
import { MUTANTS, type Mutant } from "./mutants.ts";
import { makeScratchCopy, type CopySource, type ScratchCopy } from "./scratch-copy.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const RESULTS = join(ROOT, "evals/mutants/results.json");

const occurrences = (text: string, find: string): number => text.split(find).length - 1;

/** Every replacement must find its text exactly once, or the mutant no longer targets real code. */
export const staleReplacements = (mutants: ReadonlyArray<Mutant>, read: (file: string) => string | undefined): string[] =>
  mutants.flatMap((mutant) =>
    mutant.replacements.flatMap((r) => {
      const text = read(r.file);
      if (text === undefined) return [`${mutant.id}: ${r.file} does not exist`];
      const count = occurrences(text, r.find);
      return count === 1 ? [] : [`${mutant.id}: ${r.file} contains ${JSON.stringify(r.find)} ${count} times (expected once)`];
    }),
  );

interface SuiteRun {
  readonly results: ResultsFile | undefined;
  readonly seconds: number;
  /** The first test that failed, when the run stopped there (fail-fast). */
  readonly firstFailure: { readonly id: string; readonly reason: string } | undefined;
  readonly timedOut: boolean;
  readonly code: number;
}

/**
 * Runs the suite in a copy. With `failFast`, the grader writes the first test that fails (and
 * was passing at baseline) to a marker file, and the run is stopped there.
 */
const runSuite = (copy: ScratchCopy, label: string, options: { failFast?: ReadonlyArray<string>; timeoutSeconds: number; only?: string }): Promise<SuiteRun> =>
  new Promise((resolveRun, reject) => {
    const out = join(copy.dir, "evals/results/mutants");
    mkdirSync(out, { recursive: true });
    const json = join(out, `${label}.json`);
    const marker = join(out, `${label}.first-failure`);
    rmSync(json, { force: true });
    rmSync(marker, { force: true });
    const started = Date.now();
    const env = promptfooEnv({
      PROMPTFOO_CONFIG_DIR: join(copy.dir, ".promptfoo"),
      EVAL_MODEL: "offline",
      EVAL_TARGET: "",
      ...(options.failFast ? { EVAL_FAIL_FAST_FILE: marker, EVAL_FAIL_FAST_IGNORE: JSON.stringify(options.failFast) } : {}),
      ...(options.only ? { EVAL_ONLY: options.only } : {}),
    });
    const entry = join(copy.dir, "node_modules/promptfoo/dist/src/entrypoint.js");
    const child = spawn(process.execPath, [entry, "eval", "-c", join(copy.dir, "promptfoo.config.yaml"), "-o", json, "-j", "8", "--no-cache", "--no-table", "--no-progress-bar"], {
      cwd: copy.dir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-4000)));
    let stopped: "failure" | "timeout" | undefined;
    const stop = (why: "failure" | "timeout") => {
      if (stopped !== undefined || child.pid === undefined) return;
      stopped = why;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const poll = setInterval(() => {
      if (options.failFast && existsSync(marker)) stop("failure");
    }, 200);
    const timer = setTimeout(() => stop("timeout"), options.timeoutSeconds * 1000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      const [id, ...reason] = existsSync(marker) ? readFileSync(marker, "utf8").split("\n") : [];
      const firstFailure = id ? { id, reason: reason.join(" ").slice(0, 400) } : undefined;
      const results = stopped === undefined && existsSync(json) ? readResults(json) : undefined;
      if (stopped === undefined && results === undefined && code !== 0 && code !== 100) process.stderr.write(`[mutants] ${label}: promptfoo exited with ${code}\n${stderr}`);
      resolveRun({ results, seconds, firstFailure, timedOut: stopped === "timeout", code: code ?? 1 });
    });
  });

/** A failure that can come from a busy machine rather than the code: a latency budget, a wait, a dropped connection. */
const TIMING = /budget|within \d+ ?ms|did not answer|was not called|timed out|did not finish|nothing was delivered|fetch failed/i;

/** More runnable work than twice the cores: tests can fail for want of CPU in ways no budget names. */
const machineIsBusy = (): boolean => loadavg()[0]! > 2 * availableParallelism();

/**
 * Runs the suite on a mutated copy until its first failure. A failure that only says something
 * was slow, or any failure while the machine is busy (or with --confirm), is confirmed by playing
 * that test again alone; if it passes then, it is set aside and the suite runs again without it
 * (at most twice), so a busy machine kills no mutant.
 */
const runMutated = async (copy: ScratchCopy, label: string, ignore: ReadonlyArray<string>, timeoutSeconds: number, confirmAll: boolean): Promise<SuiteRun & { readonly setAside: string[] }> => {
  const setAside: string[] = [];
  let seconds = 0;
  for (let attempt = 0; ; attempt++) {
    const run = await runSuite(copy, `${label}${attempt ? `-${attempt}` : ""}`, { failFast: [...ignore, ...setAside], timeoutSeconds });
    seconds += run.seconds;
    const first = run.firstFailure;
    if (first === undefined || attempt >= 2 || !(TIMING.test(first.reason) || confirmAll || machineIsBusy())) return { ...run, seconds, setAside };
    const again = await runSuite(copy, `${label}-confirm-${attempt}`, { failFast: ignore, timeoutSeconds, only: first.id });
    seconds += again.seconds;
    if (again.firstFailure !== undefined) return { ...run, seconds, setAside };
    setAside.push(first.id);
  }
};

const failingIds = (results: ResultsFile): string[] =>
  [...results.conversations.values()].filter((c) => c.pending === undefined && c.attempts.some((a) => !a.pass)).map((c) => c.id).sort();

export interface MutantReport {
  readonly id: string;
  readonly kind: "hand" | "generated";
  readonly regression: string;
  readonly files: ReadonlyArray<string>;
  readonly operator?: string;
  readonly killed: boolean;
  /** The first test that failed (fail-fast), or all newly failing tests of a full run. */
  readonly caughtBy: ReadonlyArray<string>;
  readonly example?: string | undefined;
  /** For a survivor: why it is equivalent (no behaviour a user or the stored data could see changes). */
  readonly equivalent?: string | undefined;
  readonly seconds: number;
}

export interface MutantRunOptions {
  readonly mutants: ReadonlyArray<Mutant>;
  readonly keep?: boolean;
  readonly parallel?: number;
  readonly timeoutSeconds?: number;
  /** Where the report goes (undefined: not written). */
  readonly resultsPath?: string;
  /** The commit the report names (default: the repository's HEAD when the run ends). */
  readonly commit?: string;
  /** Changes the copies before the baseline (e.g. to try the mutants against a pending fix). */
  readonly prepare?: (copy: ScratchCopy) => void;
  /** What the copies are made of (default: the working tree). */
  readonly source?: CopySource;
  /** Confirm every kill by playing its failing test again alone (always done while the machine is busy). */
  readonly confirm?: boolean;
}

const isGenerated = (m: Mutant): m is GeneratedMutant => "operator" in m;

/** Runs baseline and mutants; resolves to the exit code (0: every mutant killed or documented as equivalent). */
export const runMutants = async ({ mutants, keep = false, parallel = 2, timeoutSeconds = 300, resultsPath, commit, prepare, source, confirm = false }: MutantRunOptions): Promise<number> => {
  const started = Date.now();
  const copies = Array.from({ length: Math.max(1, Math.min(parallel, mutants.length)) }, () => makeScratchCopy(ROOT, undefined, source));
  if (source?.base !== undefined) console.log(`[mutants] copies of ${source.base} plus the working tree's ${(source.overlay ?? []).join(", ") || "(nothing)"}`);
  console.log(`[mutants] ${mutants.length} mutants, ${copies.length} scratch cop${copies.length === 1 ? "y" : "ies"}: ${copies.map((c) => c.dir).join(", ")}`);
  try {
    for (const copy of copies) prepare?.(copy);
    const stale = staleReplacements(mutants, (file) => (existsSync(join(copies[0]!.dir, file)) ? copies[0]!.read(file) : undefined));
    if (stale.length > 0) {
      console.error(`[mutants] these mutants no longer apply to the code; update evals/mutants/mutants.ts:\n  ${stale.join("\n  ")}`);
      return 2;
    }

    const baseline = await runSuite(copies[0]!, "baseline", { timeoutSeconds: timeoutSeconds * 2 });
    if (baseline.results === undefined) throw new Error("the baseline run wrote no results");
    const baselineFailing = failingIds(baseline.results);
    const total = baseline.results.conversations.size;
    console.log(`[mutants] baseline: ${total - baselineFailing.length}/${total} tests pass (${baseline.seconds.toFixed(0)} s)`);
    if (baselineFailing.length > 0) console.log(`[mutants] failing at baseline (not counted as catches): ${baselineFailing.join(", ")}`);

    const queue = [...mutants];
    const report: MutantReport[] = [];
    const worker = async (copy: ScratchCopy) => {
      for (let mutant = queue.shift(); mutant !== undefined; mutant = queue.shift()) {
        const originals = new Map(mutant.replacements.map((r) => [r.file, copy.read(r.file)]));
        for (const r of mutant.replacements) copy.write(r.file, copy.read(r.file).replace(r.find, () => r.replace));
        try {
          const run = await runMutated(copy, mutant.id, baselineFailing, timeoutSeconds, confirm);
          const newlyFailing = run.firstFailure
            ? [run.firstFailure.id]
            : run.results
              ? failingIds(run.results).filter((id) => !baselineFailing.includes(id) && !run.setAside.includes(id))
              : [];
          const missing = run.results !== undefined && run.results.conversations.size < total - 5 && newlyFailing.length === 0;
          const killed = newlyFailing.length > 0 || run.timedOut || (run.results === undefined && run.firstFailure === undefined) || missing;
          const example =
            run.firstFailure?.reason ??
            (run.timedOut ? `the gate did not finish within ${timeoutSeconds} s` : run.results === undefined ? "the gate crashed" : missing ? "tests are missing from the run" : run.results.conversations.get(newlyFailing[0] ?? "")?.attempts.find((a) => !a.pass)?.reasons[0]);
          const equivalent = killed ? undefined : equivalenceOf(mutant);
          console.log(`[mutants] ${killed ? "KILLED  " : equivalent ? "EQUIV.  " : "SURVIVED"} ${mutant.id} (${run.seconds.toFixed(0)} s)${killed ? `: ${newlyFailing[0] ?? ""} — ${(example ?? "").slice(0, 240)}` : ""}${run.setAside.length ? ` (slow, passed alone: ${run.setAside.join(", ")})` : ""}`);
          report.push({
            id: mutant.id,
            kind: isGenerated(mutant) ? "generated" : "hand",
            regression: mutant.regression,
            files: [...new Set(mutant.replacements.map((r) => r.file))],
            ...(isGenerated(mutant) ? { operator: mutant.operator } : {}),
            killed,
            caughtBy: newlyFailing.slice(0, 20),
            example: example?.slice(0, 300),
            ...(equivalent ? { equivalent } : {}),
            seconds: Math.round(run.seconds),
          });
        } finally {
          for (const [file, text] of originals) copy.write(file, text);
        }
      }
    };
    await Promise.all(copies.map(worker));

    const order = new Map(mutants.map((m, i) => [m.id, i]));
    report.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const killed = report.filter((m) => m.killed).length;
    const survivors = report.filter((m) => !m.killed);
    const undocumented = survivors.filter((m) => m.equivalent === undefined);
    const byLayer: Record<string, { total: number; killed: number }> = {};
    for (const m of report) {
      const layer = m.files[0]!.startsWith("models/") ? "models/offline" : m.files[0]!.split("/")[0]!;
      byLayer[layer] = { total: (byLayer[layer]?.total ?? 0) + 1, killed: (byLayer[layer]?.killed ?? 0) + (m.killed ? 1 : 0) };
    }
    const summary = {
      generatedAt: new Date().toISOString(),
      commit: commit ?? execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim(),
      tests: total,
      baseline: { passing: total - baselineFailing.length, failing: baselineFailing, seconds: Math.round(baseline.seconds) },
      total: report.length,
      killed,
      survivors: survivors.map((m) => ({ id: m.id, regression: m.regression, equivalent: m.equivalent ?? null })),
      /** Killed over all mutants. */
      score: report.length === 0 ? 0 : Math.round((killed / report.length) * 1000) / 10,
      /** Killed over the mutants that can be killed (the usual mutation score: documented equivalents left out). */
      scoreExcludingEquivalents: report.length - (survivors.length - undocumented.length) === 0 ? 0 : Math.round((killed / (report.length - (survivors.length - undocumented.length))) * 1000) / 10,
      equivalent: survivors.length - undocumented.length,
      byLayer,
      seconds: Math.round((Date.now() - started) / 1000),
      mutants: report,
    };
    if (resultsPath !== undefined) writeFileSync(resultsPath, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`[mutants] ${killed}/${report.length} killed (${summary.score}%; ${summary.equivalent} documented equivalent, score without them ${summary.scoreExcludingEquivalents}%) in ${summary.seconds} s; by layer: ${Object.entries(byLayer).map(([l, v]) => `${l} ${v.killed}/${v.total}`).join(", ")}`);
    for (const m of survivors) console.log(`[mutants] survivor ${m.id}: ${m.equivalent ? `equivalent: ${m.equivalent}` : "NOT EXPLAINED"}`);
    if (resultsPath !== undefined) console.log(`[mutants] written to ${resultsPath}`);
    return undocumented.length === 0 ? 0 : 1;
  } finally {
    if (keep) console.log(`[mutants] kept ${copies.map((c) => c.dir).join(", ")}`);
    else for (const copy of copies) copy.remove();
  }
};

const main = async () => {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  // A named revision is pinned to its commit at the start: HEAD may move while the run goes on.
  const baseArg = value("--base");
  const base = baseArg === undefined ? undefined : execFileSync("git", ["rev-parse", "--short", baseArg], { cwd: ROOT }).toString().trim();
  const overlay = value("--overlay")?.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (overlay !== undefined && base === undefined) throw new Error("--overlay needs --base <rev>");
  const source: CopySource | undefined = base === undefined ? undefined : { base, ...(overlay ? { overlay } : {}) };
  // The generator reads the code the copies will have.
  const generated = () => {
    if (source === undefined) return generateMutants(ROOT);
    const probe = makeScratchCopy(ROOT, "kavak-mutant-list-", source);
    try {
      return generateMutants(probe.dir);
    } finally {
      probe.remove();
    }
  };
  const all = [...(args.includes("--generated") ? [] : MUTANTS), ...(args.includes("--hand") ? [] : generated())];
  const only = value("--only");
  const patterns = only?.split(",").map((p) => new RegExp(`^${p.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  const mutants = patterns ? all.filter((m) => patterns.some((p) => p.test(m.id))) : all;
  if (args.includes("--list")) {
    for (const m of mutants) console.log(`${m.id.padEnd(72)} ${m.regression}`);
    console.log(`${mutants.length} mutants (${mutants.filter((m) => !isGenerated(m)).length} hand-written, ${mutants.filter(isGenerated).length} generated)`);
    return;
  }
  if (mutants.length === 0) throw new Error(`no mutant matches --only; ids: ${all.map((m) => m.id).join(", ")}`);
  // A partial run does not overwrite the committed report of the full one, nor does a run of a tree
  // that is no commit (--overlay); a full run of a commit (--base) reports that commit.
  const full = only === undefined && overlay === undefined && !args.includes("--hand") && !args.includes("--generated");
  process.exitCode = await runMutants({
    mutants,
    keep: args.includes("--keep"),
    confirm: args.includes("--confirm"),
    parallel: Number(value("--parallel") ?? 2),
    timeoutSeconds: Number(value("--timeout") ?? 300),
    ...(source ? { source } : {}),
    ...(full ? { resultsPath: RESULTS } : {}),
    ...(base !== undefined ? { commit: base } : {}),
  });
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[mutants] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
