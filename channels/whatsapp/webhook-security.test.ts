/** Signature checks on a real HTTP server: requests are signed with twilio's own getExpectedTwilioSignature. */
import { Effect, ManagedRuntime } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ChannelEventStore } from "./delivery/channel-event-store.ts";
import { Database, type DatabaseShape } from "../../knowledge/db/database.ts";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { makeScriptedAgent } from "../web/testing/scripted-agent.ts";
import twilio from "twilio";
import { AUTH_TOKEN, inboundParams, MOUNT, newMessageSid, PUBLIC_BASE_URL, startWhatsApp, testConfig, twimlMessages, type WhatsAppHarness } from "./testing/harness.ts";

// Real servers and a real database: give slow shared machines room (these are not timing assertions).
vi.setConfig({ testTimeout: 30_000 });
const dbRuntime = ManagedRuntime.make(TestDatabase);
let database: DatabaseShape;
const open: WhatsAppHarness[] = [];

beforeAll(async () => {
  database = await dbRuntime.runPromise(Database.use(Effect.succeed));
}, 120_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});
afterAll(() => dbRuntime.dispose());

const start = async (overrides: Parameters<typeof testConfig>[0] = {}) => {
  const agent = makeScriptedAgent((input) => ({ text: `Recibí: ${input.text}` }));
  const harness = await startWhatsApp({ config: testConfig(overrides), agent: agent.layer, database });
  open.push(harness);
  const stored = (sid: string) => harness.runtime.runPromise(ChannelEventStore.use((store) => store.getInbound("whatsapp", sid)));
  return { harness, agent, stored };
};

describe("WhatsApp webhook signature", () => {
  it("answers a request signed for PUBLIC_BASE_URL", async () => {
    const { harness, agent } = await start();
    const response = await harness.post("/webhook", inboundParams({ from: "whatsapp:+5215510000001", body: "Hola" }));
    expect(response.status).toBe(200);
    expect(twimlMessages(response.text)).toEqual(["Recibí: Hola"]);
    expect(agent.calls).toHaveLength(1);
  });

  it("rejects forged, missing and wrong-URL signatures with 403 and processes nothing", async () => {
    const { harness, agent, stored } = await start();
    const cases = [
      { name: "forged (other token)", options: { token: "ffffffffffffffffffffffffffffffff" } },
      { name: "missing", options: { signature: null } },
      { name: "garbage", options: { signature: "bm90IGEgc2lnbmF0dXJl" } },
      // Signed for the address the server listens on, not the public URL Twilio called.
      { name: "signed for the local URL", options: { signFor: harness.localUrl } },
    ];
    for (const { name, options } of cases) {
      const params = inboundParams({ from: "whatsapp:+5215510000002", body: "Hola" });
      const response = await harness.post("/webhook", params, options);
      expect(response.status, name).toBe(403);
      expect(JSON.parse(response.text)).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
      expect(await stored(params.MessageSid!), name).toBeUndefined();
    }
    // A valid signature over different fields (tampered body) is also refused.
    const params = inboundParams({ from: "whatsapp:+5215510000002", body: "Hola" });
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${MOUNT}/webhook`, params);
    const tampered = await harness.post("/webhook", { ...params, Body: "Otra cosa" }, { signature });
    expect(tampered.status).toBe(403);
    expect(agent.calls).toHaveLength(0);
  });

  it("uses X-Forwarded-Proto/Host only when they are explicitly trusted", async () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "proxy.example.test" };
    const trusted = await start({ publicBaseUrl: undefined, trustForwardedHeaders: true });
    const ok = await trusted.harness.post("/webhook", inboundParams({ from: "whatsapp:+5215510000003", body: "Hola" }), {
      signFor: "https://proxy.example.test",
      headers: forwarded,
    });
    expect(ok.status).toBe(200);

    const untrusted = await start({ publicBaseUrl: undefined, trustForwardedHeaders: false });
    const refused = await untrusted.harness.post("/webhook", inboundParams({ from: "whatsapp:+5215510000003", body: "Hola" }), {
      signFor: "https://proxy.example.test",
      headers: forwarded,
    });
    expect(refused.status).toBe(403);
    expect(untrusted.agent.calls).toHaveLength(0);
  });

  it("checks status callbacks too", async () => {
    const { harness } = await start();
    const params = { MessageSid: newMessageSid(), MessageStatus: "delivered", AccountSid: "AC1", To: "whatsapp:+5215510000004" };
    expect((await harness.post("/status", params, { signature: null })).status).toBe(403);
    expect((await harness.post("/status", params)).status).toBe(204);
  });

  it("rejects everything when no auth token is configured, and says so at start", async () => {
    const { harness, agent } = await start({ authToken: undefined });
    await Effect.runPromise(Effect.sleep("20 millis"));
    expect(harness.logs.some((line) => line.level === "Warn" && line.message.includes("TWILIO_AUTH_TOKEN is not set"))).toBe(true);
    const response = await harness.post("/webhook", inboundParams({ from: "whatsapp:+5215510000005", body: "Hola" }));
    expect(response.status).toBe(403);
    expect(agent.calls).toHaveLength(0);
  });

  it("can be turned off explicitly for local development, with a warning at every start", async () => {
    for (let startIndex = 0; startIndex < 2; startIndex++) {
      const { harness, agent } = await start({ validateSignature: false, authToken: undefined });
      await Effect.runPromise(Effect.sleep("20 millis"));
      expect(harness.logs.filter((line) => line.level === "Warn" && line.message.includes("NOT authenticated"))).toHaveLength(1);
      const response = await harness.post("/webhook", inboundParams({ from: "whatsapp:+5215510000006", body: "Hola" }), { signature: null });
      expect(response.status).toBe(200);
      expect(agent.calls).toHaveLength(1);
    }
  });
});
