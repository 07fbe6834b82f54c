import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MUTANTS } from "./mutants.ts";
import { staleReplacements } from "./run.ts";

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
