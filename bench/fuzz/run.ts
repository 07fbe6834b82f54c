/**
 * npm run fuzz — hostile requests against the real server (`node --import tsx app/main.ts`, PGlite in
 * memory, offline model, rate limits on), checking every answer:
 *   - never a 5xx;
 *   - every 4xx carries the documented shape {"error": {"code", "message"}} as JSON (HEAD has no body);
 *   - the server is still healthy at the end.
 * Requests: every route with mutated methods, ids (bad percent-encoding, overlong, reserved, unicode),
 * query strings, headers (content types, charsets, content encodings incl. corrupt gzip/br/deflate,
 * origins, keys, trace contexts) and bodies (mutated valid bodies, wrong types, huge values, prototype
 * keys, deep nesting, bodies over the limits, invalid JSON, binary); plus raw-socket requests that the
 * HTTP parser refuses (header overflow, malformed request lines). Deterministic (seeded).
 *
 * Bounded: FUZZ_REQUESTS (12,000) requests or FUZZ_SECONDS (480) seconds, whichever comes first;
 * FUZZ_CONCURRENCY (12) in flight; FUZZ_SEED (18). Results: bench/fuzz/results.json. Exit code 1 when
 * any answer breaks the rules or fewer than FUZZ_MIN_REQUESTS (10,000) were sent.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { NODE_FLAGS } from "../../app/node-flags.ts";

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 12_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 480);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 18);
const MIN_REQUESTS = Number(process.env.FUZZ_MIN_REQUESTS ?? 10_000);
const ROOT = join(import.meta.dirname, "..", "..");
const ADMIN_KEY = "fuzz-admin-key";

// ---- deterministic randomness ---------------------------------------------------------------------

let state = SEED >>> 0 || 1;
const random = () => {
  // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: ReadonlyArray<T>): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// ---- inputs ---------------------------------------------------------------------------------------

const BAD_PERCENT = ["%ZZ", "%", "%E0%A4%A", "%C0%AF", "%FF%FE", "%u0041", "%%", "abc%2", "%0", "%GG%00"];
const ODD_IDS = [
  "demo-1",
  "a",
  "x".repeat(128),
  "x".repeat(129),
  "y".repeat(5000),
  "wa:5215512345678",
  "web:abc",
  "..",
  "%2e%2e",
  "%2F",
  "caf%C3%A9",
  "%00",
  "a%20b",
  "%F0%9F%9A%97",
  "0123456789abcdef0123",
  "322722",
  "-1",
  "0",
  "99999999999999999999",
  "1e5",
  "q_00000000-0000-0000-0000-000000000000",
];
const id = () => (chance(0.3) ? pick(BAD_PERCENT) : chance(0.15) ? `ok${pick(BAD_PERCENT)}` : pick(ODD_IDS));

const STRINGS = ["", " ", "Hola", "Busco un Nissan Versa", "¿Cuánto pagaría al mes por el Versa 2020 a 48 meses?", "\u0000", "💥".repeat(50), "<script>alert(1)</script>", "' or 1=1 --", "a".repeat(4001), "b".repeat(70_000), "\ud800"];
const weird = (): unknown =>
  pick<() => unknown>([
    () => pick(STRINGS),
    () => int(-1e6, 1e6),
    () => pick([0, -0, 1.5, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 36, 48, 60, 72, 12]),
    () => null,
    () => true,
    () => [],
    () => [pick([36, 48, 60, 72, 0, "48", null]), pick([36, 48, 99])],
    () => ({}),
    () => ({ nested: { deeper: [1, { x: "y" }] } }),
    () => Array.from({ length: int(0, 20) }, () => 36),
  ])();

const VALID_BODIES: Record<string, () => Record<string, unknown>> = {
  message: () => ({ text: pick(STRINGS.slice(2, 5)) }),
  quote: () => (chance(0.5) ? { stockId: 322722, downPayment: 50_000, termMonths: [48] } : { price: 250_000, downPayment: 20_000 }),
  chat: () => ({ conversationId: `fuzz-${int(0, 40).toString().padStart(12, "0")}`, text: "Hola" }),
  chatUi: () => ({ id: `fuzz-ui-${int(0, 40).toString().padStart(12, "0")}`, messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: "Busco una SUV" }] }], trigger: pick(["submit-message", "regenerate-message", "other"]) }),
  car: () => ({ stockId: int(900_000, 900_100), make: "Volkswagen", model: "Beetle", year: 2018, version: "2.5 SPORT", price: 259_999, km: 52_000 }),
  patch: () => ({ price: int(1, 400_000) }),
  import: () => ({ cars: [{ stockId: int(900_000, 900_100), make: "Mazda", model: "3", year: 2019, price: 300_000, km: 10_000 }] }),
};

const mutate = (body: Record<string, unknown>): unknown => {
  const copy: Record<string, unknown> = { ...body };
  const keys = Object.keys(copy);
  switch (int(0, 7)) {
    case 0:
      return copy;
    case 1:
      if (keys.length) copy[pick(keys)] = weird();
      return copy;
    case 2:
      if (keys.length) delete copy[pick(keys)];
      return copy;
    case 3:
      copy[pick(["extra", "__proto__", "constructor", "prototype", "toString", "stockId", "price", "cars"])] = weird();
      return copy;
    case 4:
      return weird();
    case 5: {
      let deep: unknown = copy;
      for (let i = 0; i < int(50, 3000); i++) deep = [deep];
      return deep;
    }
    case 6:
      for (const key of keys) copy[key] = weird();
      return copy;
    default:
      for (const key of keys) if (typeof copy[key] === "number") copy[key] = pick([int(-10, 10), int(0, 1e9), -int(0, 1e9), int(0, 1e6) / 7]);
      return copy;
  }
};

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  readonly group: string;
}

const ROUTES: ReadonlyArray<{ group: string; methods: string[]; path: () => string; body?: keyof typeof VALID_BODIES }> = [
  { group: "conversation.post", methods: ["POST"], path: () => `/v1/conversations/${id()}/messages`, body: "message" },
  { group: "conversation.get", methods: ["GET", "DELETE", "PUT", "HEAD"], path: () => `/v1/conversations/${id()}/messages` },
  { group: "conversation.delete", methods: ["DELETE", "PATCH"], path: () => `/v1/conversations/${id()}` },
  { group: "quotes.post", methods: ["POST"], path: () => "/v1/financing/quotes", body: "quote" },
  { group: "quotes.get", methods: ["GET", "POST", "DELETE"], path: () => `/v1/financing/quotes/${id()}` },
  { group: "knowledge", methods: ["GET", "POST"], path: () => `/v1/knowledge/search${query()}` },
  { group: "traces", methods: ["GET"], path: () => `/v1/traces/${id()}` },
  { group: "chat", methods: ["POST", "OPTIONS", "GET"], path: () => "/api/chat", body: "chat" },
  { group: "chat.ui", methods: ["POST"], path: () => "/api/chat", body: "chatUi" },
  { group: "chat.history", methods: ["GET"], path: () => `/api/chat/history/${id()}` },
  { group: "admin.list", methods: ["GET"], path: () => `/v1/admin/cars${query()}` },
  { group: "admin.car", methods: ["GET", "PUT", "PATCH", "DELETE"], path: () => `/v1/admin/cars/${id()}`, body: "patch" },
  { group: "admin.create", methods: ["POST"], path: () => "/v1/admin/cars", body: "car" },
  { group: "admin.import", methods: ["POST"], path: () => `/v1/admin/cars/import${query()}`, body: "import" },
  { group: "whatsapp", methods: ["POST"], path: () => pick(["/channels/whatsapp/webhook", "/channels/whatsapp/status"]) },
  { group: "static", methods: ["GET", "HEAD", "POST"], path: () => pick(["/", "/widget.js", "/health", "/openapi.json", "/docs", "/nothing", `/${id()}`, "/v1", "/v1/"]) },
];

function query(): string {
  const parts: string[] = [];
  for (let i = 0; i < int(0, 4); i++) {
    const key = pick(["q", "limit", "offset", "partial", "q[]", "limit[a]", "x", pick(BAD_PERCENT)]);
    const value = pick(["garantia", "", "0", "-1", "3", "11", "abc", "true", "1e3", "%ZZ", "a".repeat(600), "%E2%82%AC", pick(BAD_PERCENT)]);
    parts.push(`${key}=${value}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

const encodeBody = (raw: Buffer, headers: Record<string, string>): Buffer => {
  if (!chance(0.12)) return raw;
  const encoding = pick(["gzip", "br", "deflate", "gzip-bad", "br-bad", "deflate-bad", "zstd", "identity", "foo", "gzip, br"]);
  if (encoding === "gzip") return (headers["content-encoding"] = "gzip"), gzipSync(raw);
  if (encoding === "br") return (headers["content-encoding"] = "br"), brotliCompressSync(raw);
  if (encoding === "deflate") return (headers["content-encoding"] = "deflate"), deflateSync(raw);
  headers["content-encoding"] = encoding.replace("-bad", "");
  return encoding.endsWith("-bad") ? Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), raw]) : raw;
};

const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "application/json; charset=utf-16", "text/plain", "text/csv", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", ""];

const nextRequest = (): FuzzRequest => {
  const route = pick(ROUTES);
  const method = chance(0.9) ? pick(route.methods) : pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]);
  const headers: Record<string, string> = {};
  if (chance(0.3)) headers.origin = pick(["https://evil.example", "null", "http://127.0.0.1", "https://dealer.example", "not a url"]);
  if (route.group.startsWith("admin") || chance(0.05))
    if (chance(0.85)) headers.authorization = chance(0.8) ? `Bearer ${ADMIN_KEY}` : pick(["Bearer wrong", "Basic Zm9vOmJhcg==", "Bearer ", "bearer " + "k".repeat(3000)]);
  if (chance(0.1)) headers.traceparent = pick(["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "garbage", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01"]);
  if (route.group === "whatsapp" && chance(0.8)) headers["x-twilio-signature"] = pick(["", "abc", "a".repeat(200)]);
  if (chance(0.05)) headers.accept = pick(["*/*", "text/html", "application/xml", "garbage/;;"]);

  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS" && (route.body || route.group === "whatsapp" || chance(0.3))) {
    let raw: Buffer;
    if (route.group === "whatsapp") {
      const form = new URLSearchParams({ MessageSid: pick(["SM" + "a".repeat(32), "<x>", ""]), From: pick(["whatsapp:+5215512345678", "+521", ""]), Body: pick(STRINGS).slice(0, 2000), NumMedia: pick(["0", "1", "-3", "x", "99"]), MessageStatus: pick(["delivered", "", "x".repeat(40)]) });
      raw = Buffer.from(chance(0.2) ? `${form.toString()}&${pick(BAD_PERCENT)}=${pick(BAD_PERCENT)}` : form.toString());
      headers["content-type"] = chance(0.85) ? "application/x-www-form-urlencoded" : pick(CONTENT_TYPES);
    } else if (chance(0.85)) {
      const valid = VALID_BODIES[route.body ?? pick(Object.keys(VALID_BODIES))]!();
      const text = chance(0.08) ? pick(['{"text":', "{", "nul", "[1,2", '{"a":1}}', "\u0000\u0001", '{"text":"\\ud800"}', "{'a':1}"]) : JSON.stringify(mutate(valid)) ?? "null";
      raw = Buffer.from(text);
      headers["content-type"] = chance(0.85) ? "application/json" : pick(CONTENT_TYPES);
    } else {
      raw = Buffer.from(Array.from({ length: int(0, 2048) }, () => int(0, 255)));
      headers["content-type"] = pick(CONTENT_TYPES);
    }
    if (headers["content-type"] === "") delete headers["content-type"];
    body = encodeBody(raw, headers);
  }
  return { method, path: route.path(), headers, body, group: route.group };
};

