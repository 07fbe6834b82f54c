/**
 * `npm run eval:nlu`: intent accuracy and slot exact-match of the offline model's NLU over the
 * labelled messages, and the pass rate of the multi-turn scripts. Writes evals/nlu/results.json.
 * `--verbose` lists every failure.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { understand } from "../../core/model/offline/index.ts";
import { loadRoutingQuestions, measureRouting } from "./knowledge-routing.ts";
import { scoreNlu, type Labelled, type NluMetrics } from "./metrics.ts";
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
// Written before any change for it and measured once (fresh2-first-measurement.json); the model was
// then improved on the phenomena its failures showed, so its current numbers are no longer held out.
const fresh2 = scoreNlu(readJsonl<Labelled>("fresh2.jsonl"), understand);
const fresh2First = JSON.parse(readFileSync(here("fresh2-first-measurement.json"), "utf8")) as Record<string, unknown>;
// Written after the second round and measured once before any change for it (fresh3-first-measurement.json).
const fresh3 = scoreNlu(readJsonl<Labelled>("fresh3.jsonl"), understand);
const fresh3First = JSON.parse(readFileSync(here("fresh3-first-measurement.json"), "utf8")) as Record<string, unknown>;
const routing = measureRouting(loadRoutingQuestions().kavak);
const scripts = readJsonl<Script>("scripts.jsonl");
const scriptResults = [];
for (const script of scripts) scriptResults.push(await runScript(script));
const passed = scriptResults.filter((r) => r.passed).length;

const intents = (m: NluMetrics) => `intent ${pct(m.intentAccuracy)} (${pct(m.intentAccuracyEquivalenceAware)} equivalence-aware)`;
console.log(`Labelled messages: ${nlu.messages}`);
console.log(`Intent accuracy:   ${pct(nlu.intentAccuracy)} (target ≥ 97%), ${pct(nlu.intentAccuracyEquivalenceAware)} equivalence-aware`);
console.log(`Slot exact-match:  ${pct(nlu.slotExactMatch)} per slot (target ≥ 93%), ${pct(nlu.messageSlotExactMatch)} whole messages`);
for (const [slot, m] of Object.entries(nlu.perSlot)) console.log(`  ${slot.padEnd(20)} ${pct(m.exactMatch).padStart(6)}  (n=${m.support})`);
console.log(`Held-out messages: ${holdout.messages} — ${intents(holdout)}, slots ${pct(holdout.slotExactMatch)} per slot, ${pct(holdout.messageSlotExactMatch)} whole messages`);
console.log(`Fresh messages:    ${fresh.messages} — ${intents(fresh)}, slots ${pct(fresh.slotExactMatch)} per slot, ${pct(fresh.messageSlotExactMatch)} whole messages (first measured: intent 89.2%, slots 97.5%)`);
console.log(
  `Fresh2 messages:   ${fresh2.messages} — ${intents(fresh2)}, slots ${pct(fresh2.slotExactMatch)} per slot, ${pct(fresh2.messageSlotExactMatch)} whole messages ` +
    `(first measured: intent ${pct(Number(fresh2First.intentAccuracy))}, ${pct(Number(fresh2First.intentAccuracyEquivalenceAware))} equivalence-aware, slots ${pct(Number(fresh2First.slotExactMatch))})`,
);
console.log(
  `Fresh3 messages:   ${fresh3.messages} — ${intents(fresh3)}, slots ${pct(fresh3.slotExactMatch)} per slot, ${pct(fresh3.messageSlotExactMatch)} whole messages ` +
    `(first measured: intent ${pct(Number(fresh3First.intentAccuracy))}, slots ${pct(Number(fresh3First.slotExactMatch))} per slot, ${pct(Number(fresh3First.messageSlotExactMatch))} whole messages)`,
);
console.log(`Kavak questions routed to search_knowledge: ${routing.routed}/${routing.questions} (${pct(routing.rate)}) of evals/retrieval/questions.yaml`);
for (const m of routing.misrouted) console.log(`  ✗ ${JSON.stringify(m.q)} → ${m.did}`);
console.log(`Scripts: ${passed}/${scripts.length} passed`);
for (const r of scriptResults.filter((x) => !x.passed)) console.log(`  ✗ ${r.name}: ${r.problems.join("; ")}`);
if (verbose) for (const f of [...nlu.failures, ...holdout.failures, ...fresh.failures, ...fresh2.failures, ...fresh3.failures]) console.log(`  ✗ ${JSON.stringify(f.text)}\n      expected ${JSON.stringify(f.expected)}\n      got      ${JSON.stringify(f.got)}`);

writeFileSync(
  here("results.json"),
  `${JSON.stringify(
    {
      labelledMessages: nlu.messages,
      intentAccuracy: nlu.intentAccuracy,
      intentAccuracyEquivalenceAware: nlu.intentAccuracyEquivalenceAware,
      slotExactMatch: nlu.slotExactMatch,
      messageSlotExactMatch: nlu.messageSlotExactMatch,
      perSlot: nlu.perSlot,
      perIntent: nlu.perIntent,
      holdout: {
        messages: holdout.messages,
        intentAccuracy: holdout.intentAccuracy,
        intentAccuracyEquivalenceAware: holdout.intentAccuracyEquivalenceAware,
        slotExactMatch: holdout.slotExactMatch,
        messageSlotExactMatch: holdout.messageSlotExactMatch,
        failures: holdout.failures,
      },
      fresh: {
        messages: fresh.messages,
        intentAccuracy: fresh.intentAccuracy,
        intentAccuracyEquivalenceAware: fresh.intentAccuracyEquivalenceAware,
        slotExactMatch: fresh.slotExactMatch,
        messageSlotExactMatch: fresh.messageSlotExactMatch,
        failures: fresh.failures,
      },
      fresh2: {
        firstMeasurement: fresh2First,
        now: {
          messages: fresh2.messages,
          intentAccuracy: fresh2.intentAccuracy,
          intentAccuracyEquivalenceAware: fresh2.intentAccuracyEquivalenceAware,
          slotExactMatch: fresh2.slotExactMatch,
          messageSlotExactMatch: fresh2.messageSlotExactMatch,
          failures: fresh2.failures,
        },
      },
      fresh3: {
        firstMeasurement: fresh3First,
        now: {
          messages: fresh3.messages,
          intentAccuracy: fresh3.intentAccuracy,
          intentAccuracyEquivalenceAware: fresh3.intentAccuracyEquivalenceAware,
          slotExactMatch: fresh3.slotExactMatch,
          messageSlotExactMatch: fresh3.messageSlotExactMatch,
          failures: fresh3.failures,
        },
      },
      knowledgeRouting: { source: "evals/retrieval/questions.yaml (questions and holdout)", ...routing },
      scripts: { total: scripts.length, passed, failed: scriptResults.filter((r) => !r.passed).map((r) => ({ name: r.name, problems: r.problems })) },
      nluFailures: nlu.failures,
    },
    null,
    1,
  )}\n`,
);
