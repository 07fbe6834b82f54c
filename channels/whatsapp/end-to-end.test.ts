/** The real agent with the offline model behind a signed WhatsApp webhook: the "done when" example. */
import { Effect, Layer } from "effect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Agent } from "../../core/agent/agent.ts";
import { CarStore } from "../../knowledge/catalog/car-store.ts";
import type { Car } from "../../knowledge/catalog/car.ts";
import { Database } from "../../knowledge/db/database.ts";
import { startAppRuntime } from "../web/testing/app-runtime.ts";
import { inboundParams, startWhatsApp, testConfig, twimlMessages, type WhatsAppHarness } from "./testing/harness.ts";

vi.setConfig({ testTimeout: 30_000 });

let app: Awaited<ReturnType<typeof startAppRuntime>>;
let harness: WhatsAppHarness;
let catalog: ReadonlyArray<Car>;

beforeAll(async () => {
  app = await startAppRuntime();
  catalog = await app.runtime.runPromise(CarStore.use((store) => store.all()));
  const database = await app.runtime.runPromise(Database.use(Effect.succeed));
  const agent = await app.runtime.runPromise(Agent.use(Effect.succeed));
  harness = await startWhatsApp({ config: testConfig(), agent: Layer.succeed(Agent, agent), database });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await app?.close();
});

describe("WhatsApp end to end (offline model)", () => {
  it('answers "Hola, busco un auto económico" over a signed webhook with real catalog cars, once', async () => {
    const from = "whatsapp:+5215512345678";
    const params = inboundParams({ from, body: "Hola, busco un auto económico" });
    const response = await harness.post("/webhook", params);
    expect(response.status).toBe(200);
    console.log(`[measure] end-to-end inline answer (offline model, first turn): ${response.ms.toFixed(0)} ms`);
    const replies = twimlMessages(response.text);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.length).toBeLessThanOrEqual(1600);

    const named = catalog.filter((car) => reply.includes(`${car.make} ${car.model} ${car.year}`));
    expect(named.length).toBeGreaterThanOrEqual(3);
    // Every price in the reply is the price of a car it names.
    const prices = [...reply.matchAll(/\$([\d,]+)/g)].map((match) => Number(match[1]!.replace(/,/g, "")));
    expect(prices.length).toBeGreaterThanOrEqual(3);
    for (const price of prices) expect(named.map((car) => car.price)).toContain(price);

    const retried = await harness.post("/webhook", params);
    expect(retried.text).toBe(response.text);
    const history = await app.runtime.runPromise(Agent.use((agent) => agent.history("wa:5215512345678")));
    expect(history?.map((message) => message.role)).toEqual(["user", "assistant"]);
  });

  it("forged signature gets 403 and reaches nothing", async () => {
    const params = inboundParams({ from: "whatsapp:+5215599999999", body: "Hola, busco un auto económico" });
    const response = await harness.post("/webhook", params, { token: "ffffffffffffffffffffffffffffffff" });
    expect(response.status).toBe(403);
    expect(await app.runtime.runPromise(Agent.use((agent) => agent.history("wa:5215599999999")))).toBeUndefined();
  });
});
