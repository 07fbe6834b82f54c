/**
 * The standard telemetry as an engineer's collector receives it: the real server (`npm start`'s
 * command: node --import tsx --import ./observability/preload.ts app/main.ts) exports OTLP to a
 * local receiver that decodes the requests itself (http/protobuf, then http/json). Real HTTP turns,
 * a 400, a health check and a signed WhatsApp message are driven through it; the census of the
 * spans received (kinds, names, attribute keys) is written to observability/span-census.json and
 * the conventions are asserted on it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import twilio from "twilio";
import { afterAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "./testing/otlp-receiver.ts";
import { APP_NODE_ARGS } from "../app/node-flags.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CENSUS_FILE = new URL("./span-census.json", import.meta.url).pathname;
const KIND = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
const AUTH_TOKEN = "census-auth-token";
const PHONE = "5215512345678";
const PLATE = "NXR4521";

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

interface Running {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

const startServer = async (receiver: OtlpReceiver, protocol: string): Promise<Running> => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PGLITE_DATA_DIR: "memory://",
    LOG_LEVEL: "info",
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: "census-agent",
    OTEL_RESOURCE_ATTRIBUTES: "service.version=9.9.9,deployment.environment.name=census",
    OTEL_METRICS_EXPORTER: "prometheus,otlp",
    OTEL_METRIC_EXPORT_INTERVAL: "1000",
    OTEL_BSP_SCHEDULE_DELAY: "200",
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: "ACcensus",
    TWILIO_WHATSAPP_FROM: "whatsapp:+14155238886",
    PUBLIC_BASE_URL: url,
    // Nothing may leave the machine: REST replies (if any) go to a closed port.
    TWILIO_API_BASE_URL: "http://127.0.0.1:9",
  };
  for (const name of ["DATABASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OTEL_CAPTURE_CONTENT", "OTEL_SDK_DISABLED", "MEILI_URL", "VITEST"]) delete env[name];
  const child = spawn(process.execPath, [...APP_NODE_ARGS, "app/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output.slice(-2000)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not start: ${output.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, child, output: () => output };
};

const stop = async (running: Running) => {
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  await exited;
};

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const whatsappMessage = async (url: string, text: string) => {
  const sid = `SM${Math.random().toString(16).slice(2).padEnd(32, "0")}`;
  const params: Record<string, string> = {
    SmsMessageSid: sid, NumMedia: "0", ProfileName: "Census", MessageType: "text", SmsSid: sid, WaId: PHONE, SmsStatus: "received",
    Body: text, To: "whatsapp:+14155238886", NumSegments: "1", ReferralNumMedia: "0", MessageSid: sid, AccountSid: "ACcensus",
    From: `whatsapp:+${PHONE}`, ApiVersion: "2010-04-01",
  };
  const path = "/channels/whatsapp/webhook";
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${url}${path}`, params) },
    body: new URLSearchParams(params),
  });
};

const waitFor = async (check: () => boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
};

/** Spans grouped by kind and name, with every attribute key seen. */
const census = (spans: ReadonlyArray<ReceivedSpan>) => {
  const groups = new Map<string, { kind: string; name: string; scope: string; count: number; attributes: Set<string> }>();
  for (const span of spans) {
    const key = `${span.kind}|${span.name}`;
    const group = groups.get(key) ?? { kind: KIND[span.kind] ?? String(span.kind), name: span.name, scope: span.scope, count: 0, attributes: new Set<string>() };
    group.count += 1;
    for (const attribute of Object.keys(span.attributes)) group.attributes.add(attribute);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
    .map((g) => ({ kind: g.kind, name: g.name, scope: g.scope, count: g.count, attributes: [...g.attributes].sort() }));
};

const ancestors = (spans: ReadonlyArray<ReceivedSpan>, span: ReceivedSpan): ReceivedSpan[] => {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const out: ReceivedSpan[] = [];
  let parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
  while (parent) {
    out.push(parent);
    parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined;
  }
  return out;
};

const receivers: OtlpReceiver[] = [];
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
});

