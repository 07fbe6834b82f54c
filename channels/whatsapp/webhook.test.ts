/**
 * The WhatsApp channel over a real HTTP server, its durable inbox, the job queue and the reply
 * workers: inline TwiML and REST replies (to a local stand-in for Twilio's Messages API), idempotency
 * by MessageSid, per-number order, splitting, media, status callbacks. Crash and failure cases:
 * workers/whatsapp-reply.test.ts and workers/whatsapp-crash.test.ts.
 */
import { Effect, ManagedRuntime, Redacted } from "effect";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TurnInput } from "../../core/turn.ts";
import { ChannelEventStore } from "./delivery/channel-event-store.ts";
import { Database, type DatabaseShape } from "../../knowledge/db/database.ts";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { makeScriptedAgent, type ScriptedTurn } from "../web/testing/scripted-agent.ts";
import { REPLIES } from "./replies.ts";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  inboundParams,
  PUBLIC_BASE_URL,
  SANDBOX_FROM,
  startWhatsApp,
  testConfig,
  twimlMessages,
  type WhatsAppHarness,
} from "./testing/harness.ts";
import { startTwilioStandIn, type TwilioStandIn } from "./testing/twilio-stand-in.ts";

// Real servers and a real database: give slow shared machines room (these are not timing assertions).
vi.setConfig({ testTimeout: 30_000 });
const dbRuntime = ManagedRuntime.make(TestDatabase);
let database: DatabaseShape;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await dbRuntime.runPromise(Database.use(Effect.succeed));
}, 120_000);
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});
afterAll(() => dbRuntime.dispose());

let numberCounter = 0;
const newNumber = () => `whatsapp:+52155${String(Date.now() % 100000).padStart(5, "0")}${String(++numberCounter).padStart(3, "0")}`;

const start = async (script: (input: TurnInput, index: number) => ScriptedTurn, overrides: Parameters<typeof testConfig>[0] = {}) => {
  const agent = makeScriptedAgent(script);
  const harness = await startWhatsApp({ config: testConfig(overrides), agent: agent.layer, database });
  cleanups.push(harness.close);
  const store = <A, E>(f: (store: ChannelEventStore["Service"]) => Effect.Effect<A, E>) => harness.runtime.runPromise(ChannelEventStore.use(f));
  return { harness, agent, store };
};

const standIn = async (auth: { username: string; password: string } = { username: ACCOUNT_SID, password: AUTH_TOKEN }) => {
  const server = await startTwilioStandIn({ accountSid: ACCOUNT_SID, ...auth });
  cleanups.push(server.close);
  return server;
};

const restConfig = (server: TwilioStandIn, inlineBudgetMs: number) => ({
  accountSid: ACCOUNT_SID,
  whatsappFrom: SANDBOX_FROM,
  apiBaseUrl: server.baseUrl,
  inlineBudgetMs,
});

const LONG_REPLY = Array.from(
  { length: 10 },
  (_, i) => `*Opción ${i + 1}*\n${"Un auto cómodo, con buen rendimiento y papeles en regla. ".repeat(6).trim()}`,
).join("\n\n");

