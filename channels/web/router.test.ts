/** The web channel's HTTP contract over a real server: the demo page, widget.js, the UI message stream, history, CORS. */
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { ManagedRuntime } from "effect";
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { TurnInput } from "../../core/turn.ts";
import { errorHandler } from "../errors.ts";
import { webRouter } from "./router.ts";
import { SEARCH_OUTPUT } from "./testing/fixtures.ts";
import { makeScriptedAgent, scriptedChunks, type ScriptedTurn } from "./testing/scripted-agent.ts";

const CLIENT_ID = "0f6b2c1e-7d2a-4c55-9a44-3b7c2d9e8f10";

const searchTurn: ScriptedTurn = {
  text: "Te encontré *2 autos* económicos:\n- Nissan Versa 2019\n- Chevrolet Aveo 2020",
  toolCalls: [{ name: "search_cars", input: { needs: ["economico"] }, output: SEARCH_OUTPUT }],
};

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

const start = async (script: (input: TurnInput) => ScriptedTurn = () => searchTurn, allowedOrigins: string[] = []) => {
  const agent = makeScriptedAgent(script);
  const runtime = ManagedRuntime.make(agent.layer);
  const app = express();
  app.use(webRouter({ run: (effect) => runtime.runPromise(effect), config: { allowedOrigins } }));
  app.use(errorHandler);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await runtime.dispose();
  });
  return { url, agent };
};

const chat = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/** Parses an SSE body of the UI message stream protocol into chunks, checking the [DONE] terminator. */
const sseChunks = (body: string): UIMessageChunk[] => {
  const events = body.split("\n\n").filter((event) => event.trim() !== "");
  expect(events.at(-1)).toBe("data: [DONE]");
  return events.slice(0, -1).map((event) => {
    expect(event.startsWith("data: ")).toBe(true);
    return JSON.parse(event.slice("data: ".length)) as UIMessageChunk;
  });
};

const assemble = async (chunks: UIMessageChunk[]): Promise<UIMessage> => {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
  return last!;
};

