/**
 * The OPENAI_BASE_URL path, end to end: the agent talks to a local stand-in for an
 * OpenAI-compatible server (the /v1/chat/completions wire format), which asks for a tool and then
 * answers from the tool's result. OpenAI's real servers cannot be reached here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express from "express";
import type { Server } from "node:http";
import { Layer } from "effect";
import { postJson, startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { AgentModel, selectModel } from "../../core/model.ts";
import { createOfflineModel } from "../../models/offline/index.ts";
import { TOOL_NAMES } from "../../tools/contracts.ts";

interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
}

const requests: ChatRequest[] = [];
let fakeServer: Server;
let app: TestServer;

const completion = (message: object, finishReason: string) => ({
  id: `chatcmpl-${requests.length}`,
  object: "chat.completion",
  created: 1_700_000_000,
  model: "local-model",
  choices: [{ index: 0, message, finish_reason: finishReason }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
});

beforeAll(async () => {
  const fake = express();
  fake.use(express.json({ limit: "5mb" }));
  fake.post("/v1/chat/completions", (req, res) => {
    const body = req.body as ChatRequest;
    requests.push(body);
    const toolMessage = body.messages.find((m) => m.role === "tool");
    if (!toolMessage) {
      res.json(
        completion(
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_1", type: "function", function: { name: "search_cars", arguments: JSON.stringify({ make: "Nissan", model: "Versa" }) } }],
          },
          "tool_calls",
        ),
      );
      return;
    }
    const output = JSON.parse(String(toolMessage.content));
    const prices = output.cars.map((car: { year: number; price: number }) => `${car.year}: $${car.price.toLocaleString("en-US")}`);
    res.json(completion({ role: "assistant", content: `Tengo estos Versa: ${prices.join(", ")}.` }, "stop"));
  });
  fakeServer = await new Promise((resolve) => {
    const s = fake.listen(0, () => resolve(s));
  });
  const port = (fakeServer.address() as { port: number }).port;
  const model = selectModel({ openaiBaseUrl: `http://127.0.0.1:${port}/v1`, openaiModel: "local-model" }, createOfflineModel);
  app = await startTestServer(undefined, Layer.succeed(AgentModel, AgentModel.of(model)));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => fakeServer?.close(resolve));
});

describe("OpenAI-compatible model", () => {
  it("is selected by OPENAI_BASE_URL and takes precedence over a key", () => {
    expect(selectModel({ openaiBaseUrl: "http://127.0.0.1:11434/v1", openaiModel: "llama3.1" }, createOfflineModel).kind).toBe("openai-compatible");
    expect(selectModel({ openaiModel: "gpt-4o-mini" }, createOfflineModel).kind).toBe("offline");
  });

  it("drives the agent's tool loop over the chat completions wire format", async () => {
    const res = await postJson(`${app.url}/v1/conversations/compat-1/messages`, { text: "Busco un Nissan Versa" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.toolCalls.map((call: { name: string }) => call.name)).toEqual(["search_cars"]);
    expect(body.reply.text).toContain("$265,999");
    expect(body.reply.text).toContain("$220,999");

    const [first, second] = requests;
    expect(first!.model).toBe("local-model");
    expect(first!.messages[0]).toMatchObject({ role: "system" });
    expect(String(first!.messages[0]!.content)).toContain("Kavak");
    // Every tool the toolkit declares reaches the live model.
    expect(first!.tools!.map((t) => t.function.name).sort()).toEqual(Object.values(TOOL_NAMES).sort());
    expect(second!.messages.some((m) => m.role === "tool" && m.tool_call_id === "call_1")).toBe(true);
  });
});
