/**
 * The gate split over several promptfoo processes (`EVAL_SHARD=i/n`, evals/tests.ts picks every n-th
 * test): each writes its own results under `<out>/shard-<i>/`, and they are merged into the usual
 * files, so everything that reads results.json (the summary, trace links, eval:compare) sees one run.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface Outputs {
  readonly json: string;
  readonly junit: string;
  readonly html: string;
}

interface RawFile {
  results?: { results?: unknown[]; stats?: Record<string, unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** promptfoo's JSON results of the shards as one file: their results in one list, the first shard's metadata. */
export const mergeJson = (files: ReadonlyArray<RawFile>): RawFile => {
  const [first, ...rest] = files;
  if (!first) throw new Error("no shard results to merge");
  const results = files.flatMap((file) => file.results?.results ?? []);
  const stats: Record<string, unknown> = { ...(first.results?.stats ?? {}) };
  for (const key of ["successes", "failures", "errors"])
    if (typeof stats[key] === "number") stats[key] = [first, ...rest].reduce((sum, file) => sum + Number(file.results?.stats?.[key] ?? 0), 0);
  return { ...first, results: { ...first.results, results, stats } };
};

/** JUnit reports of the shards as one: every shard's <testsuite> elements under one <testsuites>. */
export const mergeJunit = (reports: ReadonlyArray<string>): string => {
  const suites = reports.flatMap((report) => report.match(/<testsuite[\s>][\s\S]*?<\/testsuite>/g) ?? []);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join("\n")}\n</testsuites>\n`;
};

/** Runs the shards at once; merges their results into `files`; returns promptfoo's exit code for the whole. */
export const runShards = async (
  shards: number,
  out: string,
  files: Outputs,
  run: (index: number, outputs: Outputs) => Promise<number>,
): Promise<number> => {
  const outputs = Array.from({ length: shards }, (_, i) => {
    const dir = join(out, `shard-${i}`);
    mkdirSync(dir, { recursive: true });
    return { json: join(dir, "results.json"), junit: join(dir, "results.junit.xml"), html: join(dir, "results.html") };
  });
  const codes = await Promise.all(outputs.map((output, i) => run(i, output)));
  // 0: all passed; 100: some test failed; anything else: promptfoo itself failed.
  const code = codes.find((c) => c !== 0 && c !== 100) ?? (codes.includes(100) ? 100 : 0);
  try {
    writeFileSync(files.json, JSON.stringify(mergeJson(outputs.map((o) => JSON.parse(readFileSync(o.json, "utf8")) as RawFile))));
    writeFileSync(files.junit, mergeJunit(outputs.map((o) => readFileSync(o.junit, "utf8"))));
    const links = outputs.map((o, i) => `<li><a href="${relative(out, o.html)}">shard ${i + 1} of ${shards}</a></li>`).join("");
    writeFileSync(files.html, `<!doctype html><meta charset="utf-8"><title>Golden conversations</title><p>The gate ran in ${shards} processes:</p><ul>${links}</ul>\n`);
  } catch (error) {
    console.error(`[evals] could not merge the shards' results: ${error instanceof Error ? error.message : String(error)}`);
    return code === 0 ? 1 : code;
  }
  return code;
};
