/**
 * The WhatsApp reply worker's guarantees, one at a time, on a real HTTP server, the real job queue
 * (pg-boss) and a test database (PGlite, or PostgreSQL with DATABASE_URL), REST replies going to the
 * local Twilio stand-in: a send whose answer was lost is not repeated; a reply cut by a crash resumes
 * where it stopped; two instances keep one sender's order; Twilio and model failures are retried and
 * end in an answer or a kind apology, never silence.
 */
import { Effect, ManagedRuntime } from "effect";
import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TurnInput } from "../core/turn.ts";
import { recoveredAnswer } from "../channels/whatsapp/answer.ts";
import { WhatsAppInbox, type ReplyJobData } from "../channels/whatsapp/delivery/inbox.ts";
import { WhatsAppOutbox } from "../channels/whatsapp/delivery/outbox.ts";
import { REPLIES } from "../channels/whatsapp/replies.ts";
import { makeScriptedAgent, type ScriptedTurn } from "../channels/web/testing/scripted-agent.ts";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  inboundParams,
  newMessageSid,
  PUBLIC_BASE_URL,
  SANDBOX_FROM,
  startWhatsApp,
  testConfig,
  twimlMessages,
  type WhatsAppHarness,
} from "../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../channels/whatsapp/testing/twilio-stand-in.ts";
import { parseInbound } from "../channels/whatsapp/inbound.ts";
import { Database, type DatabaseShape } from "../knowledge/db/database.ts";
import { TestDatabase } from "../knowledge/db/test-database.ts";
import { JobQueue } from "./queue.ts";

vi.setConfig({ testTimeout: 60_000 });
const dbRuntime = ManagedRuntime.make(TestDatabase);
let database: DatabaseShape;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await dbRuntime.runPromise(Database.use(Effect.succeed));
}, 120_000);
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});
afterAll(() => dbRuntime.dispose());

let numberCounter = 0;
const newNumber = () => `whatsapp:+52155${String(Date.now() % 100000).padStart(5, "0")}${String(++numberCounter).padStart(3, "0")}`;

const standIn = async () => {
  const server = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
  cleanups.push(server.close);
  return server;
};

const restConfig = (server: TwilioStandIn, inlineBudgetMs = 0) =>
  testConfig({ accountSid: ACCOUNT_SID, whatsappFrom: SANDBOX_FROM, apiBaseUrl: server.baseUrl, inlineBudgetMs });

const start = async (
  script: (input: TurnInput, index: number) => ScriptedTurn,
  config: ReturnType<typeof testConfig>,
  options: { readonly queue?: string } = {},
) => {
  const agent = makeScriptedAgent(script);
  const harness = await startWhatsApp({ config, agent: agent.layer, database, ...options });
  cleanups.push(harness.close);
  return { harness, agent };
};

const services = <A, E>(harness: WhatsAppHarness, effect: Effect.Effect<A, E, WhatsAppInbox | WhatsAppOutbox | JobQueue>) => harness.runtime.runPromise(effect);

