/** The inbox on a test database (PGlite, or PostgreSQL with DATABASE_URL) with the real job queue. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../../../knowledge/db/test-database.ts";
import { JobQueue } from "../../../workers/queue.ts";
import { parseInbound } from "../inbound.ts";
import { inboundParams } from "../testing/harness.ts";
import { WhatsAppInbox } from "./inbox.ts";

const QUEUE = "whatsapp-replies-inbox-test";
const runtime = ManagedRuntime.make(WhatsAppInbox.layerWith({ queue: QUEUE }).pipe(Layer.provideMerge(JobQueue.layer), Layer.provide(TestDatabase)));
const run = <A, E>(effect: Effect.Effect<A, E, WhatsAppInbox | JobQueue>) => runtime.runPromise(effect);

beforeAll(() => run(WhatsAppInbox.use(() => Effect.void)), 120_000);
afterAll(() => runtime.dispose());

const stored = (from: string, body = "Hola") => {
  const parsed = parseInbound(inboundParams({ from, body }));
  if (!parsed.ok) throw new Error(parsed.reason);
  return { ...parsed.message, statusCallback: undefined };
};

describe("WhatsAppInbox", () => {
  const jobsOf = (conversationId: string) =>
    run(JobQueue.use((queue) => Effect.promise(() => queue.boss.findJobs(QUEUE, { key: conversationId })))).then((jobs) => jobs.map((job) => job.data));

  it("stores a MessageSid once, and the relay enqueues one job for it", async () => {
    const message = stored("whatsapp:+5215511110001");
    const first = await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 3000, delivery: null })));
    const again = await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 3000, delivery: null })));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record).toMatchObject({ externalId: message.messageSid, status: "queued", conversationId: "wa:5215511110001", message: { body: "Hola" } });
    expect(await jobsOf(message.conversationId)).toEqual([]);
    expect(await run(WhatsAppInbox.use((inbox) => inbox.relay(100)))).toBeGreaterThanOrEqual(1);
    expect(await run(WhatsAppInbox.use((inbox) => inbox.relay(100)))).toBe(0);
    expect(await jobsOf(message.conversationId)).toEqual([{ externalId: message.messageSid, conversationId: message.conversationId }]);
  });

  it("relays in batches, oldest first, and two relays at once enqueue each message exactly once", async () => {
    const messages = Array.from({ length: 7 }, (_, i) => stored("whatsapp:+5215511110009", `mensaje ${i}`));
    for (const message of messages) await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 0, delivery: "rest" })));
    // Earlier tests' messages may still be waiting: drain everything with two concurrent relays of small batches.
    const relayAll = async () => {
      let total = 0;
      for (let n = -1; n !== 0; total += n) n = await run(WhatsAppInbox.use((inbox) => inbox.relay(3)));
      return total;
    };
    await Promise.all([relayAll(), relayAll()]);
    const jobs = await jobsOf(messages[0]!.conversationId);
    expect(jobs.map((job) => (job as { externalId: string }).externalId).sort()).toEqual(messages.map((m) => m.messageSid).sort());
  });

  it("lets exactly one side deliver: inline only once the reply exists, REST only after the inline window (or forced)", async () => {
    const message = stored("whatsapp:+5215511110002");
    const id = message.messageSid;
    await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 60_000, delivery: null })));
    expect(await run(WhatsAppInbox.use((inbox) => inbox.claimDelivery(id, "inline")))).toBeNull();
    expect(await run(WhatsAppInbox.use((inbox) => inbox.claimDelivery(id, "rest")))).toBeNull();
    await run(WhatsAppInbox.use((inbox) => inbox.saveReply(id, ["Hola, ¿qué auto buscas?"])));
    await run(WhatsAppInbox.use((inbox) => inbox.saveReply(id, ["otra respuesta"])));
    const claims = await Promise.all([
      run(WhatsAppInbox.use((inbox) => inbox.claimDelivery(id, "inline"))),
      run(WhatsAppInbox.use((inbox) => inbox.claimDelivery(id, "rest", { force: true }))),
    ]);
    expect(claims[0]).toBe(claims[1]);
    const record = await run(WhatsAppInbox.use((inbox) => inbox.get(id)));
    expect(record).toMatchObject({ status: "replied", replyParts: ["Hola, ¿qué auto buscas?"], delivery: claims[0] });
  });

  it("hands out a conversation's messages oldest first", async () => {
    const [a, b] = [stored("whatsapp:+5215511110003", "uno"), stored("whatsapp:+5215511110003", "dos")];
    await run(WhatsAppInbox.use((inbox) => inbox.accept(a, { inlineMs: 0, delivery: "rest" })));
    await run(WhatsAppInbox.use((inbox) => inbox.accept(b, { inlineMs: 0, delivery: "rest" })));
    expect((await run(WhatsAppInbox.use((inbox) => inbox.head(a.conversationId))))?.externalId).toBe(a.messageSid);
    await run(WhatsAppInbox.use((inbox) => inbox.finish(a.messageSid, { status: "answered" })));
    expect((await run(WhatsAppInbox.use((inbox) => inbox.head(a.conversationId))))?.externalId).toBe(b.messageSid);
  });
});
