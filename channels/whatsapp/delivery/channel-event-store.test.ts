import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../../../knowledge/db/test-database.ts";
import { ChannelEventStore } from "./channel-event-store.ts";

const runtime = ManagedRuntime.make(ChannelEventStore.layer.pipe(Layer.provide(TestDatabase)));
const run = <A, E>(effect: Effect.Effect<A, E, ChannelEventStore>) => runtime.runPromise(effect);
const store = () => ChannelEventStore;

beforeAll(() => run(store()), 120_000);
afterAll(() => runtime.dispose());

describe("ChannelEventStore", () => {
  it("keeps the most advanced delivery status when callbacks arrive out of order", async () => {
    const base = { channel: "whatsapp", inboundExternalId: "SM-in-2", conversationId: "wa:5215522222222" };
    await run(Effect.flatMap(store(), (s) => s.recordOutbound({ ...base, externalId: "SM-out-2", partIndex: 0, status: "queued" })));
    for (const status of ["sent", "read", "delivered"]) {
      const result = await run(Effect.flatMap(store(), (s) => s.recordDeliveryStatus({ channel: "whatsapp", externalId: "SM-out-2", status, errorCode: null })));
      expect(result.known).toBe(true);
    }
    const [outbound] = await run(Effect.flatMap(store(), (s) => s.outboundFor("whatsapp", "SM-in-2")));
    expect(outbound?.status).toBe("read");
    const events = await run(Effect.flatMap(store(), (s) => s.deliveryEvents("whatsapp", "SM-out-2")));
    expect(events.map((e) => e.status)).toEqual(["sent", "read", "delivered"]);
  });

  it("applies a status callback that arrived before the outbound record", async () => {
    const unknown = await run(Effect.flatMap(store(), (s) => s.recordDeliveryStatus({ channel: "whatsapp", externalId: "SM-out-3", status: "failed", errorCode: "63016" })));
    expect(unknown.known).toBe(false);
    await run(Effect.flatMap(store(), (s) => s.recordOutbound({ channel: "whatsapp", externalId: "SM-out-3", inboundExternalId: "SM-in-3", conversationId: "wa:1", partIndex: 0, status: "queued" })));
    const [outbound] = await run(Effect.flatMap(store(), (s) => s.outboundFor("whatsapp", "SM-in-3")));
    expect(outbound?.status).toBe("failed");
  });
});
