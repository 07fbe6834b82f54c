/**
 * npm run bench:turns — latency of whole turns through the HTTP channel on the offline model
 * (the harness's own overhead: HTTP, memory, tools, stores, tracing), and the server's memory.
 * The database is PGlite in a temporary data directory on disk, as `npm start` has it (DATABASE_URL:
 * PostgreSQL). Runs in separate processes, alternating, BENCH_ROUNDS times: tracing on (as `npm start`: the
 * instrumentation preload, the SDK, content policy, metrics, the trace store persisting to the
 * database; content capture off, no collector), tracing on with the trace store in memory only
 * (TRACE_STORE=memory), and tracing off (OTEL_SDK_DISABLED=true, no preload); reports what
 * tracing costs, and (in the memory-store process) recorded against unsampled turns interleaved.
 * Results: bench/turns/results.json (the top level is tracing on; `tracingOff`, `tracingCost`,
 * `tracingOnMemoryStore`, `telemetryCostWithoutPersistence`, `recordingCostInterleaved`,
 * `recordingCostInterleavedWithPersistence`, the machine's load average per round). The machine
 * is shared: `tracingCost.pairedMedian*` (the median over rounds of on/off measured back to back)
 * is the figure least moved by background load; run it at `nice -n -5` when `uptime` is low.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";
import { APP_NODE_ARGS, NODE_FLAGS } from "../../app/node-flags.ts";

const RESULT_MARK = "BENCH_RESULT ";

const SCRIPT = [
  "Hola",
  "Busco un Nissan Versa",
  "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?",
  "¿Tienen garantía?",
  "Busco una camioneta de menos de 400 mil",
];
// Enough turns that one-time costs (JIT of the traced paths, the trace store's first writes) do not
// pass for per-turn costs: at 20 conversations (100 turns) they added several ms to each turn.
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 60);
const WARMUP_CONVERSATIONS = Number(process.env.BENCH_WARMUP_CONVERSATIONS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * In the tracing-on process: conversations one at a time, alternately recorded and not (a W3C
 * traceparent with the sampled flag off makes the parent-based sampler drop the whole turn), so
 * both sides share the same process and the same moment of the machine's load. This is the cost of
 * recording, processing and storing spans; what the instrumentation wrappers cost when nothing is
 * recorded is in the separate-process comparison.
 */