describe("WhatsApp reply worker: exactly one delivered answer", () => {
  it("does not send again a message Twilio accepted when the answer to the send was lost", async () => {
    const server = await standIn();
    server.acceptThenDrop(1);
    const { harness } = await start(() => ({ text: "Una sola respuesta" }), restConfig(server));
    const params = inboundParams({ from: newNumber(), body: "Hola" });
    expect(twimlMessages((await harness.post("/webhook", params)).text)).toEqual([]);
    await vi.waitFor(async () => expect((await services(harness, WhatsAppInbox.use((inbox) => inbox.get(params.MessageSid!))))?.status).toBe("answered"), {
      timeout: 10_000,
    });
    expect(server.messages.map((m) => m.body)).toEqual(["Una sola respuesta"]);
    expect(server.listRequests.length).toBeGreaterThanOrEqual(1);
    const [part] = await services(
      harness,
      WhatsAppOutbox.use((outbox) => outbox.prepare({ externalId: params.MessageSid!, conversationId: "", recipient: "" }, [])),
    );
    expect(part).toMatchObject({ status: "sent", externalId: server.messages[0]!.sid });
  });

  it("resumes a reply cut by a crash: a part with a SID is not sent again, a part left sending is looked up, the rest is sent", async () => {
    const server = await standIn();
    const { harness, agent } = await start(() => ({ text: "no debería llamarse" }), restConfig(server));
    const from = newNumber();
    const sid = newMessageSid();
    const parsed = parseInbound(inboundParams({ sid, from, body: "Opciones" }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const message = { ...parsed.message, statusCallback: `${PUBLIC_BASE_URL}/channels/whatsapp/status` };
    const parts = ["Parte uno", "Parte dos", "Parte tres"];
    // What a crash leaves: the reply stored, part 0 sent (with its SID), part 1 accepted by Twilio but
    // not yet recorded ("sending"), part 2 never sent; the job still to run.
    server.messages.push({ accountSid: ACCOUNT_SID, from: SANDBOX_FROM, to: from, body: "Parte uno", statusCallback: undefined, sid: "SMsentbeforethecrash0000000000001", dateCreated: new Date() });
    server.messages.push({ accountSid: ACCOUNT_SID, from: SANDBOX_FROM, to: from, body: "Parte dos", statusCallback: undefined, sid: "SMacceptedbeforethecrash000000002", dateCreated: new Date() });
    await database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("channel_inbound_messages")
        .values({ channel: "whatsapp", external_id: sid, conversation_id: message.conversationId, status: "replied", payload: JSON.stringify(message), reply_parts: JSON.stringify(parts), delivery: "rest" })
        .execute();
      await trx
        .insertInto("channel_outbox")
        .values(parts.map((body, partIndex) => ({ channel: "whatsapp", inbound_external_id: sid, part_index: partIndex, conversation_id: message.conversationId, recipient: from, body })))
        .execute();
      await sql`update channel_outbox set status = 'sent', external_id = 'SMsentbeforethecrash0000000000001' where inbound_external_id = ${sid} and part_index = 0`.execute(trx);
      await sql`update channel_outbox set status = 'sending', sending_at = now() where inbound_external_id = ${sid} and part_index = 1`.execute(trx);
      const job: ReplyJobData = { externalId: sid, conversationId: message.conversationId };
      await harness.runtime.runPromise(JobQueue.use((queue) => Effect.promise(() => queue.sendInTransaction(trx, harness.queue, job, { singletonKey: message.conversationId }))));
    });
    await harness.runtime.runPromise(JobQueue.use((queue) => Effect.sync(() => queue.announce(harness.queue))));

    await vi.waitFor(async () => expect((await services(harness, WhatsAppInbox.use((inbox) => inbox.get(sid))))?.status).toBe("answered"), { timeout: 10_000 });
    expect(server.messages.map((m) => m.body)).toEqual(["Parte uno", "Parte dos", "Parte tres"]);
    const outbox = await services(harness, WhatsAppOutbox.use((o) => o.prepare({ externalId: sid, conversationId: "", recipient: "" }, [])));
    expect(outbox.map((part) => [part.status, part.externalId])).toEqual([
      ["sent", "SMsentbeforethecrash0000000000001"],
      ["sent", "SMacceptedbeforethecrash000000002"],
      ["sent", server.messages[2]!.sid],
    ]);
    expect(agent.calls).toHaveLength(0);
  });

  it("delivers by REST when the webhook that stored the message died before deciding", async () => {
    const server = await standIn();
    const { harness } = await start(() => ({ text: "Respuesta tardía" }), restConfig(server, 3000));
    const sid = newMessageSid();
    const parsed = parseInbound(inboundParams({ sid, from: newNumber(), body: "Hola" }));
    if (!parsed.ok) throw new Error(parsed.reason);
    // Stored with a 400 ms inline window, as a webhook would, but nobody waits for the reply.
    await services(harness, WhatsAppInbox.use((inbox) => inbox.accept({ ...parsed.message, statusCallback: undefined }, { inlineMs: 400, delivery: null })));
    await vi.waitFor(() => expect(server.messages.map((m) => m.body)).toEqual(["Respuesta tardía"]), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await services(harness, WhatsAppInbox.use((inbox) => inbox.get(sid)))).toMatchObject({ status: "answered", delivery: "rest" }));
  });
});

describe("WhatsApp reply worker: order across instances", () => {
  it("two instances on one database answer one sender in arrival order, one turn at a time, when one of them stops halfway", async () => {
    const server = await standIn();
    const running = new Set<string>();
    let overlapped = false;
    const script = (input: TurnInput): ScriptedTurn => {
      const n = Number(/Mensaje (\d+)/.exec(input.text)?.[1] ?? 0);
      if (running.has(input.conversationId)) overlapped = true;
      running.add(input.conversationId);
      setTimeout(() => running.delete(input.conversationId), 30);
      return { text: `Respuesta al mensaje ${n}`, delayMs: 30 };
    };
    const first = await start(script, restConfig(server));
    const second = await start(script, restConfig(server), { queue: first.harness.queue });
    const from = newNumber();
    // Messages 1-8 reach the first instance, which then shuts down (its running turn finishes, the
    // rest stay queued); 9-16 reach the second, which answers what is left of 1-8 first. (Which
    // instance fetches which job is up to the queue; on PostgreSQL the second may take them all.)
    for (let n = 1; n <= 8; n++) expect((await first.harness.post("/webhook", inboundParams({ from, body: `Mensaje ${n}` }))).status).toBe(200);
    await first.harness.close();
    for (let n = 9; n <= 16; n++) expect((await second.harness.post("/webhook", inboundParams({ from, body: `Mensaje ${n}` }))).status).toBe(200);
    await vi.waitFor(() => expect(server.messages).toHaveLength(16), { timeout: 20_000 });
    expect(server.messages.map((m) => m.body)).toEqual(Array.from({ length: 16 }, (_, i) => `Respuesta al mensaje ${i + 1}`));
    console.log(`[measure] one sender, two instances: turns run by instance 1: ${first.agent.calls.length}, by instance 2: ${second.agent.calls.length}`);
    expect(second.agent.calls.length).toBeGreaterThanOrEqual(8);
    expect(first.agent.calls.length + second.agent.calls.length).toBe(16);
    expect(overlapped).toBe(false);
  });
});

