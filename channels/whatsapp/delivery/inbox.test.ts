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
  it("stores a MessageSid once and enqueues one job for it", async () => {
    const message = stored("whatsapp:+5215511110001");
    const first = await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 3000, delivery: null })));
    const again = await run(WhatsAppInbox.use((inbox) => inbox.accept(message, { inlineMs: 3000, delivery: null })));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record).toMatchObject({ externalId: message.messageSid, status: "queued", conversationId: "wa:5215511110001", message: { body: "Hola" } });
    const jobs = await run(JobQueue.use((queue) => Effect.promise(() => queue.boss.findJobs(QUEUE, { key: message.conversationId }))));
    expect(jobs.map((job) => job.data)).toEqual([{ externalId: message.messageSid, conversationId: message.conversationId }]);
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