describe("WhatsApp replies", () => {
  it("replies inline as TwiML when no REST credentials are configured", async () => {
    const { harness, agent } = await start(() => ({ text: "¡Hola! Tengo *3 autos* para ti." }));
    const from = newNumber();
    const response = await harness.post("/webhook", inboundParams({ from, body: "Hola, busco un auto" }));
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>/);
    expect(twimlMessages(response.text)).toEqual(["¡Hola! Tengo *3 autos* para ti."]);
    expect(agent.calls[0]).toMatchObject({ conversationId: `wa:${from.slice("whatsapp:+".length)}`, text: "Hola, busco un auto", channel: "whatsapp" });
  });

  it("replies inline when the answer is ready within the budget, even with REST credentials", async () => {
    const server = await standIn();
    const { harness } = await start(() => ({ text: "Respuesta rápida" }), restConfig(server, 2000));
    const response = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    expect(twimlMessages(response.text)).toEqual(["Respuesta rápida"]);
    await sleep(50);
    expect(server.messages).toHaveLength(0);
  });

  it("acknowledges with empty TwiML and sends a slow answer through the Messages API, recording delivery statuses", async () => {
    const server = await standIn();
    const { harness, store } = await start(() => ({ text: "Aquí está tu respuesta", delayMs: 600 }), restConfig(server, 50));
    const from = newNumber();
    const params = inboundParams({ from, body: "Hola" });
    const response = await harness.post("/webhook", params);
    expect(response.status).toBe(200);
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    console.log(`[measure] webhook ack with a 600 ms answer and a 50 ms budget: ${response.ms.toFixed(1)} ms`);

    await vi.waitFor(() => expect(server.messages).toHaveLength(1), { timeout: 5000 });
    expect(server.rejected).toEqual([]);
    expect(server.messages[0]).toMatchObject({
      accountSid: ACCOUNT_SID,
      from: SANDBOX_FROM,
      to: from,
      body: "Aquí está tu respuesta",
      statusCallback: `${PUBLIC_BASE_URL}/channels/whatsapp/status`,
    });
    const sid = server.messages[0]!.sid;
    await vi.waitFor(async () => expect(await store((s) => s.outboundFor("whatsapp", params.MessageSid!))).toHaveLength(1));

    for (const status of ["sent", "read", "delivered"]) {
      const callback = await harness.post("/status", { MessageSid: sid, MessageStatus: status, AccountSid: ACCOUNT_SID, To: from, From: SANDBOX_FROM });
      expect(callback.status).toBe(204);
    }
    const [outbound] = await store((s) => s.outboundFor("whatsapp", params.MessageSid!));
    expect(outbound).toMatchObject({ externalId: sid, partIndex: 0, status: "read" });
    expect((await store((s) => s.deliveryEvents("whatsapp", sid))).map((e) => e.status)).toEqual(["sent", "read", "delivered"]);
    const failed = await harness.post("/status", { MessageSid: sid, MessageStatus: "failed", ErrorCode: "63016" });
    expect(failed.status).toBe(204);
  });

  it("authenticates REST calls with an API key when one is configured, and retries a transient 500", async () => {
    const server = await standIn({ username: `SK${"b".repeat(32)}`, password: "key-secret" });
    server.failNext(1, 500);
    const { harness } = await start(() => ({ text: "Hola desde la API", delayMs: 100 }), {
      ...restConfig(server, 0),
      apiKeySid: `SK${"b".repeat(32)}`,
      apiKeySecret: Redacted.make("key-secret"),
    });
    await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    await vi.waitFor(() => expect(server.messages).toHaveLength(1), { timeout: 5000 });
    expect(server.rejected).toEqual([]);
    await sleep(100);
    expect(server.messages).toHaveLength(1);
  });

  it("splits replies over 1,600 characters at paragraph boundaries, in order, inline and by REST", async () => {
    expect(LONG_REPLY.length).toBeGreaterThan(3200);
    const inline = await start(() => ({ text: LONG_REPLY }));
    const parts = twimlMessages((await inline.harness.post("/webhook", inboundParams({ from: newNumber(), body: "Opciones" }))).text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1600);
      expect(part.startsWith("*Opción ")).toBe(true);
    }
    expect(parts.join("\n\n")).toBe(LONG_REPLY);

    const server = await standIn();
    const rest = await start(() => ({ text: LONG_REPLY, delayMs: 50 }), restConfig(server, 0));
    const params = inboundParams({ from: newNumber(), body: "Opciones" });
    await rest.harness.post("/webhook", params);
    await vi.waitFor(() => expect(server.messages).toHaveLength(parts.length), { timeout: 5000 });
    expect(server.messages.map((m) => m.body)).toEqual(parts);
    await vi.waitFor(async () =>
      expect((await rest.store((s) => s.outboundFor("whatsapp", params.MessageSid!))).map((o) => o.partIndex)).toEqual(parts.map((_, i) => i)),
    );
  });

  it("answers an agent failure with a kind apology, never an error", async () => {
    const { harness } = await start(() => ({ text: "", fail: true }));
    const response = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    expect(response.status).toBe(200);
    expect(twimlMessages(response.text)).toEqual([REPLIES.agentFailed]);
  });
});

