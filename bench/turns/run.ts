/**
 * npm run bench:turns — what tracing costs a turn. Whole turns through the HTTP channel on the
 * offline model (the harness's own work: HTTP, memory, tools, stores, tracing), against a server
 * in a process of its own; this process only sends the requests (the load generator), so the
 * server's CPU time is the turns' alone. The database is PGlite in a temporary data directory on
 * disk, as `npm start` has it (DATABASE_URL: PostgreSQL).
 *
 * Five servers, side by side for the whole run: tracing on as `npm start` has it (the
 * instrumentation preload, the SDK, content policy, metrics, the trace store persisting to the
 * database; content capture off, no collector), tracing on with the trace store in memory only
 * (TRACE_STORE=memory), tracing on with nothing recorded (OTEL_TRACES_SAMPLER=always_off: the
 * instrumentation present, every span a no-op), and tracing off (OTEL_SDK_DISABLED=true, no
 * preload), twice: the second untraced server is the control, and what it differs from the first by
 * (`offAgainstOff`) is the bench's own noise. They take turns in blocks of
 * BENCH_BLOCK_CONVERSATIONS conversations (BENCH_CONCURRENCY at a time), in a random order: first
 * BENCH_WARMUP_CONVERSATIONS each of warm-up, then BENCH_SEGMENTS measured segments of one block
 * per server. Measured: each server's CPU time per turn over its own block (its spans written
 * before the block ends), with a 95% interval over segments (bootstrap), the time its main thread
 * spent collecting garbage, and the turn's latency as the client sees it. Then
 * BENCH_UNSATURATED_SEGMENTS segments of the same blocks answered one conversation at a time: the
 * turn time one customer sees on a server that is not saturated. Then, in the tracing-on servers,
 * conversations one at a time, alternately recorded and not (a W3C traceparent with the sampled
 * flag off), measure recording against not recording in the same process at the same moment. Last,
 * in the server as `npm start` has it, rounds of paired blocks with one part of tracing switched
 * off at a time (the HTTP instrumentation, the content policy, the metrics, the trace store;
 * recording) tell what each part costs (`tracingPartsCost`; BENCH_COMPONENT_ROUNDS rounds).
 *
 * Results: bench/turns/results.json. `tracingCost.segmentMedian*` is the median over segments of
 * on against off: the figure least moved by the machine's state. BENCH_PROFILE_DIR: each server
 * writes a CPU profile of its measured turns there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance, PerformanceObserver } from "node:perf_hooks";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";
import { registeredInstrumentations } from "../../observability/instrumentations.ts";
import { APP_NODE_ARGS, NODE_FLAGS } from "../../app/node-flags.ts";
import { TURN_SCRIPT } from "../turn-script.ts";

const READY_MARK = "BENCH_SERVER ";

/** Conversations a server answers in one block of a segment (5 turns each). */
const BLOCK_CONVERSATIONS = Number(process.env.BENCH_BLOCK_CONVERSATIONS ?? 10);
// A long-running server is what is measured, not one still compiling: over its first 1,000 turns
// a server's CPU per turn kept falling (by a quarter for the traced one, which has more code for
// V8 to optimise, by a fifth untraced). 200 conversations (1,000 turns) of warm-up reach the plateau.
const WARMUP_CONVERSATIONS = Number(process.env.BENCH_WARMUP_CONVERSATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const INTERLEAVED_PAIRS = Number(process.env.BENCH_INTERLEAVED_PAIRS ?? 16);
const COMPONENT_ROUNDS = Number(process.env.BENCH_COMPONENT_ROUNDS ?? 20);
const UNSATURATED_SEGMENTS = Number(process.env.BENCH_UNSATURATED_SEGMENTS ?? 30);

const average = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0) / values.length;
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

/** The parts of tracing the components phase switches off one at a time, in the tracing-on server. */
const TRACING_PARTS = ["http-instrumentation", "content-policy", "metrics", "trace-store"] as const;
type TracingPart = (typeof TRACING_PARTS)[number];
const PROCESSOR_OF: Record<Exclude<TracingPart, "http-instrumentation">, string> = { "content-policy": "ContentPolicyProcessor", metrics: "AgentMetricsProcessor", "trace-store": "TraceStoreProcessor" };

