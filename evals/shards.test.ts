import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readResults } from "./results-file.ts";
import { mergeJson, mergeJunit, runShards } from "./shards.ts";

const shardFile = (evalId: string, ids: string[], failing: string[] = []) => ({
  evalId,
  results: {
    version: 3,
    results: ids.map((id) => ({ success: !failing.includes(id), testCase: { vars: { conversation: id }, description: id }, response: { output: `reply ${id}` } })),
    stats: { successes: ids.length - failing.length, failures: failing.length, errors: 0 },
  },
  config: {},
});

const junit = (names: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${names.length}">\n  <testsuite name="p" tests="${names.length}">\n${names.map((n) => `    <testcase name="${n}"></testcase>`).join("\n")}\n  </testsuite>\n</testsuites>\n`;

describe("gate shards", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("merges the shards' results into one run: every test once, stats summed", () => {
    const merged = mergeJson([shardFile("a", ["c1", "c3"], ["c3"]), shardFile("b", ["c2"])]);
    expect(merged.evalId).toBe("a");
    expect((merged.results!.results as Array<{ testCase: { vars: { conversation: string } } }>).map((r) => r.testCase.vars.conversation)).toEqual(["c1", "c3", "c2"]);
    expect(merged.results!.stats).toEqual({ successes: 2, failures: 1, errors: 0 });
  });

  it("merges JUnit reports: every shard's test suite under one root", () => {
    const merged = mergeJunit([junit(["t1", "t2"]), junit(["t3"])]);
    expect(merged.match(/<testsuite /g)).toHaveLength(2);
    expect(merged.match(/<testcase /g)).toHaveLength(3);
    expect(merged.startsWith("<?xml")).toBe(true);
  });

  it("runs every shard, writes the merged files the gate reads, and reports a failure in any shard", async () => {
    const out = mkdtempSync(join(tmpdir(), "eval-shards-"));
    dirs.push(out);
    const files = { json: join(out, "results.json"), junit: join(out, "results.junit.xml"), html: join(out, "results.html") };
    const { writeFileSync } = await import("node:fs");
    const code = await runShards(2, out, files, async (i, outputs) => {
      writeFileSync(outputs.json, JSON.stringify(shardFile(`e${i}`, i === 0 ? ["c1"] : ["c2"], i === 1 ? ["c2"] : [])));
      writeFileSync(outputs.junit, junit([`t${i}`]));
      writeFileSync(outputs.html, "<html></html>");
      return i === 1 ? 100 : 0;
    });
    expect(code).toBe(100);
    const results = readResults(files.json);
    expect([...results.conversations.keys()].sort()).toEqual(["c1", "c2"]);
    expect(results.conversations.get("c2")!.attempts[0]!.pass).toBe(false);
    expect(readFileSync(files.html, "utf8")).toContain("shard-1/results.html");
  });

  it("fails when a shard wrote no results", async () => {
    const out = mkdtempSync(join(tmpdir(), "eval-shards-"));
    dirs.push(out);
    const files = { json: join(out, "results.json"), junit: join(out, "results.junit.xml"), html: join(out, "results.html") };
    const code = await runShards(2, out, files, async () => 0);
    expect(code).toBe(1);
  });
});
