/**
 * npm run bench:trace-store — the two parts of tracing that can be measured apart from a running
 * server, where bench:turns only sees their sum and the machine's swings:
 * - spans: CPU per span in a tight loop (a server span and nine statement-like children with the
 *   database attributes), first on a bare SDK provider with no span processor, then on the
 *   process's own provider as `setupTracing` builds it (content policy, metrics, trace store);
 * - persistence: the real spans of the bench:turns conversation (captured from a server in this
 *   process, preload included), written again and again under fresh trace ids to a trace database
 *   in its own thread (as `npm start` has it) at several turns per write. Measured: the process's
 *   CPU per turn (both threads), the thread's event-loop active time per turn, and the bytes
 *   stored per turn.
 * Results: bench/trace-store/results.json. Env: BENCH_SPANS (100,000 per round, 3 rounds),
 * BENCH_TURNS (6,000 per batch size), BENCH_BATCHES (10,38,130 turns per write).
 */
import { context, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";
import { setupTracing } from "../../observability/tracing.ts";
import { DatabaseTraceSink } from "../../observability/trace-store/database-sink.ts";
import { Lineage, type TurnSummary } from "../../observability/trace-store/lineage.ts";
import type { StoredSpan } from "../../observability/trace-store/span.ts";
import { openThreadDatabase } from "../../observability/trace-store/thread-database.ts";
import { TURN_SCRIPT } from "../turn-script.ts";

const SPANS = Number(process.env.BENCH_SPANS ?? 100_000);
const TURNS = Number(process.env.BENCH_TURNS ?? 6_000);
const BATCHES = (process.env.BENCH_BATCHES ?? "10,38,130").split(",").map(Number);
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** µs of CPU per span, per round: one server span and nine children with a statement span's attributes. */
const spanCost = (tracer: Tracer): number[] =>
  [0, 1, 2].map(() => {
    const before = process.cpuUsage();
    for (let i = 0; i < SPANS; i += 10) {
      const root = tracer.startSpan("POST /v1/conversations/:conversationId/messages", { kind: SpanKind.SERVER });
      const parent = trace.setSpan(context.active(), root);
      for (let j = 0; j < 9; j++) {
        const span = tracer.startSpan(
          "SELECT messages",
          {
            kind: SpanKind.CLIENT,
            attributes: {
              "db.system.name": "postgresql",
              "db.operation.name": "SELECT",
              "db.query.summary": "SELECT messages",
              "db.query.text": 'select "content", "seq" from "messages" where "conversation_id" = $1 order by "seq" desc limit $2',
              "db.collection.name": "messages",
              "store.operation": "messages.recent",
            },
          },
          parent,
        );
        span.setAttribute("db.response.returned_rows", 3);
        span.end();
      }
      root.end();
    }
    return +((cpuMs(process.cpuUsage(before)) * 1000) / SPANS).toFixed(2);
  });

/** The spans of each turn of the script, as the trace store keeps them. */
const captureTurns = async (): Promise<StoredSpan[][]> => {
  process.env.TRACE_STORE = "memory";
  const server = await startTestServer();
  const tracing = setupTracing({ serviceName: "bench-trace-store" });
  const turns: StoredSpan[][] = [];
  for (const text of TURN_SCRIPT) {
    const response = await postJson(`${server.url}/v1/conversations/bench-trace-store/messages`, { text });
    const { traceId } = (await response.json()) as { traceId?: string };
    // The HTTP server span ends after the response is written.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const spans = traceId === undefined ? undefined : tracing.store.getTrace(traceId);
    if (!spans || spans.length === 0) throw new Error(`no spans recorded for "${text}"`);
    turns.push([...spans]);
  }
  await server.close();
  return turns;
};

/** The captured turns written `TURNS` times under fresh trace ids, `batch` turns per write. */
const persistenceCost = async (captured: StoredSpan[][], batch: number) => {
  const dir = mkdtempSync(join(tmpdir(), "bench-trace-store-"));
  const thread = await openThreadDatabase(dir);
  try {
    const sink = new DatabaseTraceSink(thread.db, "pglite-thread");
    const lineage = new Lineage();
    let written = 0;
    const write = async (turns: number) => {
      for (let i = 0; i < turns; i += batch) {
        const spans: StoredSpan[] = [];
        const summaries: TurnSummary[] = [];
        for (let j = 0; j < batch; j++) {
          const original = captured[(written + j) % captured.length]!;
          const traceId = randomBytes(16).toString("hex");
          const shift = Date.now() - original[0]!.startTimeMs;
          for (const span of original) {
            const fresh = { ...span, traceId, startTimeMs: span.startTimeMs + shift };
            spans.push(fresh);
            const summary = lineage.note(fresh);
            if (summary) summaries.push(summary);
          }
        }
        written += batch;
        await sink.write(spans, summaries);
      }
    };
    await write(1_000);
    const elu = thread.worker.performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await write(TURNS);
    const threadActive = thread.worker.performance.eventLoopUtilization(elu).active;
    const stored = await sql<{ bytes: number }>`select (sum(octet_length(spans)) / ${written}::int)::int as bytes from trace_span_batches`.execute(thread.db);
    return {
      turnsPerWrite: batch,
      processCpuMsPerTurn: +(cpuMs(process.cpuUsage(cpu)) / TURNS).toFixed(3),
      threadActiveMsPerTurn: +(threadActive / TURNS).toFixed(3),
      wallMsPerTurn: +((performance.now() - started) / TURNS).toFixed(3),
      storedBytesPerTurn: stored.rows[0]!.bytes,
    };
  } finally {
    await thread.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

const loadBefore = loadavg().map((n) => +n.toFixed(2));
const bare = spanCost(new BasicTracerProvider({ spanProcessors: [] }).getTracer("bench"));
const captured = await captureTurns();
// setupTracing ran in captureTurns (the server's); its provider is the global one.
const asTheApp = spanCost(trace.getTracer("bench"));
const persistence = [];
for (const batch of BATCHES) persistence.push(await persistenceCost(captured, batch));

const results = {
  date: new Date().toISOString(),
  node: process.version,
  command: "npm run bench:trace-store",
  machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((n) => +n.toFixed(2)) },
  spanCpuMicroseconds: { sdkWithoutProcessors: bare, asTheApp, rounds: 3, spansPerRound: SPANS },
  turn: { spansPerTurn: captured.map((spans) => spans.length), script: TURN_SCRIPT },
  persistence: { turnsPerBatchSize: TURNS, byTurnsPerWrite: persistence },
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(0);