// ---- raw-socket requests (what the HTTP parser refuses) --------------------------------------------

const RAW_REQUESTS: ReadonlyArray<{ group: string; data: () => string }> = [
  { group: "raw.header-overflow", data: () => `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(int(17_000, 40_000))}\r\n\r\n` },
  { group: "raw.many-headers", data: () => `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${"v".repeat(10)}`).join("\r\n")}\r\n\r\n` },
  { group: "raw.bad-request-line", data: () => `${pick(["GARBAGE", "GET", "GET / HTTP/9.9", "\u0001\u0002", "GET /a b HTTP/1.1"])}\r\n\r\n` },
  { group: "raw.bad-header", data: () => `GET /health HTTP/1.1\r\nHost: x\r\n${pick(["NoColon", "Bad Header: x", "X: \u0000"])}\r\n\r\n` },
  { group: "raw.bad-chunked", data: () => `POST /v1/financing/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n` },
  { group: "raw.bad-path", data: () => `GET /v1/conversations/${pick(BAD_PERCENT)}/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` },
  { group: "raw.cl-and-te", data: () => `POST /v1/financing/quotes HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n` },
];

// ---- checking --------------------------------------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const shapeProblem = (method: string, answer: Answer): string | undefined => {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 400 || method === "HEAD") return undefined;
  if (!answer.contentType.includes("application/json")) return `${answer.status} with content-type ${answer.contentType || "(none)"}`;
  try {
    const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== "string" || typeof parsed.error.message !== "string") return `${answer.status} outside the error shape`;
  } catch {
    return `${answer.status} with a body that is not JSON`;
  }
  return undefined;
};

const parseRawAnswer = (raw: string): Answer | undefined => {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(raw);
  if (!match) return undefined;
  const [head, ...rest] = raw.split("\r\n\r\n");
  const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head ?? "")?.[1] ?? "";
  return { status: Number(match[1]), contentType, body: rest.join("\r\n\r\n") };
};

// ---- the run ---------------------------------------------------------------------------------------

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });

const port = await freePort();
const env: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
for (const key of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "MEILI_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "DATABASE_URL"]) delete env[key];
Object.assign(env, {
  PORT: String(port),
  HOST: "127.0.0.1",
  PGLITE_DATA_DIR: "memory://",
  ADMIN_API_KEYS: ADMIN_KEY,
  WIDGET_ALLOWED_ORIGINS: "https://dealer.example",
  TWILIO_AUTH_TOKEN: "fuzz-token",
  RUN_WORKERS: "false",
  // Limits on, high enough that the fuzz reaches the handlers (the limits have their own tests).
  RATE_LIMITS: "true",
  RATE_LIMIT_CHAT_PER_IP: "100000",
  RATE_LIMIT_CHAT_PER_CONVERSATION: "100000",
  RATE_LIMIT_API_PER_IP: "100000",
  RATE_LIMIT_ADMIN_PER_KEY: "100000",
  ADMIN_AUTH_MAX_FAILURES: "100000",
  LOG_LEVEL: "error",
});
const child = spawn(process.execPath, [...NODE_FLAGS, "--import", "tsx", "app/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
// The server never outlives the run, even when the run fails.
process.on("exit", () => child.exitCode === null && child.kill("SIGKILL"));
process.on("uncaughtException", (error) => {
  console.error(error);
  process.exit(2);
});
const serverLog: string[] = [];
const keep = (chunk: Buffer) => {
  for (const line of chunk.toString().split("\n")) if (line.trim()) serverLog.push(line.slice(0, 500));
  if (serverLog.length > 2000) serverLog.splice(0, serverLog.length - 2000);
};
child.stdout.on("data", keep);
child.stderr.on("data", keep);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (child.exitCode !== null) throw new Error(`server exited while starting:\n${serverLog.join("\n")}`);
  if (i > 1200) throw new Error("server not ready in 120 s");
  const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
  if (ok) break;
  await sleep(100);
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

const send = (req: FuzzRequest) =>
  new Promise<Answer | { error: string }>((resolve) => {
    const outgoing = httpRequest(`${base}${req.path}`, { method: req.method, headers: req.headers, agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString() }));
      res.on("error", (error) => resolve({ error: `response: ${error.message}` }));
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("timeout")));
    outgoing.on("error", (error) => resolve({ error: error.message }));
    outgoing.end(req.body);
  });

const sendRaw = (data: string) =>
  new Promise<Answer | { error: string }>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let out = "";
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("data", (chunk) => (out += chunk.toString()));
    socket.on("close", () => resolve(parseRawAnswer(out) ?? { error: `no HTTP answer (${out.length} bytes)` }));
    socket.on("error", () => undefined);
    socket.write(data);
  });

const byStatus: Record<string, number> = {};
const byGroup: Record<string, Record<string, number>> = {};
const violations: Array<{ group: string; method: string; path: string; problem: string; body: string }> = [];
const transportErrors: Record<string, number> = {};
let sent = 0;
const started = Date.now();
const deadline = started + SECONDS * 1000;

const record = (group: string, method: string, path: string, answer: Answer | { error: string }) => {
  if ("error" in answer) {
    // A connection the server closed on purpose (after a refused body, an oversized upload) is not an answer to check.
    transportErrors[answer.error] = (transportErrors[answer.error] ?? 0) + 1;
    return;
  }
  byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
  const groupCounts = (byGroup[group] ??= {});
  groupCounts[answer.status] = (groupCounts[answer.status] ?? 0) + 1;
  const problem = shapeProblem(method, answer);
  if (problem && violations.length < 200) violations.push({ group, method, path: path.slice(0, 200), problem, body: answer.body.slice(0, 300) });
  else if (problem) violations.push({ group, method, path: "", problem, body: "" });
};

const worker = async () => {
  while (sent < TOTAL && Date.now() < deadline) {
    sent += 1;
    if (chance(0.03)) {
      const raw = pick(RAW_REQUESTS);
      record(raw.group, "RAW", "", await sendRaw(raw.data()));
    } else {
      const req = nextRequest();
      record(req.group, req.method, req.path, await send(req));
    }
    if (sent % 1000 === 0) console.log(`${sent} requests, ${((Date.now() - started) / 1000).toFixed(0)} s, ${violations.length} violations`);
  }
};
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (Date.now() - started) / 1000;
const healthy = await fetch(`${base}/health`).then((r) => r.ok, () => false);
agent.destroy();
child.kill("SIGTERM");
const exited = await Promise.race([new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code))), sleep(20_000).then(() => "timeout" as const)]);
if (exited === "timeout") child.kill("SIGKILL");

const answered = Object.values(byStatus).reduce((a, b) => a + b, 0);
const fiveXx = Object.entries(byStatus).filter(([status]) => Number(status) >= 500).reduce((a, [, n]) => a + n, 0);
const results = {
  when: new Date().toISOString(),
  seed: SEED,
  bounds: { requests: TOTAL, seconds: SECONDS, concurrency: CONCURRENCY },
  sent,
  answered,
  seconds: Number(seconds.toFixed(1)),
  requestsPerSecond: Number((sent / seconds).toFixed(0)),
  responses5xx: fiveXx,
  responsesOutsideErrorShape: violations.filter((v) => !v.problem.startsWith("status 5")).length,
  violations: violations.length,
  healthyAfter: healthy,
  serverExitOnSigterm: exited,
  byStatus,
  byGroup,
  transportErrors,
  violationSamples: violations.slice(0, 50),
  serverErrorsLogged: serverLog.filter((line) => /unhandled|error/i.test(line)).slice(-20),
};
writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify({ sent, answered, seconds: results.seconds, responses5xx: fiveXx, outsideShape: results.responsesOutsideErrorShape, healthyAfter: healthy, byStatus }, null, 2));
const failed = violations.length > 0 || !healthy || sent < Math.min(MIN_REQUESTS, TOTAL);
if (failed) console.error(`FUZZ FAILED: ${violations.length} violations, healthy=${healthy}, sent=${sent}`);
process.exit(failed ? 1 : 0);