describe("WhatsApp idempotency by MessageSid", () => {
  it("answers a retried webhook with the same reply, without a second turn or stored message", async () => {
    const { harness, agent, store } = await start((_, i) => ({ text: `Respuesta número ${i + 1}` }));
    const from = newNumber();
    const params = inboundParams({ from, body: "Hola" });
    const first = await harness.post("/webhook", params);
    const second = await harness.post("/webhook", params);
    const concurrent = await Promise.all([harness.post("/webhook", params), harness.post("/webhook", params)]);
    expect(twimlMessages(first.text)).toEqual(["Respuesta número 1"]);
    for (const retry of [second, ...concurrent]) expect(retry.text).toBe(first.text);
    expect(agent.calls).toHaveLength(1);
    expect(agent.histories.get(`wa:${from.slice(10)}`)).toHaveLength(2);
    // The webhook answered inline; the worker marks the message answered right after.
    await vi.waitFor(async () => expect(await store((s) => s.getInbound("whatsapp", params.MessageSid!))).toMatchObject({ status: "answered", delivery: "inline" }));
  });

  it("never sends a second REST reply for a retried webhook", async () => {
    const server = await standIn();
    const { harness, agent } = await start(() => ({ text: "Una sola vez", delayMs: 200 }), restConfig(server, 0));
    const params = inboundParams({ from: newNumber(), body: "Hola" });
    const responses = await Promise.all([harness.post("/webhook", params), harness.post("/webhook", params)]);
    for (const response of responses) expect(twimlMessages(response.text)).toEqual([]);
    await vi.waitFor(() => expect(server.messages).toHaveLength(1), { timeout: 5000 });
    const late = await harness.post("/webhook", params);
    expect(twimlMessages(late.text)).toEqual([]);
    await sleep(300);
    expect(server.messages).toHaveLength(1);
    expect(agent.calls).toHaveLength(1);
  });
});

describe("WhatsApp ordering", () => {
  /** Later messages get faster answers, so anything that does not keep order shows it. */
  const orderScript = (input: TurnInput): ScriptedTurn => {
    const n = Number(/Mensaje (\d+)/.exec(input.text)?.[1] ?? 0);
    return { text: `Respuesta al mensaje ${n}`, delayMs: 10 + ((n * 37) % 50) };
  };

  // A message's place in its conversation is the moment it is stored (before its 200). Two webhooks
  // of one number that overlap have no order of their own (their transactions may commit either way),
  // so each message here is sent once the previous one is stored; the turns still pile up behind.

  it("answers 20 messages from one number in arrival order while their turns pile up (REST)", async () => {
    const server = await standIn();
    const { harness, agent } = await start(orderScript, restConfig(server, 0));
    const from = newNumber();
    const acks: { status: number; ms: number }[] = [];
    for (let n = 1; n <= 20; n++) acks.push(await harness.post("/webhook", inboundParams({ from, body: `Mensaje ${n}` })));
    expect(acks.every((ack) => ack.status === 200)).toBe(true);
    const sorted = acks.map((ack) => ack.ms).sort((a, b) => a - b);
    console.log(`[measure] 20 webhooks of one number, REST mode, budget 0: ack median ${sorted[10]!.toFixed(1)} ms, max ${sorted[19]!.toFixed(1)} ms`);
    await vi.waitFor(() => expect(server.messages).toHaveLength(20), { timeout: 10_000 });
    const expected = Array.from({ length: 20 }, (_, i) => `Respuesta al mensaje ${i + 1}`);
    expect(server.messages.map((m) => m.body)).toEqual(expected);
    expect(agent.calls.map((call) => call.text)).toEqual(expected.map((_, i) => `Mensaje ${i + 1}`));
    expect(agent.maxConcurrentPerConversation()).toBe(1);
  });

  it("answers 20 waiting messages from one number in arrival order (inline), while another number runs in parallel", async () => {
    const { harness, agent, store } = await start(orderScript);
    const from = newNumber();
    const other = newNumber();
    const pending: Promise<{ text: string }>[] = [];
    const stored = (sid: string) => vi.waitFor(async () => expect(await store((s) => s.getInbound("whatsapp", sid))).toBeDefined(), { interval: 2 });
    for (let n = 1; n <= 20; n++) {
      const params = inboundParams({ from, body: `Mensaje ${n}` });
      pending.push(harness.post("/webhook", params));
      if (n % 5 === 0) pending.push(harness.post("/webhook", inboundParams({ from: other, body: `Mensaje ${100 + n}` })));
      await stored(params.MessageSid!);
    }
    const replies = (await Promise.all(pending)).map((r) => twimlMessages(r.text)[0]);
    for (const call of agent.calls) expect(replies).toContain(`Respuesta al mensaje ${/\d+/.exec(call.text)![0]}`);
    const ownCalls = agent.calls.filter((call) => call.conversationId === `wa:${from.slice(10)}`).map((call) => call.text);
    expect(ownCalls).toEqual(Array.from({ length: 20 }, (_, i) => `Mensaje ${i + 1}`));
    const history = agent.histories.get(`wa:${from.slice(10)}`)!.filter((m) => m.role === "assistant").map((m) => m.text);
    expect(history).toEqual(Array.from({ length: 20 }, (_, i) => `Respuesta al mensaje ${i + 1}`));
    expect(agent.maxConcurrentPerConversation()).toBe(1);
    expect(agent.maxConcurrent()).toBe(2);
  });
});

