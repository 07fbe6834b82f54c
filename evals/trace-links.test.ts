/** The gate's links from a failing conversation to its failing turns' traces in the inspector. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failingTurnTraces, traceLinkLines } from "./trace-links.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

describe("trace links", () => {
  it("prints the trace id and inspector URL of the turns a failure names (all turns when it names none)", () => {
    const path = join(mkdtempSync(join(tmpdir(), "trace-links-")), "results.json");
    const run = (ids: string[]) => ({ response: { metadata: { run: { turns: ids.map((traceId) => ({ traceId })) } } } });
    writeFileSync(path, JSON.stringify({ results: { results: [
      { success: false, testCase: { vars: { conversation: "financing-term-36" } }, ...run([TRACE, TRACE, TRACE]) },
      { success: true, testCase: { vars: { conversation: "greeting-hola" } }, ...run(["b".repeat(32)]) },
    ] } }));
    const links = failingTurnTraces(path);
    expect([...links.keys()]).toEqual(["financing-term-36"]);
    const turns = links.get("financing-term-36")![0]!;
    expect(traceLinkLines(turns, ["turn 2 «¿a 36 meses?»: reply should say \"36\""], "http://localhost:3000/")).toEqual([
      `    ↳ turn 2: trace ${TRACE} · http://localhost:3000/inspector#/trace/${TRACE}/turn-2`,
    ]);
    expect(traceLinkLines(turns, ["error spans: chat.turn"], "http://x")).toHaveLength(3);
  });
});
