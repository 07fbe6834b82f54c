import { describe, expect, it } from "vitest";
import { compareRuns } from "./compare.ts";
import type { ResultsFile } from "./results-file.ts";

const run = (outcomes: Record<string, boolean[]>): ResultsFile => ({
  evalId: "e",
  createdAt: undefined,
  conversations: new Map(
    Object.entries(outcomes).map(([id, passes]) => [id, { id, description: id, pending: undefined, attempts: passes.map((pass) => ({ pass, reasons: pass ? [] : [`${id} broke`], output: "", model: "offline", latencyMs: 1 })) }]),
  ),
});

describe("compareRuns", () => {
  it("separates newly failing, newly passing and still failing conversations", () => {
    const diff = compareRuns(run({ a: [true], b: [false], c: [false], d: [true], gone: [true] }), run({ a: [false], b: [true], c: [false], d: [true], added: [true] }));
    expect(diff.newlyFailing).toEqual([{ id: "a", before: "1/1", after: "0/1", reason: "a broke" }]);
    expect(diff.newlyPassing).toEqual([{ id: "b", before: "0/1", after: "1/1" }]);
    expect(diff.stillFailing).toEqual(["c"]);
    expect(diff.onlyBefore).toEqual(["gone"]);
    expect(diff.onlyAfter).toEqual(["added"]);
  });

  it("counts a conversation with any failing repeat as failing", () => {
    const diff = compareRuns(run({ a: [true, true, true] }), run({ a: [true, false, true] }));
    expect(diff.newlyFailing.map((row) => [row.id, row.after])).toEqual([["a", "2/3"]]);
  });
});