describe("WhatsApp media", () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 2048 }, (_, i) => i % 256), 0xff, 0xd9]);

  it("downloads an image with Twilio basic auth and passes it to the core as an attachment", async () => {
    const server = await standIn();
    const url = server.addMedia(`ME${"c".repeat(32)}`, "image/jpeg", jpeg);
    const { harness, agent } = await start(() => ({ text: "Veo tu foto." }), { apiBaseUrl: server.baseUrl });
    const response = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "", media: [{ url, contentType: "image/jpeg" }] }));
    expect(twimlMessages(response.text)).toEqual(["Veo tu foto."]);
    expect(server.mediaRequests).toEqual([{ path: expect.stringContaining("/Media/"), authorized: true }]);
    expect(agent.calls[0]!.text).toBe("Te envío una foto.");
    expect(agent.calls[0]!.attachments).toHaveLength(1);
    expect(agent.calls[0]!.attachments![0]!.mediaType).toBe("image/jpeg");
    expect(Buffer.from(agent.calls[0]!.attachments![0]!.data).equals(Buffer.from(jpeg))).toBe(true);
  });

  it("refuses images that are too large or not on Twilio's origin, with a kind reply", async () => {
    const server = await standIn();
    const big = server.addMedia(`ME${"d".repeat(32)}`, "image/png", new Uint8Array(5 * 1024 * 1024 + 1));
    const { harness, agent } = await start(() => ({ text: "no debería llamarse" }), { apiBaseUrl: server.baseUrl });
    const tooLarge = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "", media: [{ url: big, contentType: "image/png" }] }));
    expect(twimlMessages(tooLarge.text)).toEqual([REPLIES.imageRejected]);
    const elsewhere = await harness.post(
      "/webhook",
      inboundParams({ from: newNumber(), body: "", media: [{ url: "http://127.0.0.1:9/secret.jpg", contentType: "image/jpeg" }] }),
    );
    expect(twimlMessages(elsewhere.text)).toEqual([REPLIES.imageRejected]);
    expect(server.mediaRequests).toHaveLength(1);
    expect(agent.calls).toHaveLength(0);
  });

  it("answers other media kindly, and still answers the text that came with it", async () => {
    const server = await standIn();
    const { harness, agent } = await start(() => ({ text: "Claro, te ayudo." }), { apiBaseUrl: server.baseUrl });
    const audio = { url: `${server.baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`, contentType: "audio/ogg" };
    const onlyAudio = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "", media: [audio] }));
    expect(twimlMessages(onlyAudio.text)).toEqual([REPLIES.unsupportedMedia]);
    expect(agent.calls).toHaveLength(0);

    const withText = await harness.post("/webhook", inboundParams({ from: newNumber(), body: "¿Tienen SUVs?", media: [audio] }));
    expect(twimlMessages(withText.text)).toEqual([`Claro, te ayudo.\n\n${REPLIES.unsupportedMediaNote}`]);
    expect(agent.calls.map((call) => call.text)).toEqual(["¿Tienen SUVs?"]);
    expect(server.mediaRequests).toHaveLength(0);
  });
});
