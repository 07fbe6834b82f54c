/**
 * Fines checks from a photo on the real queue (pg-boss on the test database), with a PlateReader
 * that answers per photo what a reading would (the real reader has its own tests and benchmark):
 * a confident reading is looked up and answered like a typed plate; below PLATE_CONFIDENCE_MIN the
 * check is "unsure" with the plate read, no plate or a failed reading "unreadable", and neither
 * looks fines up. The photo lives in fines_images only until the check is settled, unless
 * FINES_KEEP_IMAGES; a turn without a photo is told so.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WhatsAppOutbox } from "../../channels/whatsapp/delivery/outbox.ts";
import { ConversationLock } from "../../core/conversation-lock.ts";
import { appConfig } from "../../core/config.ts";
import { ConversationStore } from "../../knowledge/conversations/conversation-store.ts";
import { Database } from "../../knowledge/db/database.ts";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { FinesChecks } from "../../knowledge/fines/checks.ts";
import { FinesRegistry } from "../../knowledge/fines/registry.ts";
import { checkFines } from "../../tools/check-fines.ts";
import { JobQueue } from "../queue.ts";
import { FinesChecksLive } from "./checks-live.ts";
import { finesWorker } from "./fines-worker.ts";
import { PLATE_CONFIDENCE_MIN, PlateReadError, PlateReader } from "./ocr/plate-reader.ts";
import { platePhoto } from "../../knowledge/fines/testing/plate-photo.ts";

/** Photos by their first distinguishing byte pattern: the reading the stand-in reader gives each. */
const readings = new Map<string, { plate: string | null; confidence: number } | "fail">();
const keyOf = (image: Uint8Array) => Buffer.from(image).toString("base64").slice(-48);
const lookups: string[] = [];

const StandInReader = Layer.succeed(
  PlateReader,
  PlateReader.of({
    read: (image) =>
      Effect.suspend(() => {
        const reading = readings.get(keyOf(image));
        if (reading === "fail" || reading === undefined) return Effect.fail(new PlateReadError({ reason: "stand-in: no reading for this photo" }));
        return Effect.succeed({ plate: reading.plate, confidence: reading.confidence, candidates: [], durationMs: 5 });
      }),
  }),
);

const Registry = Layer.succeed(
  FinesRegistry,
  FinesRegistry.of({
    kind: "embedded",
    lookup: (plate) =>
      Effect.sync(() => {
        lookups.push(plate);
        return {
          plate,
          source: "sample" as const,
          totalCents: 150_050,
          fines: [
            { folio: "F1", description: "Velocidad", authority: "SSC", issuedOn: "2026-01-01", amountCents: 100_000 },
            { folio: "F2", description: "Estacionarse mal", authority: "SSC", issuedOn: "2026-02-01", amountCents: 50_050 },
          ],
        };
      }),
  }),
);

const photo = async (plate: string, reading: { plate: string | null; confidence: number } | "fail") => {
  const data = await platePhoto({ plate });
  readings.set(keyOf(data), reading);
  return { mediaType: "image/png", data };
};

const makeRuntime = async (keepImages: boolean) => {
  const { whatsapp } = await Effect.runPromise(appConfig);
  const services = Layer.mergeAll(FinesChecksLive, JobQueue.layer, ConversationStore.layer, WhatsAppOutbox.layer, Registry, ConversationLock.inProcess, StandInReader);
  const worker = finesWorker({ whatsapp: { ...whatsapp, accountSid: undefined, authToken: undefined }, concurrency: 2, inlineWaitMs: 20_000, keepImages, pollMs: 100 });
  const runtime = ManagedRuntime.make(worker.pipe(Layer.provideMerge(services), Layer.provideMerge(TestDatabase)) as Layer.Layer<FinesChecks | Database, unknown>);
  await runtime.runPromise(Effect.void);
  return runtime;
};

const imagesOf = (runtime: ManagedRuntime.ManagedRuntime<FinesChecks | Database, unknown>, checkId: string) =>
  runtime.runPromise(Database.use(({ db }) => Effect.promise(() => db.selectFrom("fines_images").select("check_id").where("check_id", "=", checkId).execute())));