/** The tracer provider behind the global proxy (the SDK's; a no-op one, without forceFlush, untraced). */
const sdkProvider = () =>
  (trace.getTracerProvider() as { getDelegate?: () => unknown }).getDelegate?.() as
    | { forceFlush?: () => Promise<void>; _activeSpanProcessor?: { _spanProcessors?: SpanProcessor[] } }
    | undefined;

/**
 * Switches parts of the running process's tracing off and on again: the HTTP instrumentation
 * (unpatched and patched again), and span processors taken out of the SDK's list (a private field
 * of the SDK: the bench fails loudly when it moves). For measurement only.
 */
const tracingParts = () => {
  const processors = sdkProvider()?._activeSpanProcessor?._spanProcessors;
  const removed = new Map<TracingPart, { index: number; processor: SpanProcessor }>();
  return {
    set: (part: TracingPart, on: boolean): boolean => {
      if (part === "http-instrumentation") {
        const http = registeredInstrumentations().find((instrumentation) => instrumentation.instrumentationName === "@opentelemetry/instrumentation-http");
        if (!http) throw new Error("no HTTP instrumentation registered");
        if (on) http.enable();
        else http.disable();
        return on;
      }
      if (!processors) throw new Error("the SDK's span processor list was not found (the SDK changed its internals)");
      if (on) {
        const entry = removed.get(part);
        if (entry) processors.splice(entry.index, 0, entry.processor);
        removed.delete(part);
        return on;
      }
      const index = processors.findIndex((processor) => processor.constructor.name === PROCESSOR_OF[part]);
      if (index === -1) throw new Error(`no ${PROCESSOR_OF[part]} among the span processors`);
      removed.set(part, { index, processor: processors[index]! });
      processors.splice(index, 1);
      return on;
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
  // Time in garbage collection (the main thread's), so far: recorded spans are objects that live until written.
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ["gc"] });
  // After the server: its layers set the SDK up.
  const parts = tracingParts();
  process.on("message", (message: { id: number; ask: string }) => {
    const answer = async (): Promise<unknown> => {
      if (message.ask === "cpu") return process.cpuUsage();
      if (message.ask === "gc") return gcMs;
      // Writes the trace store's pending spans now (a no-op untraced or with the store in memory).
      if (message.ask === "flush-traces") return sdkProvider()?.forceFlush?.();
      if (message.ask === "memory") return +(process.memoryUsage().rss / 1024 / 1024).toFixed(0);
      if (message.ask === "profile-start") return profiler?.start();
      if (message.ask === "profile-stop") return profiler?.stop();
      if (message.ask === "records-spans") {
        const probe = trace.getTracer("bench").startSpan("probe", {}, ROOT_CONTEXT);
        const records = probe.isRecording();
        probe.end();
        return records;
      }
      if (message.ask.startsWith("part ")) {
        const [, part, state] = message.ask.split(" ");
        return parts.set(part as TracingPart, state === "on");
      }
      await server.close();
      // The app's PGlite, and the traces' beside it (observability/trace-store/thread-database.ts).
      if (dataDir) for (const dir of [dataDir, `${dataDir}-traces`]) rmSync(dir, { recursive: true, force: true });
      return undefined;
    };
    void answer().then(
      (value) => {
        process.send!({ id: message.id, value });
        if (message.ask === "close") process.disconnect();
      },
      (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
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
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on("message", (message: { id: number; value?: unknown; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(`bench server: ${message.error}`));
    else entry?.resolve(message.value);
  });
  const ask = <A>(question: string) =>
    new Promise<A>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
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
    const headers: Record<string, string> = side === sides.unsampled ? unsampled() : {};
    const before = await server.ask<NodeJS.CpuUsage>("cpu");
    for (const text of TURN_SCRIPT) side.ms.push(await turn(server.url, `${prefix}-interleaved-${i}`, text, headers));
    side.cpuMs += cpuMs(await server.ask<NodeJS.CpuUsage>("cpu")) - cpuMs(before);
  }
  const summary = (side: { ms: number[]; cpuMs: number }) => {
    if (side.ms.length === 0) return { turns: 0, meanMs: 0, p50Ms: 0, cpuMsPerTurn: 0 };
    const sorted = [...side.ms].sort((a, b) => a - b);
    return { turns: side.ms.length, meanMs: +average(side.ms).toFixed(2), p50Ms: +percentile(sorted, 50).toFixed(2), cpuMsPerTurn: +(side.cpuMs / side.ms.length).toFixed(2) };
  };
  return { recorded: summary(sides.recorded), unsampled: summary(sides.unsampled) };
};

/**
 * In the tracing-on server: what each part of tracing costs, from blocks of conversations in which
 * one part is switched off (tracingParts), against blocks with everything on, in the same process a
 * few seconds apart. Each round runs every arm once in a random order; a part's cost is the median
 * over rounds of (everything on − that part off). "recording" is a block of unsampled turns (a
 * traceparent with the sampled flag off): everything recorded, processed and stored, against the
 * instrumentation alone.
 */
const componentCosts = async (server: Server, prefix: string) => {
  const arms = ["all", ...TRACING_PARTS, "recording"] as const;
  const perTurn: Record<(typeof arms)[number], number[]> = Object.fromEntries(arms.map((arm) => [arm, []])) as never;
  for (let round = 0; round < COMPONENT_ROUNDS; round++) {
    for (const arm of shuffled(arms)) {
      const part = (TRACING_PARTS as ReadonlyArray<string>).includes(arm) ? arm : undefined;
      if (part) await server.ask(`part ${part} off`);
      const before = await server.ask<NodeJS.CpuUsage>("cpu");
      const block = await conversations(server, `${prefix}-parts-${round}-${arm}`, BLOCK_CONVERSATIONS, arm === "recording");
      perTurn[arm].push((cpuMs(await server.ask<NodeJS.CpuUsage>("cpu")) - cpuMs(before)) / block.turns);
      if (part) await server.ask(`part ${part} on`);
    }
  }
  const all = perTurn.all;
  return {
    rounds: COMPONENT_ROUNDS,
    allOnCpuMsPerTurn: +median(all).toFixed(3),
    cpuMsPerTurnSaved: Object.fromEntries(arms.filter((arm) => arm !== "all").map((arm) => [arm === "recording" ? "recording (unsampled turns)" : `${arm} off`, +median(perTurn[arm].map((value, i) => all[i]! - value)).toFixed(3)])),
  };
};

interface Block {
  readonly turns: number;
  readonly latencies: number[];
}

const unsampled = () => ({ traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00` });

/** `count` conversations of the script, CONCURRENCY at a time (not recorded: `unsampledTurns`). */
const conversations = async (server: Server, prefix: string, count: number, unsampledTurns = false, concurrency = CONCURRENCY): Promise<Block> => {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = `${prefix}-${next++}`;
      const headers = unsampledTurns ? unsampled() : {};
      for (const text of TURN_SCRIPT) latencies.push(await turn(server.url, id, text, headers));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { turns: latencies.length, latencies };
};

const shuffled = <A>(list: ReadonlyArray<A>): A[] => {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/**
 * A 95% interval for (Σa − Σb) / Σb over paired segments: the segments resampled with replacement
 * (2,000 times, a fixed seed so a results file can be recomputed), percent.
 */
const bootstrapCi95 = (pairs: ReadonlyArray<readonly [number, number]>): [number, number] => {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ratios: number[] = [];
  for (let draw = 0; draw < 2_000; draw++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < pairs.length; i++) {
      const [x, y] = pairs[Math.floor(random() * pairs.length)]!;
      a += x;
      b += y;
    }
    ratios.push((a - b) / b);
  }
  ratios.sort((x, y) => x - y);
  return [+(ratios[Math.floor(0.025 * ratios.length)]! * 100).toFixed(1), +(ratios[Math.ceil(0.975 * ratios.length) - 1]! * 100).toFixed(1)];
};

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

if (process.env.BENCH_TRACING_CHILD === undefined) {
  // The servers run side by side for the whole measurement and take turns: each segment gives
  // each server one block of conversations, in a random order. A change in the machine's speed (it
  // has swung 2× within an hour here) then falls on all of them alike, and a segment's on/off ratio
  // compares the same few seconds. A server's CPU is read around its own block, and the trace store
  // writes the block's spans before the block ends (it would on its 5 s timer). An idle server's
  // background work (the job queue's polls and supervision, 28 to 40 ms a second here) is not a
  // turn's: read over the whole segment, five servers' blocks long, it added about 1.1 ms to every
  // turn. The whole-segment figures are kept beside them (wholeSegment*). Either way one segment's
  // on/off ratio varies by about ±25% on this machine, so each figure comes with a 95% interval.
  const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 60);
  const loadBefore = loadavg().map((n) => +n.toFixed(2));
  type Name = "off" | "on" | "onMemoryStore" | "onNothingRecorded" | "offControl";
  const started = await Promise.all([
    startServer(false, {}),
    startServer(true, {}),
    startServer(true, { TRACE_STORE: "memory" }),
    // The instrumentation present, nothing recorded: what tracing costs before any span is kept.
    startServer(true, { OTEL_TRACES_SAMPLER: "always_off" }),
    // A second untraced server, the same as the first: what two identical servers differ by (the bench's own noise).
    startServer(false, {}),
  ]);
  const servers = { off: started[0], on: started[1], onMemoryStore: started[2], onNothingRecorded: started[3], offControl: started[4] } satisfies Record<Name, { server: Server; child: ChildProcess }>;
  const names = Object.keys(servers) as Name[];
  const prefix = randomBytes(4).toString("hex");
  try {
    /** Every server's answer to the same question, by server. */
    const askAll = async <A>(question: string) => Object.fromEntries(await Promise.all(names.map(async (name) => [name, await servers[name].server.ask<A>(question)] as const))) as Record<Name, A>;
    // Each server records spans as its name says (a sampler setting the SDK ignored would go unnoticed otherwise).
    const recording = await askAll<boolean>("records-spans");
    if (names.some((name) => recording[name] !== (name === "on" || name === "onMemoryStore"))) throw new Error(`servers recording spans: ${JSON.stringify(recording)}`);
    // Warm-up in blocks that take turns too, so no server warms up on a different machine.
    const warmBlocks = Math.max(1, Math.ceil(WARMUP_CONVERSATIONS / BLOCK_CONVERSATIONS));
    for (let i = 0; i < warmBlocks; i++)
      for (const name of shuffled(names)) await conversations(servers[name].server, `${prefix}-warm-${i}`, BLOCK_CONVERSATIONS);
    // The trace store writes on a 5 s timer: let the warm-up's writes land before measuring.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await Promise.all(names.map((name) => servers[name].server.ask("profile-start")));
    const cpuNow = async () => {
      const usage = await askAll<NodeJS.CpuUsage>("cpu");
      return Object.fromEntries(names.map((name) => [name, cpuMs(usage[name])])) as Record<Name, number>;
    };
    /** A server's block in a segment: CPU over its own block (spans flushed inside it), and over the whole segment. */
    type Segment = { turns: number; cpuMs: number; wholeSegmentCpuMs: number; meanMs: number };
    const segments: Array<Record<Name, Segment>> = [];
    const latencies: Record<Name, number[]> = { off: [], on: [], onMemoryStore: [], onNothingRecorded: [], offControl: [] };
    const elapsedMs: Record<Name, number> = { off: 0, on: 0, onMemoryStore: 0, onNothingRecorded: 0, offControl: 0 };
    const gcBefore = await askAll<number>("gc");
    let before = await cpuNow();
    for (let segment = 0; segment < SEGMENTS; segment++) {
      const blocks = {} as Record<Name, Block>;
      const ownCpuMs = {} as Record<Name, number>;
      for (const name of shuffled(names)) {
        const { server } = servers[name];
        const t0 = performance.now();
        const cpuBefore = cpuMs(await server.ask<NodeJS.CpuUsage>("cpu"));
        blocks[name] = await conversations(server, `${prefix}-bench-${segment}`, BLOCK_CONVERSATIONS);
        elapsedMs[name] += performance.now() - t0;
        // The block's spans written now, inside its own window (the store would write them on its 5 s timer).
        await server.ask("flush-traces");
        ownCpuMs[name] = cpuMs(await server.ask<NodeJS.CpuUsage>("cpu")) - cpuBefore;
        latencies[name].push(...blocks[name].latencies);
      }
      const after = await cpuNow();
      segments.push(
        Object.fromEntries(names.map((name) => [name, { turns: blocks[name].turns, cpuMs: ownCpuMs[name], wholeSegmentCpuMs: after[name] - before[name], meanMs: average(blocks[name].latencies) }])) as Record<Name, Segment>,
      );
      before = after;
      if ((segment + 1) % 10 === 0) {
        const recent = segments.slice(-10);
        const perTurn = (name: Name) => (recent.reduce((a, s) => a + s[name].cpuMs, 0) / recent.reduce((a, s) => a + s[name].turns, 0)).toFixed(2);
        console.error(`[bench:turns] segment ${segment + 1}/${SEGMENTS} (load ${loadavg()[0]!.toFixed(2)}): cpu ms/turn over the last 10: off ${perTurn("off")}, on ${perTurn("on")}, on (memory store) ${perTurn("onMemoryStore")}, on (nothing recorded) ${perTurn("onNothingRecorded")}, off again ${perTurn("offControl")}`);
      }
    }
    const gcAfter = await askAll<number>("gc");
    await Promise.all(names.map((name) => servers[name].server.ask("profile-stop")));
    // Then one conversation at a time: a turn's time as one customer sees it on a server that is not
    // saturated (work off the application's thread, such as the trace thread's, runs beside the turn).
    const unsaturated: Array<Record<Name, number>> = [];
    for (let segment = 0; segment < UNSATURATED_SEGMENTS; segment++) {
      const means = {} as Record<Name, number>;
      for (const name of shuffled(names)) {
        const block = await conversations(servers[name].server, `${prefix}-alone-${segment}`, BLOCK_CONVERSATIONS, false, 1);
        means[name] = average(block.latencies);
      }
      unsaturated.push(means);
    }
    // Then, in each tracing-on server, recorded against unsampled turns (interleave()).
    const interleaved = { on: await interleave(servers.on.server, `${prefix}-i`), onMemoryStore: await interleave(servers.onMemoryStore.server, `${prefix}-i`) };
    // And what each part of tracing costs, in the server as npm start has it.
    const components = await componentCosts(servers.on.server, prefix);

    const summary = async (name: Name) => {
      const all = latencies[name];
      const sorted = [...all].sort((a, b) => a - b);
      const turns = segments.reduce((a, s) => a + s[name].turns, 0);
      return {
        turns,
        cpuMsPerTurn: +(segments.reduce((a, s) => a + s[name].cpuMs, 0) / turns).toFixed(2),
        wholeSegmentCpuMsPerTurn: +(segments.reduce((a, s) => a + s[name].wholeSegmentCpuMs, 0) / turns).toFixed(2),
        meanMs: +average(all).toFixed(2),
        turnLatencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted.at(-1)!.toFixed(1) },
        turnsPerSecond: +(all.length / (elapsedMs[name] / 1000)).toFixed(1),
        gcMsPerTurn: +((gcAfter[name] - gcBefore[name]) / turns).toFixed(3),
        rssMb: await servers[name].server.ask<number>("memory"),
        cpuMsPerTurnBySegment: segments.map((s) => +(s[name].cpuMs / s[name].turns).toFixed(2)),
      };
    };
    const off = await summary("off");
    const on = await summary("on");
    const onMemoryStore = await summary("onMemoryStore");
    const onNothingRecorded = await summary("onNothingRecorded");
    const offControl = await summary("offControl");
    const cost = (a: number, b: number) => +(((a - b) / b) * 100).toFixed(1);
    /** The median over segments of (a − b) / b: each segment's blocks ran within a few seconds of each other. */
    const segmentMedian = (a: Name, b: Name, pick: (s: Segment) => number) =>
      +(median(segments.map((s) => (pick(s[a]) - pick(s[b])) / pick(s[b]))) * 100).toFixed(1);
    const cpuPerTurn = (s: { turns: number; cpuMs: number }) => s.cpuMs / s.turns;
    const costOf = (a: Name, side: typeof on) => ({
      segmentMedianCpuPerTurnPercent: segmentMedian(a, "off", cpuPerTurn),
      // As measured before blocks were timed alone: CPU over the whole segment, the other servers' blocks included.
      wholeSegmentMedianCpuPerTurnPercent: segmentMedian(a, "off", (s) => s.wholeSegmentCpuMs / s.turns),
      segmentMedianMeanLatencyPercent: segmentMedian(a, "off", (s) => s.meanMs),
      cpuPerTurnPercent: cost(side.cpuMsPerTurn, off.cpuMsPerTurn),
      cpuPerTurnPercentCi95: bootstrapCi95(segments.map((s) => [s[a].cpuMs, s.off.cpuMs] as const)),
      meanPercent: cost(side.meanMs, off.meanMs),
      p50Percent: cost(side.turnLatencyMs.p50, off.turnLatencyMs.p50),
      p95Percent: cost(side.turnLatencyMs.p95, off.turnLatencyMs.p95),
      throughputPercent: cost(off.turnsPerSecond, side.turnsPerSecond),
    });
    /** One conversation at a time: each server's mean turn latency (median over segments), and on against off (median of the segments' ratios). */
    const unsaturatedCost = (a: Name) => +(median(unsaturated.map((s) => (s[a] - s.off) / s.off)) * 100).toFixed(1);
    const unsaturatedMeanMs = Object.fromEntries(names.map((name) => [name, +median(unsaturated.map((s) => s[name])).toFixed(2)]));
    const interleavedCost = (sides: Awaited<ReturnType<typeof interleave>>) => ({
      ...sides,
      meanPercent: cost(sides.recorded.meanMs, sides.unsampled.meanMs),
      p50Percent: cost(sides.recorded.p50Ms, sides.unsampled.p50Ms),
      cpuPerTurnPercent: cost(sides.recorded.cpuMsPerTurn, sides.unsampled.cpuMsPerTurn),
    });
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      database: process.env.DATABASE_URL ? "postgresql" : "pglite (on disk, temporary directory)",
      command: `nice -n ${process.env.BENCH_NICE ?? "?"} npm run bench:turns (BENCH_NICE only records the niceness the command ran at)`,
      method: `five servers side by side (tracing off; on as npm start has it; on with the trace store in memory; on with nothing recorded; off again, the control), each warmed up with ${WARMUP_CONVERSATIONS} conversations, then ${SEGMENTS} segments in which each server, in a random order, answers ${BLOCK_CONVERSATIONS} conversations (${TURN_SCRIPT.length} turns each, ${CONCURRENCY} at a time); CPU is the server process's (all threads) over its own block, the block's spans written to the database before it ends (wholeSegment*: over the whole segment, as runs before 2026-12-06 measured)`,
      machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((n) => +n.toFixed(2)) },
      tracingCost: { ...costOf("on", on), target: "≤ 10% of turn time" },
      unsaturatedTurnTime: {
        description: `${UNSATURATED_SEGMENTS} segments in which each server, in a random order, answers ${BLOCK_CONVERSATIONS} conversations one at a time (no other request in flight): the segment median of each server's mean turn latency, and of on against off`,
        meanMs: unsaturatedMeanMs,
        tracingCostPercent: unsaturatedCost("on"),
        memoryStoreCostPercent: unsaturatedCost("onMemoryStore"),
        nothingRecordedCostPercent: unsaturatedCost("onNothingRecorded"),
        offAgainstOffPercent: unsaturatedCost("offControl"),
      },
      telemetryCostWithoutPersistence: costOf("onMemoryStore", onMemoryStore),
      instrumentationCostNothingRecorded: costOf("onNothingRecorded", onNothingRecorded),
      // Two identical untraced servers: a difference this large between any two servers is noise.
      offAgainstOff: costOf("offControl", offControl),
      tracing: { description: "on (preload + SDK + content policy + metrics + trace store persisting to the database; capture off; no OTLP collector)", ...on },
      tracingOnMemoryStore: { description: "on, TRACE_STORE=memory", ...onMemoryStore },
      tracingOnNothingRecorded: { description: "on, OTEL_TRACES_SAMPLER=always_off (the instrumentation present, no span recorded)", ...onNothingRecorded },
      tracingOffControl: { description: "off again: a second untraced server, the same as the first", ...offControl },
      tracingOff: { description: "OTEL_SDK_DISABLED=true, no preload", ...off },
      recordingCostInterleaved: interleavedCost(interleaved.onMemoryStore),
      // The same, in the process that persists traces to the database (the store writes on its timer, between and during turns).
      recordingCostInterleavedWithPersistence: interleavedCost(interleaved.on),
      tracingPartsCost: { description: "in the tracing-on server, CPU per turn saved by switching one part off, against everything on (median over rounds of paired blocks)", ...components },
    };
    writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify({ ...results, tracing: { ...on, cpuMsPerTurnBySegment: undefined }, tracingOff: { ...off, cpuMsPerTurnBySegment: undefined }, tracingOnMemoryStore: undefined, tracingOnNothingRecorded: undefined, tracingOffControl: undefined }, null, 2));
  } finally {
    await Promise.all(
      names.map(async (name) => {
        const { server, child } = servers[name];
        const exited = new Promise((resolve) => child.once("exit", resolve));
        await server.ask("close").catch(() => {});
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        child.kill("SIGKILL");
      }),
    );
  }
  process.exit(0);
}
