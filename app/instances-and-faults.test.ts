/**
 * Issue 12: several instances behaving as one, and database faults. Two real server processes
 * (`node --import tsx app/main.ts`) on one database of a throwaway PostgreSQL cluster that this
 * test starts (and stops, kills and restarts) itself; the machine's shared server is never touched.
 * - Concurrent messages to one conversation through both instances are stored in order.
 * - An admin price change on A is in B's search within a second; B's /health shows the version.
 * - PostgreSQL stopped (fast shutdown, then an immediate one, like a crash) under load: neither
 *   process exits, requests meanwhile get 503 in the error shape, both recover on their own, and
 *   no conversation shows a half-written turn.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayCluster, throwawayUnavailableReason, type ThrowawayCluster } from "../knowledge/db/testing/throwaway-postgres.ts";
import { startChildApp, type ChildApp } from "./testing/child-app.ts";

const skip = throwawayUnavailableReason();
const ADMIN_KEY = "issue-12-admin-key";
const VERSA = { stockId: 322722, price: 265_999 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });

const say = (app: ChildApp, conversationId: string, text: string) => post(`${app.url}/v1/conversations/${conversationId}/messages`, { text });

const history = async (app: ChildApp, conversationId: string) => {
  const response = await fetch(`${app.url}/v1/conversations/${conversationId}/messages`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: Array<{ role: string; text: string }> }).messages;
};

const health = async (app: ChildApp) =>
  (await (await fetch(`${app.url}/health`)).json()) as { ok: boolean; dependencies: { search: { status: string; catalogVersion?: number; behind?: boolean } } };

const isErrorShape = (body: unknown) => {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof error?.code === "string" && typeof error.message === "string" && Object.keys(body as object).length === 1;
};

/** Roles strictly alternate user, assistant, … and end with an answer: no half-written turn. */
const expectWholeTurns = (messages: ReadonlyArray<{ role: string }>) => {
  expect(messages.length % 2).toBe(0);
  messages.forEach((message, i) => expect(message.role).toBe(i % 2 === 0 ? "user" : "assistant"));
};

