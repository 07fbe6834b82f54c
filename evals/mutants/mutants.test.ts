import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { generateMutants, mutationSites, TARGET_FILES } from "./generate.ts";
import { execFileSync } from "node:child_process";
import { EQUIVALENTS, equivalenceOf } from "./equivalents.ts";
import { MUTANTS } from "./mutants.ts";
import { staleReplacements } from "./run.ts";
import { makeScratchCopy } from "./scratch-copy.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const read = (file: string) => (existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), "utf8") : undefined);

describe("mutants", () => {
  it("cover the regressions issue 7 names, with unique ids", () => {
    const ids = MUTANTS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        "wrong-interest-rate", "dropped-tool", "tool-result-ignored", "invented-price", "english-reply", "over-long-reply",
        "fact-outside-knowledge-base", "broken-references", "cancel-ignored", "financing-24-months-accepted", "typo-tolerance-off", "memory-lost",
      ]),
    );
  });

  it("still target real code: every replacement finds its text exactly once (else update evals/mutants/mutants.ts)", () => {
    expect(staleReplacements(MUTANTS, read)).toEqual([]);
  });

  it("reports a replacement whose text moved or repeats", () => {
    const mutant = { id: "m", regression: "r", replacements: [{ file: "a.ts", find: "x = 1", replace: "x = 2" }] };
    expect(staleReplacements([mutant], () => "const y = 1;")).toEqual(['m: a.ts contains "x = 1" 0 times (expected once)']);
    expect(staleReplacements([mutant], () => "x = 1; x = 1")).toEqual(['m: a.ts contains "x = 1" 2 times (expected once)']);
    expect(staleReplacements([mutant], () => undefined)).toEqual(["m: a.ts does not exist"]);
  });
});

describe("generated mutants (issue 15)", () => {
  const generated = generateMutants(ROOT);

  it("are at least 60 over every layer, with unique ids, together with the hand-written ones", () => {
    expect(generated.length).toBeGreaterThanOrEqual(60);
    const ids = [...MUTANTS, ...generated].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const layer of Object.keys(TARGET_FILES)) expect(generated.filter((m) => m.file.startsWith(layer === "models/offline" ? "models/offline" : `${layer}/`)).length).toBeGreaterThanOrEqual(5);
  });

  it("use every operator", () => {
    expect(new Set(generated.map((m) => m.operator))).toEqual(new Set(["relational", "logical", "arithmetic", "constant", "rounding", "dropped", "template"]));
  });

  it("each replace exactly one place with different code", () => {
    expect(staleReplacements(generated, read)).toEqual([]);
    for (const m of generated) expect(m.replacements[0]!.replace).not.toBe(m.replacements[0]!.find);
  });

  it("find the operators in code", () => {
    const sites = mutationSites(
      'const f = (a: number) => { if (a < 3 && a !== 0) log(a); return Math.round(a - 1) + `${a}`; };\nconst t = "El enganche debe ser de 20%";',
      "x.ts",
    );
    expect(sites.map((s) => s.operator).sort()).toEqual(["arithmetic", "constant", "constant", "constant", "dropped", "logical", "relational", "relational", "rounding", "template"].sort());
  });

  it("each documented equivalence still points at code that exists (a stale reason would hide the next mutant there)", () => {
    const stale = EQUIVALENTS.filter((e) => {
      const source = read(e.file);
      return source === undefined || !source.includes(e.context ?? e.original) || (e.context !== undefined && !e.context.includes(e.original) && !source.includes(e.original));
    });
    expect(stale.map((e) => `${e.file}: ${e.context ?? e.original}`)).toEqual([]);
    // and the generator's current survivors-to-be are recognised
    expect(generated.filter((m) => equivalenceOf(m) !== undefined).length).toBeGreaterThan(0);
  });
});

describe("scratch copies", () => {
  it("of a commit take its tree plus only the overlaid working files", () => {
    const copy = makeScratchCopy(ROOT, "kavak-mutant-test-", { base: "HEAD", overlay: ["evals/mutants/"] });
    try {
      const atHead = (path: string) => execFileSync("git", ["show", `HEAD:${path}`], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).toString("utf8");
      expect(copy.read("package.json")).toBe(atHead("package.json"));
      expect(copy.read("evals/mutants/run.ts")).toBe(readFileSync(join(ROOT, "evals/mutants/run.ts"), "utf8"));
      expect(existsSync(join(copy.dir, "node_modules/.bin"))).toBe(true);
    } finally {
      copy.remove();
    }
  });
});
