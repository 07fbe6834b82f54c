/**
 * `npm run eval:compare [-- before.json after.json]`: two eval runs side by side (offline vs live,
 * before vs after a change). Without arguments, the two newest runs in evals/results/history/.
 * Lists newly failing and newly passing conversations; exits 1 when something newly fails.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { passCount, readResults, type ConversationOutcome, type ResultsFile } from "./results-file.ts";

const HISTORY = resolve(import.meta.dirname, "results/history");

export interface Comparison {
  readonly newlyFailing: ReadonlyArray<{ id: string; before: string; after: string; reason: string }>;
  readonly newlyPassing: ReadonlyArray<{ id: string; before: string; after: string }>;
  readonly stillFailing: ReadonlyArray<string>;
  readonly onlyBefore: ReadonlyArray<string>;
  readonly onlyAfter: ReadonlyArray<string>;
}

const passed = (outcome: ConversationOutcome) => passCount(outcome) === outcome.attempts.length;
const score = (outcome: ConversationOutcome) => `${passCount(outcome)}/${outcome.attempts.length}`;

export const compareRuns = (before: ResultsFile, after: ResultsFile): Comparison => {
  const newlyFailing: Array<{ id: string; before: string; after: string; reason: string }> = [];
  const newlyPassing: Array<{ id: string; before: string; after: string }> = [];
  const stillFailing: string[] = [];
  for (const [id, now] of after.conversations) {
    const then = before.conversations.get(id);
    if (then === undefined) continue;
    if (passed(then) && !passed(now)) newlyFailing.push({ id, before: score(then), after: score(now), reason: now.attempts.find((a) => !a.pass)?.reasons[0] ?? "" });
    else if (!passed(then) && passed(now)) newlyPassing.push({ id, before: score(then), after: score(now) });
    else if (!passed(then) && !passed(now)) stillFailing.push(id);
  }
  return {
    newlyFailing,
    newlyPassing,
    stillFailing,
    onlyBefore: [...before.conversations.keys()].filter((id) => !after.conversations.has(id)),
    onlyAfter: [...after.conversations.keys()].filter((id) => !before.conversations.has(id)),
  };
};

const describe = (label: string, path: string, run: ResultsFile) => {
  const outcomes = [...run.conversations.values()];
  const models = [...new Set(outcomes.flatMap((o) => o.attempts.map((a) => a.model ?? "unknown")))].join(", ");
  return `${label}: ${basename(path)} · ${models} · ${outcomes.filter(passed).length}/${outcomes.length} conversations passed`;
};

const newestTwo = (): [string, string] => {
  const files = existsSync(HISTORY) ? readdirSync(HISTORY).filter((f) => f.endsWith(".json")).sort() : [];
  if (files.length < 2) throw new Error(`need two runs to compare: pass two results files, or run \`npm run eval\` twice (history: ${HISTORY})`);
  return [join(HISTORY, files.at(-2)!), join(HISTORY, files.at(-1)!)];
};

const main = () => {
  const args = process.argv.slice(2);
  const [beforePath, afterPath] = args.length >= 2 ? [resolve(args[0]!), resolve(args[1]!)] : newestTwo();
  const before = readResults(beforePath);
  const after = readResults(afterPath);
  const diff = compareRuns(before, after);
  console.log(describe("before", beforePath, before));
  console.log(describe("after ", afterPath, after));
  console.log(`\nNewly failing (${diff.newlyFailing.length}):`);
  for (const row of diff.newlyFailing) console.log(`  ✗ ${row.id} (${row.before} → ${row.after}): ${row.reason.slice(0, 300)}`);
  console.log(`\nNewly passing (${diff.newlyPassing.length}):`);
  for (const row of diff.newlyPassing) console.log(`  ✓ ${row.id} (${row.before} → ${row.after})`);
  console.log(`\nFailing in both (${diff.stillFailing.length}): ${diff.stillFailing.join(", ") || "none"}`);
  if (diff.onlyBefore.length > 0) console.log(`Only in before: ${diff.onlyBefore.join(", ")}`);
  if (diff.onlyAfter.length > 0) console.log(`Only in after: ${diff.onlyAfter.join(", ")}`);
  process.exitCode = diff.newlyFailing.length > 0 ? 1 : 0;
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`[compare] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
