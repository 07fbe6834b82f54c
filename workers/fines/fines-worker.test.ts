/**
 * The fines flow end to end on the real queue (pg-boss on the test database): the tool starts a
 * check; the worker settles it; the answer is inline when the tool still waits, otherwise stored
 * in the conversation once (the next turn sees it) and readable at GET /v1/fines/checks/{id}
 * (202 while pending). A registry that is down settles the check as "failed", never "no fines".
 */
import { Deferred, Effect, Layer, ManagedRuntime } from "effect";
import express from "express";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finesRouter } from "../../channels/http/fines-router.ts";
import { WhatsAppOutbox } from "../../channels/whatsapp/delivery/outbox.ts";
import { ConversationLock } from "../../core/conversation-lock.ts";
import { appConfig } from "../../core/config.ts";
import { ConversationStore } from "../../knowledge/conversations/conversation-store.ts";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { FinesChecks } from "../../knowledge/fines/checks.ts";
import { FinesRegistry, FinesRegistryError } from "../../knowledge/fines/registry.ts";
import { checkFines } from "../../tools/check-fines.ts";
import { JobQueue } from "../queue.ts";
import { FinesChecksLive } from "./checks-live.ts";
import { finesWorker, toolCallIdOf } from "./fines-worker.ts";
import { PlateReader } from "./ocr/plate-reader.ts";

const gate = Effect.runSync(Deferred.make<void>());
const FakeRegistry = Layer.succeed(
  FinesRegistry,
  FinesRegistry.of({
    kind: "embedded",
    lookup: (plate) =>
      plate === "DWN1234"
        ? Effect.fail(new FinesRegistryError({ reason: "unavailable", message: "down" }))
        : Effect.map(plate === "SLW1234" ? Deferred.await(gate) : Effect.void, () => ({
            plate,
            source: "sample" as const,
            totalCents: 150_050,
            fines: [
              { folio: "F1", description: "Velocidad", authority: "SSC", issuedOn: "2026-01-01", amountCents: 100_000 },
              { folio: "F2", description: "Estacionarse mal", authority: "SSC", issuedOn: "2026-02-01", amountCents: 50_050 },
            ],
          })),
  }),
);

describe("fines worker", () => {
  let runtime: ManagedRuntime.ManagedRuntime<FinesChecks | ConversationStore, unknown>;
  let url = "";
  let close = () => {};
  beforeAll(async () => {
    const { whatsapp } = await Effect.runPromise(appConfig);
    // Typed plates only here: a photo reaching the reader would be a bug (photo-checks.test.ts covers photos).
    const NoReader = Layer.succeed(PlateReader, PlateReader.of({ read: () => Effect.die(new Error("no photo in these tests")) }));
    const services = Layer.mergeAll(FinesChecksLive, JobQueue.layer, ConversationStore.layer, WhatsAppOutbox.layer, FakeRegistry, ConversationLock.inProcess, NoReader);
    const worker = finesWorker({ whatsapp: { ...whatsapp, accountSid: undefined, authToken: undefined }, concurrency: 2, inlineWaitMs: 0, pollMs: 100 });
    runtime = ManagedRuntime.make(worker.pipe(Layer.provideMerge(services), Layer.provideMerge(TestDatabase)) as Layer.Layer<FinesChecks | ConversationStore, unknown>);
    await runtime.runPromise(Effect.void);
    const app = express().use("/v1/fines", finesRouter({ run: (effect) => runtime.runPromise(effect) }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  }, 60_000);
  afterAll(async () => {
    close();
    await runtime?.dispose();
  });

  const waitFor = async <A>(read: () => Promise<A>, ready: (a: A) => boolean): Promise<A> => {
    for (let i = 0; i < 300; i++) {
      const value = await read();
      if (ready(value)) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("timed out waiting");
  };

  it("answers inline when the worker is quick enough for the tool", async () => {
    const out = await runtime.runPromise(checkFines({ plate: "nxr-4521" }, { conversationId: "conv-inline", channel: "http" }, 15_000));
    expect(out).toMatchObject({ ok: true, status: "done", plate: "NXR-4521", count: 2, total: "1500.50" });
  });

  it("otherwise answers pending; the route says 202, then 200; the conversation learns the result once", async () => {
    const out = await runtime.runPromise(checkFines({ plate: "SLW-1234" }, { conversationId: "conv-async", channel: "http" }, 0));
    expect(out).toMatchObject({ ok: true, status: "pending", plate: "SLW-1234" });
    const checkId = (out as { checkId: string }).checkId;
    const pending = await fetch(`${url}/v1/fines/checks/${checkId}`);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toMatchObject({ status: "pending" });
    await Effect.runPromise(Deferred.succeed(gate, undefined));
    const check = await waitFor(
      () => runtime.runPromise(FinesChecks.use((c) => c.get(checkId))),
      (c) => c?.deliveredAt != null,
    );
    expect(check).toMatchObject({ status: "done", delivery: "async" });
    const done = await fetch(`${url}/v1/fines/checks/${checkId}`);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: "done", result: { total: "1500.50", count: 2 } });
    const history = await runtime.runPromise(ConversationStore.use((s) => s.visibleHistory("conv-async")));
    expect(history?.map((m) => m.text)).toEqual([expect.stringContaining("*Total: $1,500.50*")]);
    const window = JSON.stringify(await runtime.runPromise(ConversationStore.use((s) => s.recentContent("conv-async", 60))));
    expect(window.split(toolCallIdOf(checkId)).length - 1).toBe(2); // the call and its result, once
  });

  it("a registry that is down settles the check failed (the apology), never as no fines", async () => {
    const out = await runtime.runPromise(checkFines({ plate: "DWN-1234" }, { conversationId: "conv-down", channel: "http" }, 15_000));
    expect(out).toEqual({ ok: false, error: { code: "registry_unavailable", message: expect.any(String) } });
  });

  it("refuses a string that is no plate without starting a check", async () => {
    const out = await runtime.runPromise(checkFines({ plate: "4521" }, { conversationId: "conv-bad", channel: "http" }, 0));
    expect(out).toMatchObject({ ok: false, error: { code: "invalid_plate" } });
  });

  it("GET of an unknown check is 404", async () => {
    expect((await fetch(`${url}/v1/fines/checks/fc_00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await fetch(`${url}/v1/fines/checks/nope`)).status).toBe(404);
  });
});