describe("WhatsApp reply worker: failures end in an answer or an apology", () => {
  it("retries a turn that failed and answers once it succeeds", async () => {
    const server = await standIn();
    const { harness, agent } = await start((_, i) => (i === 0 ? { text: "", fail: true } : { text: "Ya quedó" }), restConfig(server));
    await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    await vi.waitFor(() => expect(server.messages.map((m) => m.body)).toEqual(["Ya quedó"]), { timeout: 10_000 });
    expect(agent.calls).toHaveLength(2);
  });

  it("answers with the apology after the last turn attempt fails", async () => {
    const server = await standIn();
    const { harness, agent } = await start(() => ({ text: "", fail: true }), restConfig(server));
    await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    await vi.waitFor(() => expect(server.messages.map((m) => m.body)).toEqual([REPLIES.agentFailed]), { timeout: 10_000 });
    expect(agent.calls).toHaveLength(3);
  });

  it("retries Twilio failures (429 without a log lookup, 5xx with one) and sends once", async () => {
    const server = await standIn();
    server.failNext(2, 429);
    const { harness } = await start(() => ({ text: "Después de esperar" }), restConfig(server));
    await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    await vi.waitFor(() => expect(server.messages.map((m) => m.body)).toEqual(["Después de esperar"]), { timeout: 10_000 });
    expect(server.listRequests).toHaveLength(0);

    server.failNext(4, 503);
    await harness.post("/webhook", inboundParams({ from: newNumber(), body: "Hola" }));
    await vi.waitFor(() => expect(server.messages).toHaveLength(2), { timeout: 10_000 });
    expect(server.listRequests.length).toBeGreaterThanOrEqual(1);
    await sleep(300);
    expect(server.messages).toHaveLength(2);
  });

  it("gives up on a Twilio that keeps failing after the last retry, and a retried webhook then gets the apology inline", async () => {
    const server = await standIn();
    server.failNext(1_000, 500);
    const { harness } = await start(() => ({ text: "Nunca llega" }), restConfig(server));
    const params = inboundParams({ from: newNumber(), body: "Hola" });
    await harness.post("/webhook", params);
    await vi.waitFor(async () => expect((await services(harness, WhatsAppInbox.use((inbox) => inbox.get(params.MessageSid!))))?.status).toBe("failed"), {
      timeout: 30_000,
    });
    expect(server.messages).toHaveLength(0);
    expect(twimlMessages((await harness.post("/webhook", params)).text)).toEqual([REPLIES.agentFailed]);
  });
});

describe("recoveredAnswer", () => {
  const message = (body: string) => {
    const parsed = parseInbound(inboundParams({ from: "whatsapp:+5215512345678", body }));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.message;
  };
  const started = new Date("2026-01-01T10:00:00.000Z");
  const at = (ms: number) => new Date(started.getTime() + ms);

  it("reads back the reply of a turn that finished after this message's turn started", () => {
    const history = [
      { role: "user" as const, text: "Hola", createdAt: at(-60_000) },
      { role: "assistant" as const, text: "¡Hola!", createdAt: at(-59_000) },
      { role: "user" as const, text: "¿Tienen SUVs?", createdAt: at(5) },
      { role: "assistant" as const, text: "Sí, tengo 3.", createdAt: at(900) },
    ];
    expect(recoveredAnswer(message("¿Tienen SUVs?"), started, history)).toEqual(["Sí, tengo 3."]);
  });

  it("does not take an earlier turn's reply, nor a turn that did not finish", () => {
    const earlier = [
      { role: "user" as const, text: "Hola", createdAt: at(-2_000) },
      { role: "assistant" as const, text: "¡Hola!", createdAt: at(-1_000) },
    ];
    expect(recoveredAnswer(message("Hola"), started, earlier)).toBeUndefined();
    expect(recoveredAnswer(message("Hola"), started, [...earlier, { role: "user", text: "Hola", createdAt: at(5) }])).toBeUndefined();
    expect(recoveredAnswer(message("Hola"), started, undefined)).toBeUndefined();
  });
});