describe("OTLP export of a real server (census)", () => {
  it("http/protobuf: HTTP server spans are the roots of turns; DB, GenAI and HTTP conventions; resource from OTEL_*; no personal data", { timeout: 180_000 }, async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const server = await startServer(receiver, "http/protobuf");
    let metricsText = "";
    try {
      const turn = await post(`${server.url}/v1/conversations/census-1/messages`, { text: "Busco un Nissan Versa" });
      expect(turn.status).toBe(200);
      const { traceId } = (await turn.json()) as { traceId: string };
      const quote = await post(`${server.url}/v1/conversations/census-1/messages`, { text: "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?" });
      expect(quote.status).toBe(200);
      const personal = await post(`${server.url}/v1/conversations/census-2/messages`, { text: `Mi cel es 55 1234 5678 y mi placa ${PLATE}, ¿tienen garantía?` });
      expect(personal.status).toBe(200);
      expect((await post(`${server.url}/v1/conversations/census-1/messages`, { text: "" })).status).toBe(400);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await whatsappMessage(server.url, "Hola, busco un Nissan Versa")).status).toBe(200);
      metricsText = await (await fetch(`${server.url}/metrics`)).text();
      await waitFor(() => receiver.spans.some((s) => s.traceId === traceId && s.kind === 2));
    } finally {
      await stop(server);
    }
    await waitFor(() => receiver.spans.some((s) => s.name.includes("whatsapp")), 5_000);
    const spans = receiver.spans;
    expect(receiver.contentTypes).toEqual(new Set(["application/x-protobuf"]));
    expect(receiver.metricRequests).toBeGreaterThan(0);

    // Resource: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
    const resource = spans[0]!.resource;
    expect(resource["service.name"]).toBe("census-agent");
    expect(resource["service.version"]).toBe("9.9.9");
    expect(resource["deployment.environment.name"]).toBe("census");
    expect(resource["process.pid"]).toEqual(expect.any(Number));

    // HTTP server spans: stable HTTP conventions, 4xx and health checks included.
    const serverSpans = spans.filter((s) => s.kind === 2);
    for (const span of serverSpans) for (const key of ["http.request.method", "http.response.status_code", "url.path", "url.scheme"]) expect(span.attributes, `${span.name} lacks ${key}`).toHaveProperty(key);
    const statuses = new Set(serverSpans.map((s) => s.attributes["http.response.status_code"]));
    expect(statuses).toContain(200);
    expect(statuses).toContain(400);
    expect(serverSpans.some((s) => s.attributes["url.path"] === "/health")).toBe(true);
    expect(serverSpans.some((s) => s.name === "POST /v1/conversations/:conversationId/messages" && s.attributes["http.route"] === "/v1/conversations/:conversationId/messages")).toBe(true);

    // Every HTTP turn descends from its HTTP server span (the root of its trace).
    const httpTurns = spans.filter((s) => s.name === "chat.turn" && s.attributes["chat.channel"] === "http");
    expect(httpTurns.length).toBe(3);
    for (const turn of httpTurns) {
      const chain = ancestors(spans, turn);
      expect(chain.at(-1)?.kind, "the root of a turn's trace is the HTTP server span").toBe(2);
      expect(chain.at(-1)?.parentSpanId).toBeUndefined();
    }

    // Database: one client span per statement with the database conventions.
    const dbSpans = spans.filter((s) => s.kind === 3 && s.attributes["db.system.name"] !== undefined);
    expect(dbSpans.length).toBeGreaterThan(0);
    for (const span of dbSpans) {
      expect(span.attributes["db.system.name"]).toBe("postgresql");
      expect(span.attributes["db.operation.name"]).toMatch(/^[A-Z]+$/);
      expect(span.name).toBe(span.attributes["db.query.summary"]);
    }
    expect(dbSpans.some((s) => s.attributes["db.query.summary"] === "INSERT financing_quotes")).toBe(true);
    // Each statement names the store operation it belongs to; the stores make no spans of their own.
    expect(dbSpans.find((s) => s.attributes["db.query.summary"] === "INSERT financing_quotes")?.attributes["store.operation"]).toBe("financing_quotes.save");
    expect(dbSpans.filter((s) => s.attributes["store.operation"] === undefined).map((s) => s.name)).toEqual([]);
    expect(spans.filter((s) => s.name.startsWith("db "))).toEqual([]);

    // GenAI: the AI SDK's spans with the current conventions.
    const operations = new Set(spans.map((s) => s.attributes["gen_ai.operation.name"]).filter(Boolean));
    expect(operations).toEqual(expect.objectContaining(new Set(["invoke_agent", "chat", "execute_tool"])));
    for (const span of spans.filter((s) => s.attributes["gen_ai.operation.name"] === "chat")) {
      expect(span.attributes).toHaveProperty("gen_ai.request.model");
      expect(span.attributes).toHaveProperty("gen_ai.provider.name");
    }
    expect(spans.filter((s) => s.attributes["gen_ai.operation.name"] === "execute_tool").every((s) => typeof s.attributes["gen_ai.tool.name"] === "string")).toBe(true);

    // Content capture is off by default: no prompts, messages or tool payloads.
    const contentKeys = ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result"];
    for (const span of spans) for (const key of contentKeys) expect(span.attributes, `${span.name} carries ${key}`).not.toHaveProperty(key);
    // No phone number or plate anywhere (the WhatsApp conversation id is a pseudonym).
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.statusMessage })));
    expect(everything).not.toContain("5512345678");
    expect(everything).not.toContain("55 1234 5678");
    expect(everything).not.toContain(PLATE);
    const waTurns = spans.filter((s) => s.name === "chat.turn" && s.attributes["chat.channel"] === "whatsapp");
    expect(waTurns.length).toBeGreaterThan(0);
    for (const turn of waTurns) expect(turn.attributes["chat.conversation_id"]).toMatch(/^wa:anon-[0-9a-f]{20}$/);

    // WhatsApp: the reply is produced by a job, yet its turn is in the webhook's trace, under the
    // webhook's HTTP server span (the traceparent travels in the inbox row; the job ran at once: child-of).
    const webhookSpans = serverSpans.filter((s) => s.attributes["url.path"] === "/channels/whatsapp/webhook");
    expect(webhookSpans.length).toBe(1);
    for (const turn of waTurns) {
      const chain = ancestors(spans, turn);
      expect(turn.traceId, "a WhatsApp turn shares the webhook's trace id").toBe(webhookSpans[0]!.traceId);
      expect(chain.at(-1)?.spanId, "the root of a WhatsApp turn is the webhook's HTTP server span").toBe(webhookSpans[0]!.spanId);
      const reply = chain.find((s) => s.name === "whatsapp.reply");
      expect(reply?.attributes["trace.continuation"]).toBe("child");
      expect(chain.some((s) => s.name.startsWith("job "))).toBe(false);
    }
    const webhookTrace = spans.filter((s) => s.traceId === webhookSpans[0]!.traceId).map((s) => s.name);
    for (const name of ["whatsapp.webhook", "whatsapp.reply", "whatsapp.answer", "chat.turn", "invoke_agent"]) expect(webhookTrace.some((n) => n.startsWith(name)), `${name} in the webhook's trace`).toBe(true);

    // Metrics at /metrics, per channel.
    expect(metricsText).toMatch(/agent_turn_duration_count\{chat_channel="http"[^}]*\} 3/);
    expect(metricsText).toMatch(/gen_ai_client_operation_duration_count\{[^}]*chat_channel="http"/);
    expect(metricsText).toMatch(/gen_ai_client_token_usage_count\{[^}]*gen_ai_token_type="input"/);
    expect(metricsText).toMatch(/agent_tool_calls_total\{[^}]*gen_ai_tool_name="search_cars"/);
    expect(metricsText).toMatch(/http_server_request_duration_count\{/);

    // JSON logs with trace ids, one access line per request.
    const lines = server.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.filter((line) => line.type === "access");
    expect(access.some((line) => line["http.response.status_code"] === 400 && typeof line.trace_id === "string")).toBe(true);
    expect(access.filter((line) => line["url.path"] === "/v1/conversations/census-1/messages").length).toBe(3);

    const result = {
      generatedBy: "observability/otlp-census.test.ts",
      protocol: "http/protobuf",
      // Machine-specific values left out so the file only changes when the telemetry does.
      resource: Object.fromEntries(Object.entries(resource).filter(([key]) => !["host.id", "host.name", "process.pid", "process.owner", "process.command_args", "process.executable.path"].includes(key))),
      spanCount: spans.length,
      kinds: Object.fromEntries(KIND.map((kind, i) => [kind, spans.filter((s) => s.kind === i).length]).filter(([, n]) => n !== 0)),
      httpStatuses: [...statuses].sort(),
      metrics: metricsText.split("\n").filter((line) => line.startsWith("# TYPE")).map((line) => line.slice("# TYPE ".length)),
      spans: census(spans),
    };
    writeFileSync(CENSUS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[census] ${spans.length} spans: ${result.spans.map((g) => `${g.kind} ${g.name} ×${g.count}`).join("; ")}`);
  });

  it("http/json: the same export in OTLP's JSON encoding", { timeout: 120_000 }, async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const server = await startServer(receiver, "http/json");
    try {
      expect((await post(`${server.url}/v1/conversations/census-json/messages`, { text: "Hola" })).status).toBe(200);
    } finally {
      await stop(server);
    }
    expect(receiver.contentTypes).toEqual(new Set(["application/json"]));
    const turn = receiver.spans.find((s) => s.name === "chat.turn");
    expect(turn).toBeDefined();
    expect(ancestors(receiver.spans, turn!).at(-1)?.kind).toBe(2);
    expect(receiver.spans[0]!.resource["service.name"]).toBe("census-agent");
  });
});
