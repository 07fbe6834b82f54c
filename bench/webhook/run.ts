/**
 * npm run bench:webhook — how fast the WhatsApp webhook acknowledges Twilio (REST mode: store the
 * message, enqueue its reply job, answer an empty TwiML) at a steady 200 requests/s, beside a bare
 * express handler (same form parser, no work) in the same run. Open loop: requests leave on schedule
 * whether or not earlier ones were answered, as Twilio's do. Signed requests, distinct MessageSids,
 * 50 senders. Servers are child processes (`node --import tsx`), the load comes from this one.
 *
 * Runs: the bare handler; the app as a web instance (RUN_WORKERS=false: workers run elsewhere, the
 * recommended deployment); the app with its reply workers in the same process (npm start's default,
 * informational: the offline model's turns share the CPU with the webhook). Database: PGlite (the
 * embedded default), and PostgreSQL too when DATABASE_URL is set (a fresh database on that server).
 * Also recorded: the server process's CPU time per request (user + system, from /proc), which other
 * load on the machine does not change much, and the machine's 1-minute load average around each run.
 * Each run is measured in BENCH_WINDOWS windows (3) of BENCH_SECONDS (10) each; the window with the
 * median p99 stands for the run, and every window is kept in the results.
 * Env: BENCH_RATE (200), BENCH_SECONDS (10), BENCH_WINDOWS (3), BENCH_WARMUP_SECONDS (3), BENCH_ONLY (a
 * substring of the runs' names), BENCH_DATABASES (none,pglite,postgresql). Results: bench/webhook/results.json.
 */
import { getPriority } from "node:os";
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redacted } from "effect";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import twilio from "twilio";
import { ACCOUNT_SID, AUTH_TOKEN, inboundParams, MOUNT, newMessageSid, PUBLIC_BASE_URL, SANDBOX_FROM } from "../../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn } from "../../channels/whatsapp/testing/twilio-stand-in.ts";
import { APP_NODE_ARGS } from "../../app/node-flags.ts";

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Measured windows per target: the machine is shared, so one window can catch someone else's burst. */
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SENDERS = 50;
const ROOT = join(import.meta.dirname, "..", "..");

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const CLOCK_TICKS = Number(execSync("getconf CLK_TCK").toString().trim()) || 100;
/** CPU time (user + system) a process has used, in ms, from /proc. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const round = (value: number) => Math.round(value * 10) / 10;

const startProcess = async (script: string, env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> => {
  // The app runs as `npm start` runs it (telemetry preloaded); the bare handler needs none.
  const app = script.startsWith("app/");
  // BENCH_PROFILE_DIR: the servers write V8 CPU profiles there (to see where an acknowledgement's time goes).
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profile, ...(app ? APP_NODE_ARGS : ["--import", "tsx"]), script], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${output.join("").slice(-2000)}`);
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return child;
    if (Date.now() - started > 120_000) throw new Error(`${script} did not start: ${output.join("").slice(-2000)}`);
    await sleep(100);
  }
};

const stopProcess = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(20_000).then(() => child.kill("SIGKILL"))]);
};

/** Open-loop load: one request every 1000/RATE ms for `seconds`; latency of each acknowledgement. */
const load = async (url: string, seconds: number, senderOffset: number) => {
  const total = Math.round(RATE * seconds);
  // Signed beforehand, so the load generator spends as little CPU as possible while it measures.
  const requests = Array.from({ length: total }, (_, i) => {
    const from = `whatsapp:+52155${String(senderOffset + (i % SENDERS)).padStart(7, "0")}`;
    const params = inboundParams({ sid: newMessageSid(), from, body: `Hola, busco un auto de ${150_000 + i} pesos` });
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${MOUNT}/webhook`, params);
    return { body: new URLSearchParams(params).toString(), signature };
  });
  const latencies: number[] = [];
  let errors = 0;
  const interval = 1000 / RATE;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const request = requests[i]!;
    const sent = performance.now();
    inFlight.push(
      fetch(`${url}${MOUNT}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": request.signature },
        body: request.body,
      }).then(
        async (response) => {
          await response.text();
          if (response.status === 200) latencies.push(performance.now() - sent);
          else errors++;
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: total,
    errors,
    achievedRatePerSecond: round(total / elapsed),
    ackMs: { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) },
  };
};

const standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, OTEL_EXPORTER_OTLP_ENDPOINT: _otel, DATABASE_URL: serverUrl, ...inherited } = process.env;
const appEnv = (database: NodeJS.ProcessEnv, runWorkers: boolean): NodeJS.ProcessEnv => ({
  ...inherited,
  ...database,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_WHATSAPP_FROM: SANDBOX_FROM,
  TWILIO_API_BASE_URL: standIn.baseUrl,
  PUBLIC_BASE_URL,
  WHATSAPP_INLINE_BUDGET_MS: "0",
  RUN_WORKERS: String(runWorkers),
});

interface Target {
  readonly name: string;
  readonly database: "none" | "pglite" | "postgresql";
  readonly script: string;
  readonly env: () => Promise<{ env: NodeJS.ProcessEnv; cleanup: () => Promise<void>; database: string }>;
}

type DatabaseSetup = () => Promise<{ database: NodeJS.ProcessEnv; label: string; cleanup: () => Promise<void> }>;

const pglite: DatabaseSetup = async () => {
  const dir = mkdtempSync(join(tmpdir(), "kavak-bench-webhook-"));
  return { database: { PGLITE_DATA_DIR: dir }, label: "pglite (on disk)", cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
};
const postgres: DatabaseSetup = async () => {
  const { options, drop } = await createTestDatabase();
  return { database: { DATABASE_URL: Redacted.value(options.url!) }, label: "postgresql", cleanup: drop };
};

const appTarget = (name: string, runWorkers: boolean, db: DatabaseSetup): Target => ({
  name,
  database: db === pglite ? "pglite" : "postgresql",
  script: "app/main.ts",
  env: async () => {
    const { database, label, cleanup } = await db();
    return { env: appEnv(database, runWorkers), cleanup, database: label };
  },
});

const targets: Target[] = [
  { name: "bare express handler", database: "none", script: "bench/webhook/bare-server.ts", env: async () => ({ env: { ...inherited }, cleanup: async () => {}, database: "none" }) },
  appTarget("webhook, web instance (RUN_WORKERS=false)", false, pglite),
  ...(serverUrl ? [appTarget("webhook, web instance (RUN_WORKERS=false)", false, postgres)] : []),
  appTarget("webhook, workers in the same process (npm start default)", true, pglite),
  ...(serverUrl ? [appTarget("webhook, workers in the same process (npm start default)", true, postgres)] : []),
];

const only = process.env.BENCH_ONLY;
/** BENCH_DATABASES: a comma-separated subset of "none,pglite,postgresql" (default: all). */
const databases = process.env.BENCH_DATABASES?.split(",").map((name) => name.trim());
const runs = [];
let offset = 0;
for (const target of targets) {
  if (only && !target.name.includes(only) && target.name !== "bare express handler") continue;
  if (databases && !databases.includes(target.database)) continue;
  const { env, cleanup, database } = await target.env();
  const port = await freePort();
  const child = await startProcess(target.script, env, port);
  const url = `http://127.0.0.1:${port}`;
  try {
    await load(url, WARMUP_SECONDS, (offset += SENDERS));
    const windows = [];
    for (let w = 0; w < WINDOWS; w++) {
      const loadBefore = loadavg()[0]!;
      const cpuBefore = cpuMs(child.pid!);
      const measured = await load(url, SECONDS, (offset += SENDERS));
      const serverCpuMsPerRequest = round((cpuMs(child.pid!) - cpuBefore) / measured.requests);
      windows.push({ ...measured, serverCpuMsPerRequest, machineLoadAverage: { before: round(loadBefore), after: round(loadavg()[0]!) } });
    }
    // The window with the median p99 stands for the run; all windows are kept.
    const median = [...windows].sort((a, b) => a.ackMs.p99 - b.ackMs.p99)[Math.floor(windows.length / 2)]!;
    const run = { name: target.name, database, ...median, windows };
    runs.push(run);
    console.log(JSON.stringify({ name: run.name, database, p99: windows.map((w) => w.ackMs.p99), median: median.ackMs, cpuMsPerRequest: median.serverCpuMsPerRequest, load: windows.map((w) => w.machineLoadAverage.before) }));
  } finally {
    await stopProcess(child);
    await cleanup();
  }
}
await standIn.close();

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  ratePerSecond: RATE,
  secondsPerWindow: SECONDS,
  windowsPerRun: WINDOWS,
  warmupSeconds: WARMUP_SECONDS,
  mode: "REST (WHATSAPP_INLINE_BUDGET_MS=0): store + enqueue + empty TwiML",
  targetP99Ms: 50,
  /** The bench's scheduling priority (nice): raised when the machine is shared with other work. */
  niceness: getPriority(),
  runs,
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(0);
