/**
 * npm run bench:turns — latency of whole turns through the HTTP channel on the offline model
 * (the harness's own overhead: HTTP, memory, tools, stores, tracing), and the server's memory.
 * Results: bench/turns/results.json.
 */
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";

const SCRIPT = [
  "Hola",
  "Busco un Nissan Versa",
  "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?",
  "¿Tienen garantía?",
  "Busco una camioneta de menos de 400 mil",
];
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const server = await startTestServer();
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
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const elapsedMs = performance.now() - started;
const sorted = [...latencies].sort((a, b) => a - b);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  database: process.env.DATABASE_URL ? "postgresql" : "pglite (memory)",
  conversations: CONVERSATIONS,
  concurrency: CONCURRENCY,
  turns: latencies.length,
  turnLatencyMs: { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +sorted.at(-1)!.toFixed(1) },
  turnsPerSecond: +(latencies.length / (elapsedMs / 1000)).toFixed(1),
  rssMb: +(process.memoryUsage().rss / 1024 / 1024).toFixed(0),
};
await server.close();
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(0);