describe.skipIf(skip !== undefined)(`issue 12: two instances on one PostgreSQL, and PostgreSQL faults${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let cluster: ThrowawayCluster;
  let databaseUrl = "";
  let a: ChildApp;
  let b: ChildApp;

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    databaseUrl = await cluster.createDatabase("kavak_issue12");
    const env = { DATABASE_URL: databaseUrl, ADMIN_API_KEYS: ADMIN_KEY, AGENT_TURN_TIMEOUT_MS: "10000" };
    // One after the other: the first migrates and seeds, the second finds it done.
    a = await startChildApp("A", env);
    b = await startChildApp("B", env);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await cluster?.destroy();
  });

  const rawMessages = async (conversationIds: ReadonlyArray<string>) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ conversation_id: string; role: string }>(
        "select conversation_id, role from messages where conversation_id = any($1) order by conversation_id, seq",
        [conversationIds],
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  it("keeps one conversation's turns in order when its messages arrive through both instances at once", async () => {
    const id = `order-${Date.now()}`;
    const texts = ["Hola", "Busco un Nissan Versa", "¿Tienen SUVs?", "Busco un Mazda 3", "¿Qué autos tienen de menos de 300 mil?", "Busco un Kia Rio", "Hola, ¿qué tal?", "Busco una camioneta Honda", "¿Tienen BMW?", "Busco un Chevrolet Aveo"];
    const responses = await Promise.all(texts.map((text, i) => say(i % 2 === 0 ? a : b, id, text)));
    expect(responses.map((r) => r.status)).toEqual(texts.map(() => 200));
    const messages = await history(b, id);
    expectWholeTurns(messages);
    expect(messages.filter((m) => m.role === "user").map((m) => m.text).sort()).toEqual([...texts].sort());
    // Stored as whole turns too, not only shown that way.
    expect((await rawMessages([id])).filter((m) => m.role === "user")).toHaveLength(texts.length);
  });

  it("shows an admin price change made on A in B's search within a second, at the same catalog version", async () => {
    const newPrice = VERSA.price + 1_234;
    const changed = await fetch(`${a.url}/v1/admin/cars/${VERSA.stockId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": ADMIN_KEY },
      body: JSON.stringify({ price: newPrice }),
    });
    expect(changed.status).toBe(200);
    const started = performance.now();
    let seenAfter: number | undefined;
    for (let i = 0; seenAfter === undefined && performance.now() - started < 3_000; i++) {
      const response = await say(b, `catalog-${Date.now()}-${i}`, "Busco un Nissan Versa");
      const turn = (await response.json()) as { toolCalls: Array<{ name: string; output: { cars?: Array<{ stockId: number; price: number }> } }> };
      const versa = turn.toolCalls.find((call) => call.name === "search_cars")?.output.cars?.find((car) => car.stockId === VERSA.stockId);
      if (versa?.price === newPrice) seenAfter = performance.now() - started;
    }
    console.log(`catalog propagation A -> B (through B's search tool): ${seenAfter?.toFixed(0)} ms`);
    expect(seenAfter).toBeDefined();
    expect(seenAfter!).toBeLessThan(1_000);
    const [healthA, healthB] = [await health(a), await health(b)];
    expect(healthB.dependencies.search.catalogVersion).toBe(healthA.dependencies.search.catalogVersion);
    expect(healthB.dependencies.search.behind).toBe(false);
    expect(healthB.dependencies.search.status).toBe("up");
  });

  for (const mode of ["fast", "immediate"] as const) {
    it(`survives PostgreSQL going down under load (${mode} shutdown) and recovers without a restart`, async () => {
      interface Sample {
        readonly instance: string;
        readonly started: number;
        readonly ended: number;
        readonly status: number | "network" | "timeout";
        readonly shapeOk: boolean;
        readonly code?: string;
      }
      const samples: Sample[] = [];
      let stopLoad = false;
      const conversations: string[] = [];
      const texts = ["Busco un Nissan Versa", "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?", "Hola", "¿Tienen SUVs?"];
      const worker = async (app: ChildApp, conversationId: string) => {
        conversations.push(conversationId);
        for (let i = 0; !stopLoad; i++) {
          const started = performance.now();
          let sample: Sample;
          try {
            const response = await say(app, conversationId, texts[i % texts.length]!);
            const body = (await response.json().catch(() => undefined)) as { reply?: { text?: unknown }; error?: { code?: string } } | undefined;
            sample = {
              instance: app.name,
              started,
              ended: performance.now(),
              status: response.status,
              shapeOk: response.status === 200 ? typeof body?.reply?.text === "string" : isErrorShape(body),
              ...(body?.error?.code ? { code: body.error.code } : {}),
            };
          } catch (error) {
            sample = { instance: app.name, started, ended: performance.now(), status: (error as Error).name === "TimeoutError" ? "timeout" : "network", shapeOk: false };
          }
          samples.push(sample);
          if (sample.status !== 200) await sleep(25);
        }
      };
      const suffix = `${mode}-${Date.now()}`;
      const load = [worker(a, `load-a1-${suffix}`), worker(a, `load-a2-${suffix}`), worker(b, `load-b1-${suffix}`), worker(b, `load-b2-${suffix}`)];

      await sleep(1_000);
      const stoppedAt = performance.now();
      await cluster.stop(mode);
      await sleep(2_000);
      await cluster.start();
      const restartedAt = performance.now();
      const recoveredAt = (instance: string) => samples.find((s) => s.instance === instance && s.started >= restartedAt && s.status === 200)?.ended;
      while (performance.now() - restartedAt < 20_000) {
        const okAfter = samples.filter((s) => s.started >= restartedAt && s.status === 200);
        if (["A", "B"].every((instance) => okAfter.filter((s) => s.instance === instance).length >= 3)) break;
        await sleep(100);
      }
      stopLoad = true;
      await Promise.all(load);

      const during = samples.filter((s) => s.ended >= stoppedAt && s.started <= restartedAt);
      const unavailable = samples.filter((s) => s.status === 503);
      const summary = {
        mode,
        requests: samples.length,
        ok: samples.filter((s) => s.status === 200).length,
        "503": unavailable.length,
        codes: [...new Set(unavailable.map((s) => s.code))],
        other: Object.fromEntries(
          [...new Set(samples.filter((s) => s.status !== 200 && s.status !== 503).map((s) => String(s.status)))].map((status) => [status, samples.filter((s) => String(s.status) === status).length]),
        ),
        duringOutage: during.length,
        recoveryMsA: Math.round((recoveredAt("A") ?? NaN) - restartedAt),
        recoveryMsB: Math.round((recoveredAt("B") ?? NaN) - restartedAt),
      };
      console.log(`PostgreSQL ${mode} stop under load: ${JSON.stringify(summary)}`);

      // 0 process exits: both servers are the ones started before the outage.
      expect(a.exit(), a.output()).toBeUndefined();
      expect(b.exit(), b.output()).toBeUndefined();
      // Every request was answered, each with 200 or a 503 in the documented error shape.
      expect(summary.other).toEqual({});
      expect(samples.every((s) => s.shapeOk)).toBe(true);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(summary.codes.every((code) => code === "storage_unavailable" || code === "model_unavailable" || code === "agent_timeout")).toBe(true);
      // Recovered without a restart.
      expect(recoveredAt("A")).toBeDefined();
      expect(recoveredAt("B")).toBeDefined();
      expect((await health(a)).ok).toBe(true);
      expect((await health(b)).ok).toBe(true);

      // No half-written turn is visible; and what is stored raw (the agent today writes the user's
      // message at the start of the turn and the answer at the end) is reported.
      for (const id of conversations) expectWholeTurns(await history(id.startsWith("load-a") ? a : b, id));
      const raw = await rawMessages(conversations);
      let dangling = 0;
      raw.forEach((row, i) => {
        const next = raw[i + 1];
        if (row.role === "user" && (!next || next.conversation_id !== row.conversation_id || next.role === "user")) dangling += 1;
      });
      console.log(`PostgreSQL ${mode} stop: stored user messages without an answer (hidden by the store): ${dangling}`);
    }, 60_000);
  }
});
