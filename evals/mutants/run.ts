/**
 * `npm run eval:mutants`: proves the golden conversations catch regressions. In a scratch copy of
 * the repository it runs the suite once as is (baseline), then once per mutant (evals/mutants/
 * mutants.ts) with that mutant's replacements applied. A mutant is caught when at least one
 * conversation that passed at baseline fails. Writes evals/mutants/results.json; exits non-zero
 * when a mutant survives or no longer applies. Options: --only <id,id>, --keep (keep the copy).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readResults, type ResultsFile } from "../results-file.ts";
import { promptfooEnv, runPromptfoo } from "../run.ts";
import { MUTANTS, type Mutant } from "./mutants.ts";
import { makeScratchCopy, type ScratchCopy } from "./scratch-copy.ts";

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

const runSuite = async (copy: ScratchCopy, label: string): Promise<{ results: ResultsFile; seconds: number; code: number }> => {
  const out = join(copy.dir, "evals/results/mutants");
  mkdirSync(out, { recursive: true });
  const json = join(out, `${label}.json`);
  const started = Date.now();
  const code = await runPromptfoo(
    ["eval", "-c", join(copy.dir, "promptfoo.config.yaml"), "-o", json, "--no-cache", "--no-table", "--no-progress-bar"],
    promptfooEnv({ PROMPTFOO_CONFIG_DIR: join(copy.dir, ".promptfoo"), EVAL_MODEL: "offline", EVAL_TARGET: "" }),
    copy.dir,
    true,
  );
  if (!existsSync(json)) throw new Error(`${label}: promptfoo exited with ${code} and wrote no results`);
  return { results: readResults(json), seconds: (Date.now() - started) / 1000, code };
};

const failingIds = (results: ResultsFile): string[] =>
  [...results.conversations.values()].filter((c) => c.pending === undefined && c.attempts.some((a) => !a.pass)).map((c) => c.id).sort();

export interface MutantRunOptions {
  readonly mutants: ReadonlyArray<Mutant>;
  readonly keep?: boolean;
  /** Where the report goes (undefined: not written). */
  readonly resultsPath?: string;
  /** Changes the copy before the baseline (e.g. to try the mutants against a pending fix). */
  readonly prepare?: (copy: ScratchCopy) => void;
}

/** Runs baseline and mutants; resolves to the exit code (0: every mutant caught). */
export const runMutants = async ({ mutants, keep = false, resultsPath, prepare }: MutantRunOptions): Promise<number> => {
  const started = Date.now();
  const copy = makeScratchCopy(ROOT);
  console.log(`[mutants] scratch copy: ${copy.dir}`);
  try {
    prepare?.(copy);
    const stale = staleReplacements(mutants, (file) => (existsSync(join(copy.dir, file)) ? copy.read(file) : undefined));
    if (stale.length > 0) {
      console.error(`[mutants] these mutants no longer apply to the code; update evals/mutants/mutants.ts:\n  ${stale.join("\n  ")}`);
      return 2;
    }

    const baseline = await runSuite(copy, "baseline");
    const baselineFailing = failingIds(baseline.results);
    console.log(`[mutants] baseline: ${baseline.results.conversations.size - baselineFailing.length}/${baseline.results.conversations.size} conversations pass (${baseline.seconds.toFixed(0)} s)`);
    if (baselineFailing.length > 0) console.log(`[mutants] failing at baseline (not counted as catches): ${baselineFailing.join(", ")}`);

    const report = [];
    for (const mutant of mutants) {
      const originals = new Map(mutant.replacements.map((r) => [r.file, copy.read(r.file)]));
      for (const r of mutant.replacements) copy.write(r.file, copy.read(r.file).replace(r.find, r.replace));
      try {
        const run = await runSuite(copy, mutant.id);
        const newlyFailing = failingIds(run.results).filter((id) => !baselineFailing.includes(id));
        const example = newlyFailing.length > 0 ? run.results.conversations.get(newlyFailing[0]!)?.attempts.find((a) => !a.pass)?.reasons[0] : undefined;
        const caught = newlyFailing.length > 0;
        console.log(`[mutants] ${caught ? "CAUGHT  " : "SURVIVED"} ${mutant.id}: ${newlyFailing.length} conversations fail (${run.seconds.toFixed(0)} s)${caught ? `, e.g. ${newlyFailing[0]}` : ""}`);
        report.push({
          id: mutant.id,
          regression: mutant.regression,
          files: [...new Set(mutant.replacements.map((r) => r.file))],
          caught,
          newlyFailing,
          example: example?.slice(0, 300),
          seconds: Math.round(run.seconds),
        });
      } finally {
        for (const [file, text] of originals) copy.write(file, text);
      }
    }

    const caught = report.filter((m) => m.caught).length;
    const summary = {
      generatedAt: new Date().toISOString(),
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim(),
      conversations: baseline.results.conversations.size,
      baseline: { passing: baseline.results.conversations.size - baselineFailing.length, failing: baselineFailing },
      caught,
      total: report.length,
      seconds: Math.round((Date.now() - started) / 1000),
      mutants: report,
    };
    if (resultsPath !== undefined) writeFileSync(resultsPath, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`[mutants] ${caught}/${report.length} mutants caught in ${summary.seconds} s${resultsPath === undefined ? "" : `; written to ${resultsPath}`}`);
    return caught === report.length ? 0 : 1;
  } finally {
    if (keep) console.log(`[mutants] kept ${copy.dir}`);
    else copy.remove();
  }
};

const main = async () => {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? "").split(",")) : undefined;
  const mutants = only ? MUTANTS.filter((m) => only.has(m.id)) : MUTANTS;
  if (mutants.length === 0) throw new Error(`no mutant matches --only; ids: ${MUTANTS.map((m) => m.id).join(", ")}`);
  // A partial run does not overwrite the committed report of the full one.
  process.exitCode = await runMutants({ mutants, keep: args.includes("--keep"), ...(only ? {} : { resultsPath: RESULTS }) });
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[mutants] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
