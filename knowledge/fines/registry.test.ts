/** Both fines registry adapters: the embedded table with its sample dataset, and the HTTP API against its stand-in. */
import { Effect, Layer, ManagedRuntime, Redacted } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../db/test-database.ts";
import { importFines, parseFinesCsv } from "./csv.ts";
import { embeddedRegistryLayer } from "./embedded-registry.ts";
import { makeHttpRegistry } from "./http-registry.ts";
import { centsToDecimal, decimalToCents } from "./money.ts";
import { FinesRegistry, type FinesRegistryError } from "./registry.ts";
import { startRegistryStandIn, type RegistryStandIn } from "./testing/registry-stand-in.ts";

describe("money", () => {
  it("converts exactly, never rounding", () => {
    expect(decimalToCents("1085.70")).toBe(108570);
    expect(decimalToCents("1085.7")).toBe(108570);
    expect(decimalToCents("434")).toBe(43400);
    expect(decimalToCents(0.1)).toBe(10);
    expect(decimalToCents("1.005")).toBeUndefined();
    expect(decimalToCents("1,000")).toBeUndefined();
    expect(centsToDecimal(499422)).toBe("4994.22");
    expect(centsToDecimal(5)).toBe("0.05");
  });
});

describe("fines CSV", () => {
  it("parses quoted fields and canonical plates, and rejects bad rows with their line", () => {
    const rows = parseFinesCsv('# comment\nfolio,plate,description,authority,issued_on,amount,status\nF1,abc 123 d,"Vuelta prohibida, en U",SSC,2026-01-02,100.5,\n');
    expect(rows).toEqual([{ folio: "F1", plate: "ABC123D", description: "Vuelta prohibida, en U", authority: "SSC", issuedOn: "2026-01-02", amountCents: 10050, status: "unpaid" }]);
    expect(() => parseFinesCsv("folio,plate,description,authority,issued_on,amount\nF1,XX,d,a,2026-01-02,1")).toThrow(/line 2: not a plate/);
    expect(() => parseFinesCsv("folio,plate,description,authority,issued_on,amount\nF1,ABC-1234,d,a,2026-01-02,1.234")).toThrow(/line 2: amount/);
  });
});

describe("embedded registry (sample dataset)", () => {
  const runtime = ManagedRuntime.make(Layer.provideMerge(embeddedRegistryLayer({ seedSample: true }), TestDatabase));
  beforeAll(() => runtime.runPromise(Effect.void));
  afterAll(() => runtime.dispose());
  const lookup = (plate: string) => runtime.runPromise(FinesRegistry.use((r) => r.lookup(plate)));

  it("answers a plate's unpaid fines, oldest first, with their exact total", async () => {
    const found = await lookup("NXR4521");
    expect(found.fines.map((f) => f.folio)).toEqual(["SAMPLE-CDMX-0001", "SAMPLE-CDMX-0002", "SAMPLE-EDOMEX-0003"]);
    expect(found.fines.map((f) => f.amountCents)).toEqual([108570, 173712, 217140]);
    expect(found.totalCents).toBe(499422);
    expect(found.fines[0]!.issuedOn).toBe("2025-11-03");
    expect(found.source).toBe("sample");
  });

  it("answers no fines for a plate whose fines are paid or that it does not know", async () => {
    expect((await lookup("123ABC")).fines).toEqual([]);
    expect(await lookup("PTA512")).toEqual({ plate: "PTA512", fines: [], totalCents: 0, source: "sample" });
  });

  it("imports a CSV on top (upsert by folio)", async () => {
    const rows = parseFinesCsv("folio,plate,description,authority,issued_on,amount,status\nT-1,PTA-512,Prueba,Tránsito,2026-05-01,99.99,unpaid");
    await runtime.runPromise(importFines(rows, "test"));
    await runtime.runPromise(importFines(rows, "test"));
    expect((await lookup("PTA512")).totalCents).toBe(9999);
  });
});

describe("HTTP registry against its stand-in", () => {
  let standIn: RegistryStandIn;
  beforeAll(async () => {
    standIn = await startRegistryStandIn({
      key: "k-123",
      fines: {
        NXR4521: [
          { folio: "B", description: "Luz roja", authority: "SSC", issued_on: "2026-02-01", amount: "2171.40" },
          { folio: "A", description: "Velocidad", authority: "SSC", issued_on: "2025-11-03", amount: 1085.7 },
          { folio: "C", description: "Pagada", authority: "SSC", issued_on: "2025-01-01", amount: "500.00", status: "paid" },
        ],
        BAD1234: [{ folio: "X", description: "x", authority: "x", issued_on: "2026-01-01", amount: "12.345" }],
      },
    });
  });
  afterAll(() => standIn.close());
  const registry = (key = "k-123", timeoutMs = 1_000) => makeHttpRegistry({ url: `${standIn.url}/`, key: Redacted.make(key), timeoutMs });
  const failure = (effect: Effect.Effect<unknown, FinesRegistryError>) => Effect.runPromise(Effect.flip(effect));

  it("reads unpaid fines with the key, oldest first, total exact", async () => {
    standIn.mode = "ok";
    const found = await Effect.runPromise(registry().lookup("NXR4521"));
    expect(found).toEqual({
      plate: "NXR4521",
      source: "http",
      totalCents: 325710,
      fines: [
        { folio: "A", description: "Velocidad", authority: "SSC", issuedOn: "2025-11-03", amountCents: 108570 },
        { folio: "B", description: "Luz roja", authority: "SSC", issuedOn: "2026-02-01", amountCents: 217140 },
      ],
    });
    expect(standIn.requests.at(-1)).toEqual({ path: "/v1/plates/NXR4521/fines", authorization: "Bearer k-123" });
  });

  it("an unknown plate (404) has no fines", async () => {
    standIn.mode = "ok";
    expect((await Effect.runPromise(registry().lookup("PTA512"))).fines).toEqual([]);
  });

  it("fails typed when the API is down, refuses the key, hangs, or answers garbage", async () => {
    standIn.mode = "fail";
    expect((await failure(registry().lookup("NXR4521"))).reason).toBe("unavailable");
    standIn.mode = "ok";
    expect((await failure(registry("wrong").lookup("NXR4521"))).reason).toBe("unavailable");
    expect((await failure(registry().lookup("BAD1234"))).reason).toBe("bad_response");
    standIn.mode = "garbage";
    expect((await failure(registry().lookup("NXR4521"))).reason).toBe("bad_response");
    standIn.mode = "hang";
    expect((await failure(registry("k-123", 200).lookup("NXR4521"))).reason).toBe("timeout");
    standIn.mode = "ok";
  });
});