describe("web channel pages", () => {
  it("serves the demo dealer page with the one-tag embed", async () => {
    const { url } = await start();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('lang="es-MX"');
    expect(html).toMatch(/<script src="\/widget.js" data-title="[^"]+" data-color="#[0-9a-f]{6}" defer><\/script>/);
  });

  it("serves widget.js as JavaScript any site can load", async () => {
    const { url } = await start();
    const response = await fetch(`${url}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const source = await response.text();
    expect(source).toContain("attachShadow");
    expect(() => new Function(source)).not.toThrow();
  });
});

describe("POST /api/chat", () => {
  it("streams the reply with the AI SDK UI message stream protocol", async () => {
    const { url, agent } = await start();
    const response = await chat(url, { conversationId: CLIENT_ID, text: "Hola, busco un auto económico" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    expect(response.headers.get("x-conversation-id")).toBe(CLIENT_ID);
    const chunks = sseChunks(await response.text());
    expect(chunks.map((chunk) => chunk.type)).toEqual(scriptedChunks(searchTurn).map((chunk) => chunk.type));

    const message = await assemble(chunks);
    const tool = message.parts.find((part) => part.type === "tool-search_cars");
    expect(tool).toMatchObject({ state: "output-available", output: SEARCH_OUTPUT });
    expect(message.parts.filter((part) => part.type === "text").map((part) => part.text)).toEqual([searchTurn.text]);

    expect(agent.calls).toEqual([{ conversationId: `web:${CLIENT_ID}`, text: "Hola, busco un auto económico", channel: "web" }]);
  });

  it("accepts the body the AI SDK's DefaultChatTransport sends", async () => {
    const { url, agent } = await start();
    const response = await chat(url, {
      id: CLIENT_ID,
      trigger: "submit-message",
      messages: [
        { id: "m1", role: "user", parts: [{ type: "text", text: "Hola" }] },
        { id: "m2", role: "assistant", parts: [{ type: "text", text: "¡Hola!" }] },
        { id: "m3", role: "user", parts: [{ type: "text", text: "¿Tienen SUVs?" }] },
      ],
    });
    expect(response.status).toBe(200);
    await response.text();
    expect(agent.calls[0]?.text).toBe("¿Tienen SUVs?");
  });

  it("rejects bad requests with the JSON error shape and does not call the agent", async () => {
    const { url, agent } = await start();
    const cases: Array<[unknown, number, string]> = [
      [{ conversationId: "short", text: "Hola" }, 400, "invalid_conversation_id"],
      [{ conversationId: "wa:5215512345678x", text: "Hola" }, 400, "invalid_conversation_id"],
      [{ conversationId: CLIENT_ID, text: "   " }, 400, "invalid_body"],
      [{ conversationId: CLIENT_ID, text: "a".repeat(4001) }, 400, "text_too_long"],
    ];
    for (const [body, status, code] of cases) {
      const response = await chat(url, body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    }
    const notJson = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "text/plain" }, body: "Hola" });
    expect(notJson.status).toBe(415);
    expect(agent.calls).toHaveLength(0);
  });

  it("answers 503 with the JSON error shape when the agent cannot start the turn", async () => {
    const { url } = await start(() => ({ text: "", fail: true }));
    const response = await chat(url, { conversationId: CLIENT_ID, text: "Hola" });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: "model_unavailable", message: expect.any(String) } });
  });
});

describe("GET /api/chat/history/:conversationId", () => {
  it("returns the conversation after a turn, 404 before, 400 for ids of other channels", async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/chat/history/${CLIENT_ID}`)).status).toBe(404);
    await (await chat(url, { conversationId: CLIENT_ID, text: "Hola" })).text();
    const response = await fetch(`${url}/api/chat/history/${CLIENT_ID}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { conversationId: string; messages: Array<{ role: string; text: string; createdAt: string }> };
    expect(body.conversationId).toBe(CLIENT_ID);
    expect(body.messages.map((m) => [m.role, m.text])).toEqual([
      ["user", "Hola"],
      ["assistant", searchTurn.text],
    ]);
    expect((await fetch(`${url}/api/chat/history/wa:5215512345678`)).status).toBe(400);
  });
});

describe("CORS by WIDGET_ALLOWED_ORIGINS", () => {
  it("allows listed origins (and answers preflights), refuses others without running a turn", async () => {
    const { url, agent } = await start(undefined, ["https://dealer.example"]);
    const preflight = await fetch(`${url}/api/chat`, {
      method: "OPTIONS",
      headers: { origin: "https://dealer.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://dealer.example");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");

    const allowed = await chat(url, { conversationId: CLIENT_ID, text: "Hola" }, { origin: "https://dealer.example" });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dealer.example");
    await allowed.text();

    const refused = await chat(url, { conversationId: CLIENT_ID, text: "Hola" }, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    // The refusal carries CORS headers, so the widget on that site can read it and say what is wrong.
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(await refused.json()).toEqual({ error: { code: "origin_not_allowed", message: expect.any(String) } });
    // Its preflight passes (it reveals nothing) so that the refusal above is what the browser sees.
    const refusedPreflight = await fetch(`${url}/api/chat`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(refusedPreflight.status).toBe(204);
    const refusedHistory = await fetch(`${url}/api/chat/history/${CLIENT_ID}`, { headers: { origin: "https://evil.example" } });
    expect(refusedHistory.status).toBe(403);
    expect(refusedHistory.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(agent.calls).toHaveLength(1);
  });

  it("always allows the server's own pages, and any origin with *", async () => {
    const own = await start();
    const sameOrigin = await chat(own.url, { conversationId: CLIENT_ID, text: "Hola" }, { origin: own.url });
    expect(sameOrigin.status).toBe(200);
    await sameOrigin.text();

    const any = await start(undefined, ["*"]);
    const other = await chat(any.url, { conversationId: CLIENT_ID, text: "Hola" }, { origin: "https://anywhere.example" });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
    await other.text();
  });
});
