/**
 * `trigger: "regenerate-message"` on POST /api/chat, through the real agent (offline model) and a
 * real database (PGlite, or PostgreSQL with DATABASE_URL): the last answer is replaced, the user's
 * message is stored once, and the model does not see the replaced turn.
 */
import { Effect, Layer } from "effect";
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../core/agent.ts";
import { ConversationStore } from "../../knowledge/conversations/conversation-store.ts";
import { errorHandler } from "../errors.ts";
import { webRouter } from "./router.ts";
import { startAppRuntime } from "./testing/app-runtime.ts";

const CLIENT_ID = "regen-7d2a-4c55-9a44-3b7c2d9e8f10";

describe("POST /api/chat with trigger regenerate-message", () => {
  let app: Awaited<ReturnType<typeof startAppRuntime>>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    app = await startAppRuntime();
    const agent = await app.runtime.runPromise(Agent.use(Effect.succeed));
    const express_ = express();
    express_.use(webRouter({ run: (effect) => Effect.runPromise(Effect.provide(effect, Layer.succeed(Agent, agent))), config: { allowedOrigins: [] } }));
    express_.use(errorHandler);
    server = await new Promise((resolve) => {
      const s = express_.listen(0, "127.0.0.1", () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
  });

  const chat = async (body: unknown) => {
    const response = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return response.text();
  };
  const history = async (clientId: string) => {
    const response = await fetch(`${url}/api/chat/history/${clientId}`);
    const body = (await response.json()) as { messages: Array<{ role: string; text: string }> };
    return body.messages.map((m) => `${m.role}: ${m.text}`);
  };
  /** The stored turn is complete (the stream ends before the turn's transaction commits). */
  const settled = async (clientId: string, users: number) =>
    expect.poll(async () => (await history(clientId).catch(() => [])).filter((m) => m.startsWith("user:")).length).toBe(users);
  const user = (text: string) => ({ id: `u-${text.length}`, role: "user", parts: [{ type: "text", text }] });

  it("replaces the last answer instead of storing the user's message twice", async () => {
    await chat({ conversationId: CLIENT_ID, text: "Hola" });
    await settled(CLIENT_ID, 1);
    await chat({ conversationId: CLIENT_ID, text: "Busco un Nissan Versa" });
    await settled(CLIENT_ID, 2);
    const before = await history(CLIENT_ID);
    expect(before).toHaveLength(4);

    const stream = await chat({
      id: CLIENT_ID,
      trigger: "regenerate-message",
      messageId: "a-2",
      messages: [user("Hola"), { id: "a-1", role: "assistant", parts: [{ type: "text", text: "¡Hola!" }] }, user("Busco un Nissan Versa")],
    });
    expect(stream).toContain("tool-output-available");
    await expect.poll(() => history(CLIENT_ID)).toEqual(before);
    // The raw store too: two user messages, and the model's window holds no trace of the replaced turn's duplicate.
    const stored = (await app.runtime.runPromise(ConversationStore.use((s) => s.recentContent(`web:${CLIENT_ID}`, 60)))) as Array<{ role: string }>;
    expect(stored.filter((m) => m.role === "user")).toHaveLength(2);

    // A plain submit of the same text is a new turn.
    await chat({ id: CLIENT_ID, trigger: "submit-message", messages: [user("Busco un Nissan Versa")] });
    await settled(CLIENT_ID, 3);
  });

  it("on a conversation with nothing stored, regenerate is a first turn", async () => {
    const id = "regen-new-4c55-9a44-3b7c2d9e8f10";
    await chat({ id, trigger: "regenerate-message", messages: [user("Hola")] });
    await settled(id, 1);
    expect(await history(id)).toHaveLength(2);
  });
});
