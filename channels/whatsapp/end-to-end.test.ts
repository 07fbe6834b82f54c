/**
 * The whole server as composed for production (app/server.ts) with the real agent and the
 * offline model, behind a signed WhatsApp webhook: the issue's "done when" example.
 */
import { Redacted } from "effect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Agent } from "../../core/agent.ts";
import { CarStore } from "../../knowledge/catalog/car-store.ts";
import type { Car } from "../../knowledge/catalog/car.ts";
import { startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { AUTH_TOKEN, inboundParams, PUBLIC_BASE_URL, signedPost, twimlMessages } from "./testing/harness.ts";

vi.setConfig({ testTimeout: 30_000 });

let server: TestServer;
let catalog: ReadonlyArray<Car>;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    whatsapp: { ...config.whatsapp, authToken: Redacted.make(AUTH_TOKEN), publicBaseUrl: PUBLIC_BASE_URL, validateSignature: true },
  }));
  catalog = await server.runtime.runPromise(CarStore.use((store) => store.all()));
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const history = (conversationId: string) => server.runtime.runPromise(Agent.use((agent) => agent.history(conversationId)));

describe("WhatsApp end to end (offline model, production composition)", () => {
  it('answers "Hola, busco un auto económico" over a signed webhook with real catalog cars, once', async () => {
    const params = inboundParams({ from: "whatsapp:+5215512345678", body: "Hola, busco un auto económico" });
    const response = await signedPost(server.url, "/webhook", params);
    expect(response.status).toBe(200);
    console.log(`[measure] end-to-end inline answer (offline model, first turn): ${response.ms.toFixed(0)} ms`);
    const replies = twimlMessages(response.text);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.length).toBeLessThanOrEqual(1600);

    // Titles drop a make the model name already starts with ("Mazda 3", not "Mazda Mazda 3").
    const title = (car: (typeof catalog)[number]) =>
      `${car.model.startsWith(`${car.make} `) ? car.model : `${car.make} ${car.model}`} ${car.year}`;
    const named = catalog.filter((car) => reply.includes(title(car)));
    expect(named.length).toBeGreaterThanOrEqual(3);
    // Every price in the reply is the price of a car it names.
    const prices = [...reply.matchAll(/\$([\d,]+)/g)].map((match) => Number(match[1]!.replace(/,/g, "")));
    expect(prices.length).toBeGreaterThanOrEqual(3);
    for (const price of prices) expect(named.map((car) => car.price)).toContain(price);

    const retried = await signedPost(server.url, "/webhook", params);
    expect(retried.text).toBe(response.text);
    expect((await history("wa:5215512345678"))?.map((message) => message.role)).toEqual(["user", "assistant"]);
  });

  it("a forged signature gets 403 and reaches nothing", async () => {
    const params = inboundParams({ from: "whatsapp:+5215599999999", body: "Hola, busco un auto económico" });
    const response = await signedPost(server.url, "/webhook", params, { token: "ffffffffffffffffffffffffffffffff" });
    expect(response.status).toBe(403);
    expect(await history("wa:5215599999999")).toBeUndefined();
  });
});
