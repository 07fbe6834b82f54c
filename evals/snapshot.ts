/**
 * `npm run eval:snapshot`: writes what the gate holds the tools of the registry (tools/toolkit.ts)
 * to, from the registry itself:
 *   - evals/tool-contracts.json: each tool's description and input schema as the model reads
 *     them. The gate fails when the live registry differs (a changed bound, enum or description
 *     must be reviewed), and the generated tool-level cases are derived from this file.
 *   - evals/tool-spans.json: the spans every call of a tool produces (and their attribute keys),
 *     per outcome (ok / rejected), recorded by playing every tool-level case in process; the gate
 *     requires them under every call of that tool (trace-checks.ts).
 * Run it when a tool changes on purpose, and review the diff: what disappears from these files the
 * gate stops requiring. `--check` compares without writing.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import GoldenConversationProvider from "./provider.ts";
import { loadToolCases, registryContracts, registryTools, TOOL_CONTRACTS_FILE, type ToolCaseRun } from "./tool-cases.ts";
import { newTraceparent } from "./trace-context.ts";
import { outcomeOf, TOOL_SPAN_PREFIX, TOOL_SPANS_FILE, type SpanExpectation, type SpanView, type ToolOutcome, type ToolSpanTable } from "./trace-checks.ts";

/** Attribute keys that describe a value rather than the span (ids, sizes, timings) are not required. */
const VARYING_ATTRIBUTE = /(^|\.)(id|duration|count)$|^code\./;

const below = (spans: ReadonlyArray<SpanView>, root: SpanView): SpanView[] => {
  const out: SpanView[] = [];
  const frontier = [root.spanId];
  while (frontier.length > 0) {
    const id = frontier.pop();
    for (const span of spans) if (span.parentSpanId === id && span.spanId !== undefined) (out.push(span), frontier.push(span.spanId));
  }
  return out;
};

/** The tool-span table from every tool-level case of every tool in the registry. */
export const recordToolSpans = async (): Promise<ToolSpanTable> => {
  const provider = new GoldenConversationProvider();
  const seen = new Map<string, Map<ToolOutcome, Array<Map<string, Set<string>>>>>();
  try {
    for (const spec of await loadToolCases()) {
      if (spec.faults.length > 0) continue;
      const response = await provider.callApi("", { vars: { kind: "tool", toolCase: JSON.stringify(spec) }, traceparent: newTraceparent() } as never);
      const { toolRun, spans } = (response.metadata ?? {}) as { toolRun?: ToolCaseRun; spans?: SpanView[] };
      if (toolRun?.schema !== "accept" || spans === undefined) continue;
      const outcome = outcomeOf(toolRun.output);
      if (outcome === undefined) continue;
      const call = spans.find((s) => s.name === `${TOOL_SPAN_PREFIX}${spec.tool}`);
      if (call === undefined) continue;
      const names = new Map<string, Set<string>>();
      for (const span of below(spans, call)) {
        const keys = names.get(span.name) ?? new Set(Object.keys(span.attributes ?? {}).filter((k) => !VARYING_ATTRIBUTE.test(k)));
        for (const key of [...keys]) if (!(span.attributes && key in span.attributes)) keys.delete(key);
        names.set(span.name, keys);
      }
      const byOutcome = seen.get(spec.tool) ?? new Map();
      byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), names]);
      seen.set(spec.tool, byOutcome);
    }
  } finally {
    await provider.cleanup();
  }
  const table: Record<string, Partial<Record<ToolOutcome, SpanExpectation[]>>> = {};
  for (const tool of Object.keys(registryTools()).sort()) {
    const byOutcome = seen.get(tool);
    if (byOutcome === undefined || !byOutcome.has("ok")) throw new Error(`no successful tool-level case for ${tool}: add one to evals/tool-cases/`);
    table[tool] = {};
    for (const outcome of ["ok", "rejected"] as const) {
      const calls = byOutcome.get(outcome);
      if (calls === undefined) continue;
      const common = [...calls[0]!.keys()].filter((name) => calls.every((c) => c.has(name))).sort();
      table[tool][outcome] = common.map((name) => ({ name, attributes: [...calls[0]!.get(name)!].filter((key) => calls.every((c) => c.get(name)!.has(key))).sort() }));
    }
  }
  return table;
};

const main = async () => {
  const contracts = `${JSON.stringify(await registryContracts(), null, 2)}\n`;
  // The cases are generated from the agreed contracts: write them first.
  const check = process.argv.includes("--check");
  const { readFileSync, existsSync } = await import("node:fs");
  const differs = (file: string, text: string) => !existsSync(file) || readFileSync(file, "utf8") !== text;
  if (!check) writeFileSync(TOOL_CONTRACTS_FILE, contracts);
  const spans = `${JSON.stringify(await recordToolSpans(), null, 2)}\n`;
  if (check) {
    const stale = [TOOL_CONTRACTS_FILE, TOOL_SPANS_FILE].filter((file, i) => differs(file, [contracts, spans][i]!));
    if (stale.length > 0) {
      console.error(`[snapshot] ${stale.join(", ")} differ from what the tools offer and produce now; run npm run eval:snapshot and review the diff`);
      process.exit(1);
    }
    console.log("[snapshot] tool contracts and spans are up to date");
    return;
  }
  writeFileSync(TOOL_SPANS_FILE, spans);
  for (const [tool, outcomes] of Object.entries(JSON.parse(spans) as ToolSpanTable))
    for (const [outcome, list] of Object.entries(outcomes)) console.log(`[snapshot] ${tool} (${outcome}): ${list!.map((s) => `${s.name}${s.attributes.length ? ` {${s.attributes.join(", ")}}` : ""}`).join(" > ")}`);
  console.log(`[snapshot] written: ${TOOL_CONTRACTS_FILE}, ${TOOL_SPANS_FILE}`);
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main()
    .then(() => process.exit(0))
    .catch((error) => {
      console.error(`[snapshot] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    });
}