describe("fines checks from a photo", () => {
  let runtime: ManagedRuntime.ManagedRuntime<FinesChecks | Database, unknown>;
  beforeAll(async () => {
    runtime = await makeRuntime(false);
  }, 60_000);
  afterAll(async () => {
    await runtime?.dispose();
  });
  const check = (attachments: ReadonlyArray<{ mediaType: string; data: Uint8Array }>, input: { photo?: number; plate?: string } = { photo: 1 }) =>
    runtime.runPromise(checkFines(input, { conversationId: `conv-photo-${Math.random()}`, channel: "http", attachments }, 20_000));

  it("a confident reading is looked up and answered as a typed plate; the photo is then deleted", async () => {
    const before = lookups.length;
    const out = await check([await photo("NXR-4521", { plate: "NXR4521", confidence: Math.min(1, PLATE_CONFIDENCE_MIN + 0.1) })]);
    expect(out).toMatchObject({ ok: true, status: "done", plate: "NXR-4521", count: 2, total: "1500.50" });
    expect(lookups.slice(before)).toEqual(["NXR4521"]);
    const id = (out as { checkId: string }).checkId;
    const stored = await runtime.runPromise(FinesChecks.use((c) => c.get(id)));
    expect(stored?.imageRef).toMatch(/^photo:[0-9a-f]{16}$/);
    expect(await imagesOf(runtime, id)).toEqual([]);
  });

  it("the second photo of a message when asked for it", async () => {
    const out = await check([await photo("AAA-111", "fail"), await photo("SMT-4820", { plate: "SMT4820", confidence: 0.99 })], { photo: 2 });
    expect(out).toMatchObject({ ok: true, status: "done", plate: "SMT-4820" });
  });

  it("below PLATE_CONFIDENCE_MIN: unsure with the plate read, no lookup", async () => {
    const before = lookups.length;
    const out = await check([await photo("ABC-123-D", { plate: "ABC123D", confidence: Math.max(0, PLATE_CONFIDENCE_MIN - 0.2) })]);
    expect(out).toMatchObject({ ok: true, status: "unsure", plate: "ABC-123-D" });
    expect(lookups.length).toBe(before);
    expect(await imagesOf(runtime, (out as { checkId: string }).checkId)).toEqual([]);
  });

  it("no plate, a reading that is no Mexican plate, or a failed reading: unreadable, no lookup", async () => {
    const before = lookups.length;
    expect(await check([await photo("XYZ-999", { plate: null, confidence: 0 })])).toMatchObject({ ok: true, status: "unreadable" });
    expect(await check([await photo("QQQ-999", { plate: "4521", confidence: 0.99 })])).toMatchObject({ ok: true, status: "unreadable" });
    expect(await check([await photo("ZZZ-999", "fail")])).toMatchObject({ ok: true, status: "unreadable" });
    expect(lookups.length).toBe(before);
  });

  it("a turn without a photo is told so; nothing is started", async () => {
    expect(await check([])).toMatchObject({ ok: false, error: { code: "no_photo" } });
    expect(await check([{ mediaType: "application/pdf", data: new Uint8Array([1, 2, 3]) }])).toMatchObject({ ok: false, error: { code: "no_photo" } });
  });

  it("a typed plate wins over a photo", async () => {
    const out = await check([await photo("JKL-123-A", "fail")], { plate: "jkl 123 a", photo: 1 });
    expect(out).toMatchObject({ ok: true, status: "done", plate: "JKL-123-A" });
  });
});

describe("FINES_KEEP_IMAGES=true", () => {
  it("keeps the photo after the check is settled", async () => {
    const runtime = await makeRuntime(true);
    try {
      const out = await runtime.runPromise(
        checkFines({ photo: 1 }, { conversationId: "conv-keep", channel: "http", attachments: [await photo("PTA-512", { plate: "PTA512", confidence: 0.99 })] }, 20_000),
      );
      expect(out).toMatchObject({ ok: true, status: "done", plate: "PTA-512" });
      expect(await imagesOf(runtime, (out as { checkId: string }).checkId)).toHaveLength(1);
    } finally {
      await runtime.dispose();
    }
  }, 60_000);
});
