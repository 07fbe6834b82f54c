/**
 * npm run bench:soak — does memory stay flat over many turns? Whole turns through the HTTP channel
 * on the built-in offline model, in process, with traces persisted by the trace store (database
 * mode, bounded retention). RSS (after a forced GC) is sampled every SOAK_SAMPLE_EVERY turns; after
 * the warm-up (SOAK_WARMUP_TURNS, long enough for the trace retention to start deleting) every sample
 * must stay within ±10% of the first post-warm-up sample.
 *   SOAK_TURNS (26,000 in all: 20,000 after the warm-up)  SOAK_WARMUP_TURNS (6,000)
 *   SOAK_CONCURRENCY (4)  SOAK_SAMPLE_EVERY (500)
 * The warm-up reaches the process's steady state. Since the trace thread writes compressed batches,
 * RSS fell by 250 to 350 MB 20 to 35 s into the load, after a 2,000-turn warm-up (before them, within
 * the first 500 turns); with --no-wasm-dynamic-tiering it fell by 70 MB, so most of it is likely V8
 * freeing the memory of tiering the PGlites' WebAssembly up, later now that the thread has less
 * work. Flat after it.
 *   SOAK_MAX_MINUTES (25: a guard that stops early, and says so, when the machine is far too slow)
 *   TRACE_RETENTION_MAX_TRACES (1,000 here, so retention is in steady state after the warm-up)
 * Embedded database on disk (a temporary PGlite directory), as `npm start` runs it; DATABASE_URL
 * runs it on PostgreSQL. The server runs as `npm start` runs it: in a child process started with
 * the instrumentation preload (observability/preload.ts: HTTP, express, pg and undici
 * instrumentations), with `--expose-gc`. Results: bench/soak/results.json (with the machine's load
 * average before and after: the machine is shared).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { APP_NODE_ARGS } from "../../app/node-flags.ts";
import { TURN_SCRIPT } from "../turn-script.ts";

if (!process.env.SOAK_CHILD) {
  const root = new URL("../..", import.meta.url).pathname;
  const child = spawnSync(process.execPath, ["--expose-gc", ...APP_NODE_ARGS, "bench/soak/run.ts"], {
    cwd: root,
    env: { ...process.env, SOAK_CHILD: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}

process.env.TRACE_RETENTION_MAX_TRACES ??= "1000";
const loadBefore = loadavg().map((n) => +n.toFixed(2));
const { postJson, startTestServer } = await import("../../app/testing/test-server.ts");

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TURNS = env("SOAK_TURNS", 26_000);
const WARMUP = env("SOAK_WARMUP_TURNS", 6_000);
const CONCURRENCY = env("SOAK_CONCURRENCY", 4);
const SAMPLE_EVERY = env("SOAK_SAMPLE_EVERY", 500);
const MAX_MS = env("SOAK_MAX_MINUTES", 25) * 60_000;
const TOLERANCE = 0.1;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn("run with --expose-gc (npm run bench:soak does) for RSS after a full collection");
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), "soak-pglite-"));
const server = await startTestServer((config) => (dataDir ? { ...config, database: { ...config.database, pgliteDataDir: dataDir } } : config));
const store = server.tracing.store;

interface Sample { turns: number; seconds: number; rssMb: number; heapUsedMb: number; externalMb: number; storedTraces: number; pendingSpans: number; load1m: number }
const samples: Sample[] = [];
const started = performance.now();
const latencies: number[] = [];
let done = 0;
let next = 0;
let failures = 0;
let stoppedEarly = false;

const sample = async () => {
  gc?.();
  const memory = process.memoryUsage();
  const db = store.sink?.db;
  const storedTraces = db ? Number((await sql<{ n: number }>`select count(*)::int as n from traces`.execute(db)).rows[0]?.n ?? 0) : 0;
  const s = { turns: done, seconds: +((performance.now() - started) / 1000).toFixed(1), rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), externalMb: mb(memory.external), storedTraces, pendingSpans: store.stats().pendingSpans, load1m: +loadavg()[0]!.toFixed(2) };
  samples.push(s);
  console.log(JSON.stringify(s));
};

let sampling = Promise.resolve();
const worker = async () => {
  while (next < TURNS) {
    if (performance.now() - started > MAX_MS) {
      stoppedEarly = true;
      return;
    }
    const id = `soak-${next}`;
    for (const text of TURN_SCRIPT) {
      if (next >= TURNS) return;
      next += 1;
      const at = performance.now();
      const res = await postJson(`${server.url}/v1/conversations/${id}/messages`, { text });
      await res.arrayBuffer();
      if (res.status !== 200) failures += 1;
      latencies.push(performance.now() - at);
      done += 1;
      if (done % SAMPLE_EVERY === 0) sampling = sampling.then(sample);
    }
  }
};

await sample();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
await sampling;
await store.forceFlush();
await sample();

const after = samples.filter((s) => s.turns >= WARMUP);
const base = after[0];
const deviations = base ? after.map((s) => (s.rssMb - base.rssMb) / base.rssMb) : [];
const maxDeviation = deviations.length ? Math.max(...deviations.map(Math.abs)) : undefined;
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  database: process.env.DATABASE_URL ? "postgresql" : "pglite (on disk, temporary directory)",
  model: "built-in offline model, in process",
  telemetry: "as npm start: instrumentation preload, SDK, content policy (capture off), metrics, trace store persisted to the database",
  machine: { cpus: cpus().length, nice: process.env.SOAK_NICE ?? "see the command that ran it", loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((n) => +n.toFixed(2)) },
  durationSeconds: +((performance.now() - started) / 1000).toFixed(1),
  requestedTurns: TURNS,
  turns: done,
  failedTurns: failures,
  stoppedEarly: stoppedEarly ? `time limit of ${MAX_MS / 60_000} minutes reached after ${done} turns` : false,
  warmupTurns: WARMUP,
  concurrency: CONCURRENCY,
  traceRetentionMaxTraces: Number(process.env.TRACE_RETENTION_MAX_TRACES),
  turnsPerSecond: +(done / ((performance.now() - started) / 1000)).toFixed(1),
  turnLatencyMs: sorted.length ? { p50: pct(50), p95: pct(95), p99: pct(99) } : undefined,
  rssAfterWarmupMb: base ? { first: base.rssMb, min: Math.min(...after.map((s) => s.rssMb)), max: Math.max(...after.map((s) => s.rssMb)), last: after.at(-1)!.rssMb } : undefined,
  maxRssDeviationAfterWarmup: maxDeviation === undefined ? undefined : `${(maxDeviation * 100).toFixed(1)}%`,
  flatWithin10Percent: maxDeviation === undefined ? "not measured (no sample after the warm-up)" : maxDeviation <= TOLERANCE,
  traceStore: store.stats(),
  samples,
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify({ ...results, samples: `${samples.length} samples in bench/soak/results.json` }, null, 2));
await server.close();
// The app's PGlite, and the traces' beside it (observability/trace-store/thread-database.ts).
if (dataDir) for (const dir of [dataDir, `${dataDir}-traces`]) rmSync(dir, { recursive: true, force: true });
process.exit(0);