const interleave = async (url: string) => {
  const sides = { recorded: { ms: [] as number[], cpuMs: 0 }, unsampled: { ms: [] as number[], cpuMs: 0 } };
  const pairs = Number(process.env.BENCH_INTERLEAVED_PAIRS ?? 16);
  for (let i = 0; i < pairs * 2; i++) {
    const side = i % 2 === 0 ? sides.unsampled : sides.recorded;
    const headers: Record<string, string> = side === sides.unsampled ? { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00` } : {};
    for (const text of SCRIPT) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const res = await postJson(`${url}/v1/conversations/interleaved-${i}/messages`, { text }, headers);
      await res.json();
      side.ms.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      side.cpuMs += (used.user + used.system) / 1000;
    }
  }
  const summary = (side: { ms: number[]; cpuMs: number }) => {
    if (side.ms.length === 0) return { turns: 0, meanMs: 0, p50Ms: 0, cpuMsPerTurn: 0 };
    const sorted = [...side.ms].sort((a, b) => a - b);
    return { turns: side.ms.length, meanMs: +(side.ms.reduce((a, b) => a + b, 0) / side.ms.length).toFixed(1), p50Ms: +percentile(sorted, 50).toFixed(1), cpuMsPerTurn: +(side.cpuMs / side.ms.length).toFixed(2) };
  };
  return { recorded: summary(sides.recorded), unsampled: summary(sides.unsampled) };
};

const measure = async () => {
  // The database as `npm start` has it: PGlite in a data directory on disk (here a temporary one), or DATABASE_URL.
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), "bench-turns-pglite-"));
  const server = await startTestServer((config) => (dataDir ? { ...config, database: { ...config.database, pgliteDataDir: dataDir } } : config));
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < CONVERSATIONS) {
      const id = `bench-${next++}`;
      for (const text of SCRIPT) {
        const started = performance.now();
        const res = await postJson(`${server.url}/v1/conversations/${id}/messages`, { text });
        await res.json();
        if (res.status !== 200) throw new Error(`turn failed with ${res.status}`);
        latencies.push(performance.now() - started);
      }
    }
  };
  // Warm-up (JIT, lazy loading, first queries, the trace store's first flush): conversations not counted.
  const warmIds = Array.from({ length: WARMUP_CONVERSATIONS }, (_, i) => `warm-${i}`);
  for (const text of SCRIPT) for (const id of warmIds) await (await postJson(`${server.url}/v1/conversations/${id}/messages`, { text })).json();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...latencies].sort((a, b) => a - b);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    database: process.env.DATABASE_URL ? "postgresql" : "pglite (on disk, temporary directory)",
    conversations: CONVERSATIONS,
    concurrency: CONCURRENCY,
    turns: latencies.length,
    turnLatencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted.at(-1)!.toFixed(1) },
    turnsPerSecond: +(latencies.length / (elapsedMs / 1000)).toFixed(1),
    rssMb: +(process.memoryUsage().rss / 1024 / 1024).toFixed(0),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
  const interleaved = process.env.OTEL_SDK_DISABLED === "true" || Number(process.env.BENCH_INTERLEAVED_PAIRS ?? 16) <= 0 ? undefined : await interleave(server.url);
  await server.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  return {
    ...(interleaved ? { interleaved } : {}),
    ...results,
    meanMs: +(latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(1),
    // CPU time of the process (server and client) per turn: what a turn costs, whatever else the machine runs.
    cpuMsPerTurn: +((cpu.user + cpu.system) / 1000 / latencies.length).toFixed(2),
    elapsedMs,
    latencies,
  };
};

type Result = Awaited<ReturnType<typeof measure>>;

if (process.env.BENCH_TRACING_CHILD) {
  console.log(`${RESULT_MARK}${JSON.stringify(await measure())}`);
  process.exit(0);
}

const ROOT = new URL("../..", import.meta.url).pathname;
const run = (tracing: boolean, extraEnv: Record<string, string> = {}): Result => {
  // Both sides run with the app's node flags; only the preload (and the SDK, below) differ.
  const args = tracing ? [...APP_NODE_ARGS, "bench/turns/run.ts"] : [...NODE_FLAGS, "--import", "tsx", "bench/turns/run.ts"];
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_TRACING_CHILD: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...extraEnv };
  if (tracing) delete env.OTEL_SDK_DISABLED;
  else env.OTEL_SDK_DISABLED = "true";
  const child = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
  if (child.status !== 0 || !line) throw new Error(`bench run (tracing ${tracing ? "on" : "off"}) failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as Result;
};

// The machine is shared: alternate short runs (off, on, off, on, ...) and pool them, so a change
// in the background load falls on both sides.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const loadBefore = loadavg().map((n) => +n.toFixed(2));
// Tracing on as shipped persists traces in the database (TRACE_STORE=database, observability/trace-store/);
// TRACE_STORE=memory separates the telemetry itself from that persistence.
const runs = { off: [] as Result[], on: [] as Result[], onMemoryStore: [] as Result[] };
for (let round = 0; round < ROUNDS; round++) {
  // The order flips every round (off, on, on-memory; then on-memory, on, off): whatever the position
  // in a round costs (the previous process's disk writes settling, the CPU's boost) falls on both sides.
  const order = [() => runs.off.push(run(false)), () => runs.on.push(run(true)), () => runs.onMemoryStore.push(run(true, { TRACE_STORE: "memory" }))];
  for (const step of round % 2 === 0 ? order : [...order].reverse()) step();
  console.error(
    `[bench:turns] round ${round + 1}/${ROUNDS} (load ${loadavg()[0]!.toFixed(2)}): cpu ms/turn off ${runs.off.at(-1)!.cpuMsPerTurn}, on ${runs.on.at(-1)!.cpuMsPerTurn}, on (memory store) ${runs.onMemoryStore.at(-1)!.cpuMsPerTurn}; mean ms off ${runs.off.at(-1)!.meanMs}, on ${runs.on.at(-1)!.meanMs}`,
  );
}
const pool = (list: Result[]) => {
  const latencies = list.flatMap((r) => r.latencies);
  const sorted = [...latencies].sort((a, b) => a - b);
  const { latencies: _l, elapsedMs: _e, ...first } = list[0]!;
  return {
    ...first,
    rounds: list.length,
    turns: latencies.length,
    turnLatencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted.at(-1)!.toFixed(1) },
    meanMs: +(latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(1),
    turnsPerSecond: +(latencies.length / (list.reduce((a, r) => a + r.elapsedMs, 0) / 1000)).toFixed(1),
    cpuMsPerTurn: +(list.reduce((a, r) => a + r.cpuMsPerTurn, 0) / list.length).toFixed(2),
    cpuMsPerTurnByRound: list.map((r) => r.cpuMsPerTurn),
    meanMsByRound: list.map((r) => r.meanMs),
    loadAverage1mByRound: list.map((r) => r.loadAverage1m),
    rssMb: Math.max(...list.map((r) => r.rssMb)),
  };
};
const interleavedOf = (list: Result[]) => {
  const sides = list.flatMap((r) => (r.interleaved ? [r.interleaved] : []));
  if (sides.length === 0) return undefined;
  const mean = (pick: (s: (typeof sides)[number]) => number) => +(sides.reduce((a, s) => a + pick(s), 0) / sides.length).toFixed(2);
  const recorded = { meanMs: mean((s) => s.recorded.meanMs), p50Ms: mean((s) => s.recorded.p50Ms), cpuMsPerTurn: mean((s) => s.recorded.cpuMsPerTurn) };
  const unsampled = { meanMs: mean((s) => s.unsampled.meanMs), p50Ms: mean((s) => s.unsampled.p50Ms), cpuMsPerTurn: mean((s) => s.unsampled.cpuMsPerTurn) };
  return { turnsPerSide: sides.reduce((a, s) => a + s.recorded.turns, 0), recorded, unsampled };
};
const off = pool(runs.off);
const on = pool(runs.on);
const onMemoryStore = pool(runs.onMemoryStore);
const cost = (a: number, b: number) => +(((a - b) / b) * 100).toFixed(1);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
/** Each round's on/off pair ran back to back, under about the same background load: the median of their ratios. */
const pairedMedian = (on: Result[], off: Result[], pick: (r: Result) => number) => +(median(on.map((r, i) => (pick(r) - pick(off[i]!)) / pick(off[i]!))) * 100).toFixed(1);
const interleaved = interleavedOf(runs.onMemoryStore);
const interleavedPersisted = interleavedOf(runs.on);
const interleavedCost = (sides: NonNullable<ReturnType<typeof interleavedOf>>) => ({
  ...sides,
  meanPercent: cost(sides.recorded.meanMs, sides.unsampled.meanMs),
  p50Percent: cost(sides.recorded.p50Ms, sides.unsampled.p50Ms),
  cpuPerTurnPercent: cost(sides.recorded.cpuMsPerTurn, sides.unsampled.cpuMsPerTurn),
});
const results = {
  ...on,
  interleaved: undefined,
  command: `nice -n ${process.env.BENCH_NICE ?? "?"} npm run bench:turns (BENCH_NICE only records the niceness the command ran at)`,
  tracing: "on (preload + SDK + content policy + metrics + trace store; capture off; no OTLP collector)",
  tracingOff: off,
  machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((n) => +n.toFixed(2)) },
  tracingCost: {
    pairedMedianCpuPerTurnPercent: pairedMedian(runs.on, runs.off, (r) => r.cpuMsPerTurn),
    pairedMedianMeanLatencyPercent: pairedMedian(runs.on, runs.off, (r) => r.meanMs),
    cpuPerTurnPercent: cost(on.cpuMsPerTurn, off.cpuMsPerTurn),
    meanPercent: cost(on.meanMs, off.meanMs),
    p50Percent: cost(on.turnLatencyMs.p50, off.turnLatencyMs.p50),
    p95Percent: cost(on.turnLatencyMs.p95, off.turnLatencyMs.p95),
    throughputPercent: cost(off.turnsPerSecond, on.turnsPerSecond),
    target: "≤ 10% of turn time",
  },
  tracingOnMemoryStore: { ...onMemoryStore, interleaved: undefined },
  telemetryCostWithoutPersistence: {
    pairedMedianCpuPerTurnPercent: pairedMedian(runs.onMemoryStore, runs.off, (r) => r.cpuMsPerTurn),
    pairedMedianMeanLatencyPercent: pairedMedian(runs.onMemoryStore, runs.off, (r) => r.meanMs),
    cpuPerTurnPercent: cost(onMemoryStore.cpuMsPerTurn, off.cpuMsPerTurn),
    meanPercent: cost(onMemoryStore.meanMs, off.meanMs),
    p50Percent: cost(onMemoryStore.turnLatencyMs.p50, off.turnLatencyMs.p50),
    p95Percent: cost(onMemoryStore.turnLatencyMs.p95, off.turnLatencyMs.p95),
    throughputPercent: cost(off.turnsPerSecond, onMemoryStore.turnsPerSecond),
  },
  ...(interleaved ? { recordingCostInterleaved: interleavedCost(interleaved) } : {}),
  // The same, in the process that persists traces to the database (the store writes on its timer, between and during turns).
  ...(interleavedPersisted ? { recordingCostInterleavedWithPersistence: interleavedCost(interleavedPersisted) } : {}),
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(0);
