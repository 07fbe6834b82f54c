/**
 * `npm run eval:nlu`: intent accuracy and slot exact-match of the offline model's NLU over the
 * labelled messages, and the pass rate of the multi-turn scripts. Writes evals/nlu/results.json.
 * `--verbose` lists every failure.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { understand } from "../../core/model/offline/index.ts";
import { scoreNlu, type Labelled } from "./metrics.ts";
import { runScript, type Script } from "./scripts.ts";

const here = (file: string) => new URL(file, import.meta.url);
const readJsonl = <T>(file: string): T[] =>
  readFileSync(here(file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);

const verbose = process.argv.includes("--verbose");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const nlu = scoreNlu(readJsonl<Labelled>("messages.jsonl"), understand);
// Written after the first tuning round; first measured at intent 94.3%, slots 96.6% (see README).
const holdout = scoreNlu(readJsonl<Labelled>("holdout.jsonl"), understand);
// Written last; first measured at intent 89.2%, slots 97.5% (see README). The phenomena it exposed
// were fixed through new, differently worded cases in messages.jsonl, never by editing this file.
const fresh = scoreNlu(readJsonl<Labelled>("fresh.jsonl"), understand);
const scripts = readJsonl<Script>("scripts.jsonl");
const scriptResults = [];
for (const script of scripts) scriptResults.push(await runScript(script));
const passed = scriptResults.filter((r) => r.passed).length;

console.log(`Labelled messages: ${nlu.messages}`);
console.log(`Intent accuracy:   ${pct(nlu.intentAccuracy)} (target ≥ 97%)`);
console.log(`Slot exact-match:  ${pct(nlu.slotExactMatch)} per slot (target ≥ 93%), ${pct(nlu.messageSlotExactMatch)} whole messages`);
for (const [slot, m] of Object.entries(nlu.perSlot)) console.log(`  ${slot.padEnd(20)} ${pct(m.exactMatch).padStart(6)}  (n=${m.support})`);
console.log(`Held-out messages: ${holdout.messages} — intent ${pct(holdout.intentAccuracy)}, slots ${pct(holdout.slotExactMatch)} per slot, ${pct(holdout.messageSlotExactMatch)} whole messages`);
console.log(`Fresh messages:    ${fresh.messages} — intent ${pct(fresh.intentAccuracy)}, slots ${pct(fresh.slotExactMatch)} per slot, ${pct(fresh.messageSlotExactMatch)} whole messages (first measured: intent 89.2%, slots 97.5%)`);
console.log(`Scripts: ${passed}/${scripts.length} passed`);
for (const r of scriptResults.filter((x) => !x.passed)) console.log(`  ✗ ${r.name}: ${r.problems.join("; ")}`);
if (verbose) for (const f of [...nlu.failures, ...holdout.failures, ...fresh.failures]) console.log(`  ✗ ${JSON.stringify(f.text)}\n      expected ${JSON.stringify(f.expected)}\n      got      ${JSON.stringify(f.got)}`);

writeFileSync(
  here("results.json"),
  `${JSON.stringify(
    {
      labelledMessages: nlu.messages,
      intentAccuracy: nlu.intentAccuracy,
      slotExactMatch: nlu.slotExactMatch,
      messageSlotExactMatch: nlu.messageSlotExactMatch,
      perSlot: nlu.perSlot,
      perIntent: nlu.perIntent,
      holdout: {
        messages: holdout.messages,
        intentAccuracy: holdout.intentAccuracy,
        slotExactMatch: holdout.slotExactMatch,
        messageSlotExactMatch: holdout.messageSlotExactMatch,
        failures: holdout.failures,
      },
      fresh: {
        messages: fresh.messages,
        intentAccuracy: fresh.intentAccuracy,
        slotExactMatch: fresh.slotExactMatch,
        messageSlotExactMatch: fresh.messageSlotExactMatch,
        failures: fresh.failures,
      },
      scripts: { total: scripts.length, passed, failed: scriptResults.filter((r) => !r.passed).map((r) => ({ name: r.name, problems: r.problems })) },
      nluFailures: nlu.failures,
    },
    null,
    1,
  )}\n`,
);
