/**
 * npm run bench:turns — what tracing costs a turn. Whole turns through the HTTP channel on the
 * offline model (the harness's own work: HTTP, memory, tools, stores, tracing), against a server
 * in a process of its own; this process only sends the requests (the load generator), so the
 * server's CPU time is the turns' alone. The database is PGlite in a temporary data directory on
 * disk, as `npm start` has it (DATABASE_URL: PostgreSQL).
 *
 * Three servers, started in turn, BENCH_ROUNDS times (the order flips every round): tracing on as
 * `npm start` has it (the instrumentation preload, the SDK, content policy, metrics, the trace
 * store persisting to the database; content capture off, no collector), tracing on with the trace
 * store in memory only (TRACE_STORE=memory), and tracing off (OTEL_SDK_DISABLED=true, no preload).
 * Each server is warmed up first (BENCH_WARMUP_CONVERSATIONS), then measured at BENCH_CONCURRENCY
 * conversations at a time: the server's CPU time per turn, and the turn's latency as the client
 * sees it. In the tracing-on servers, conversations one at a time, alternately recorded and not
 * (a W3C traceparent with the sampled flag off), measure recording against not recording in the
 * same process at the same moment.
 *
 * Results: bench/turns/results.json. The machine is shared and a process's speed varies from one
 * start to the next: `tracingCost.pairedMedian*` (the median over rounds of on against off,
 * measured back to back) is the figure least moved by it. BENCH_PROFILE_DIR: each server writes a
 * CPU profile of its measured turns there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";
import { APP_NODE_ARGS, NODE_FLAGS } from "../../app/node-flags.ts";

const READY_MARK = "BENCH_SERVER ";

const SCRIPT = [
  "Hola",
  "Busco un Nissan Versa",
  "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?",
  "¿Tienen garantía?",
  "Busco una camioneta de menos de 400 mil",
];
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100);
// A long-running server is what is measured, not one still compiling: over its first 1,000 turns
// a server's CPU per turn kept falling (by a quarter for the traced one, which has more code for
// V8 to optimise, by a fifth untraced). 200 conversations (1,000 turns) of warm-up reach the plateau.
const WARMUP_CONVERSATIONS = Number(process.env.BENCH_WARMUP_CONVERSATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const INTERLEAVED_PAIRS = Number(process.env.BENCH_INTERLEAVED_PAIRS ?? 16);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** BENCH_PROFILE_DIR: a V8 CPU profile of the measured turns (not start-up or warm-up). */
const makeProfiler = async () => {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  return {
    start: () => session.post("Profiler.start"),
    stop: async () => {
      const { profile } = await session.post("Profiler.stop");
      const name = process.env.OTEL_SDK_DISABLED === "true" ? "off" : process.env.TRACE_STORE === "memory" ? "on-memory-store" : "on";
      writeFileSync(join(dir, `turns-${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
};

/**
 * The server process (BENCH_TRACING_CHILD=1): prints its address, then answers the load
 * generator over IPC (its CPU time so far, its memory, profiling) until "close".
 */
const serve = async () => {
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), "bench-turns-pglite-"));
  const server = await startTestServer((config) => (dataDir ? { ...config, database: { ...config.database, pgliteDataDir: dataDir } } : config));
  const profiler = await makeProfiler();
  process.on("message", (message: { id: number; ask: string }) => {
    const answer = async (): Promise<unknown> => {
      if (message.ask === "cpu") return process.cpuUsage();
      if (message.ask === "memory") return +(process.memoryUsage().rss / 1024 / 1024).toFixed(0);
      if (message.ask === "profile-start") return profiler?.start();
      if (message.ask === "profile-stop") return profiler?.stop();
      await server.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      return undefined;
    };
    void answer().then((value) => {
      process.send!({ id: message.id, value });
      if (message.ask === "close") process.disconnect();
    });
  });
  console.log(`${READY_MARK}${server.url}`);
};

if (process.env.BENCH_TRACING_CHILD) await serve();

const ROOT = new URL("../..", import.meta.url).pathname;

interface Server {
  readonly url: string;
  readonly ask: <A>(ask: string) => Promise<A>;
}

/** Starts a server process: tracing on (the app's node arguments, preload included) or off. */
const startServer = async (tracing: boolean, extraEnv: Record<string, string>): Promise<{ server: Server; child: ChildProcess }> => {
  const args = tracing ? [...APP_NODE_ARGS, "bench/turns/run.ts"] : [...NODE_FLAGS, "--import", "tsx", "bench/turns/run.ts"];
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_TRACING_CHILD: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...extraEnv };
  if (tracing) delete env.OTEL_SDK_DISABLED;
  else env.OTEL_SDK_DISABLED = "true";
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const output: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => l.startsWith(READY_MARK));
      if (line) resolve(line.slice(READY_MARK.length).trim());
    });
    child.once("exit", (code) => reject(new Error(`bench server (tracing ${tracing ? "on" : "off"}) exited with ${code}: ${output.join("").slice(-2000)}`)));
  });
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on("message", (message: { id: number; value: unknown }) => waiting.get(message.id)?.(message.value));
  const ask = <A>(question: string) =>
    new Promise<A>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ id, ask: question });
    });
  return { server: { url, ask }, child };
};

const turn = async (url: string, conversationId: string, text: string, headers: Record<string, string> = {}) => {
  const started = performance.now();
  const res = await postJson(`${url}/v1/conversations/${conversationId}/messages`, { text }, headers);
  await res.json();
  if (res.status !== 200) throw new Error(`turn failed with ${res.status}`);
  return performance.now() - started;
};

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * In a tracing-on server: conversations one at a time, alternately recorded and not (a W3C
 * traceparent with the sampled flag off makes the parent-based sampler drop the whole turn), so
 * both sides share the same process and the same moment of the machine's load. This is the cost of
 * recording, processing and storing spans; what the instrumentation costs when nothing is recorded
 * is in the comparison of separate servers.
 */
const interleave = async (server: Server, prefix: string) => {
  const sides = { recorded: { ms: [] as number[], cpuMs: 0 }, unsampled: { ms: [] as number[], cpuMs: 0 } };
  for (let i = 0; i < INTERLEAVED_PAIRS * 2; i++) {
    const side = i % 2 === 0 ? sides.unsampled : sides.recorded;
    const headers: Record<string, string> = side === sides.unsampled ? { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00` } : {};
    const before = await server.ask<NodeJS.CpuUsage>("cpu");
    for (const text of SCRIPT) side.ms.push(await turn(server.url, `${prefix}-interleaved-${i}`, text, headers));
    side.cpuMs += cpuMs(await server.ask<NodeJS.CpuUsage>("cpu")) - cpuMs(before);
  }
  const summary = (side: { ms: number[]; cpuMs: number }) => {
    if (side.ms.length === 0) return { turns: 0, meanMs: 0, p50Ms: 0, cpuMsPerTurn: 0 };
    const sorted = [...side.ms].sort((a, b) => a - b);
    return { turns: side.ms.length, meanMs: +(side.ms.reduce((a, b) => a + b, 0) / side.ms.length).toFixed(2), p50Ms: +percentile(sorted, 50).toFixed(2), cpuMsPerTurn: +(side.cpuMs / side.ms.length).toFixed(2) };
  };
  return { recorded: summary(sides.recorded), unsampled: summary(sides.unsampled) };
};

/** Warm-up, then the measured turns at CONCURRENCY conversations at a time. */
const measure = async (server: Server, tracing: boolean) => {
  const prefix = randomBytes(4).toString("hex");
  const conversations = async (count: number, name: string, latencies: number[]) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const id = `${prefix}-${name}-${next++}`;
        for (const text of SCRIPT) latencies.push(await turn(server.url, id, text));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  await conversations(WARMUP_CONVERSATIONS, "warm", []);
  // The trace store writes on a timer: let the warm-up's writes land before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const latencies: number[] = [];
  await server.ask("profile-start");
  const cpuBefore = await server.ask<NodeJS.CpuUsage>("cpu");
  const started = performance.now();
  await conversations(CONVERSATIONS, "bench", latencies);
  const elapsedMs = performance.now() - started;
  const cpu = cpuMs(await server.ask<NodeJS.CpuUsage>("cpu")) - cpuMs(cpuBefore);
  await server.ask("profile-stop");
  const sorted = [...latencies].sort((a, b) => a - b);
  const interleaved = tracing && INTERLEAVED_PAIRS > 0 ? await interleave(server, prefix) : undefined;
  return {
    ...(interleaved ? { interleaved } : {}),
    date: new Date().toISOString(),
    node: process.version,
    database: process.env.DATABASE_URL ? "postgresql" : "pglite (on disk, temporary directory)",
    conversations: CONVERSATIONS,
    warmupConversations: WARMUP_CONVERSATIONS,
    concurrency: CONCURRENCY,
    turns: latencies.length,
    turnLatencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted.at(-1)!.toFixed(1) },
    turnsPerSecond: +(latencies.length / (elapsedMs / 1000)).toFixed(1),
    rssMb: await server.ask<number>("memory"),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
    meanMs: +(latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(1),
    // The server's CPU time (all its threads) per turn: what a turn costs, whatever else the machine runs.
    cpuMsPerTurn: +(cpu / latencies.length).toFixed(2),
    elapsedMs,
    latencies,
  };
};

type Result = Awaited<ReturnType<typeof measure>>;

const run = async (tracing: boolean, extraEnv: Record<string, string> = {}): Promise<Result> => {
  const { server, child } = await startServer(tracing, extraEnv);
  try {
    return await measure(server, tracing);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await server.ask("close").catch(() => {});
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    child.kill("SIGKILL");
  }
};

// The machine is shared: alternate short runs (off, on, off, on, ...) and pool them, so a change
// in the background load falls on both sides.
if (process.env.BENCH_TRACING_CHILD === undefined) {
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const loadBefore = loadavg().map((n) => +n.toFixed(2));
// Tracing on as shipped persists traces in the database (TRACE_STORE=database, observability/trace-store/);
// TRACE_STORE=memory separates the telemetry itself from that persistence.
const runs = { off: [] as Result[], on: [] as Result[], onMemoryStore: [] as Result[] };
for (let round = 0; round < ROUNDS; round++) {
  // The order flips every round (off, on, on-memory; then on-memory, on, off): whatever the position
  // in a round costs (the previous process's disk writes settling, the CPU's boost) falls on both sides.
  const order = [async () => runs.off.push(await run(false)), async () => runs.on.push(await run(true)), async () => runs.onMemoryStore.push(await run(true, { TRACE_STORE: "memory" }))];
  for (const step of round % 2 === 0 ? order : [...order].reverse()) await step();
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
}
