import { generateText, isStepCount, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { createOfflineModel } from "./index.ts";
import { fixtureTools } from "./testing/tools-fixture.ts";
import { INSTRUCTIONS, startConversation } from "./testing/conversation-driver.ts";

describe("offline model: identity", () => {
  it("is a v4 model of the kavak-offline provider", () => {
    const model = createOfflineModel();
    expect(model.specificationVersion).toBe("v4");
    expect(model.provider).toBe("kavak-offline");
    expect(model.modelId).toBe("offline-es-mx");
  });
});

describe("offline model: acceptance of the walking skeleton", () => {
  it("lists both Versas for 'Busco un Nissan Versa'", async () => {
    const chat = startConversation();
    const turn = await chat.say("Busco un Nissan Versa");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["search_cars"]);
    expect(turn.toolCalls[0]!.input).toMatchObject({ make: "Nissan", model: "Versa" });
    expect(turn.text).toContain("$265,999");
    expect(turn.text).toContain("$220,999");
    expect(turn.text).toContain("2020");
    expect(turn.text).toContain("2018");
    expect(turn.text).toContain("45,837 km");
  });

  it("quotes $5,478.29 for the Versa 2020 with 50 mil down at 48 months, from a fresh conversation", async () => {
    const chat = startConversation();
    const turn = await chat.say("¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?");
    const financing = turn.toolCalls.find((c) => c.name === "calculate_financing");
    expect(financing?.input).toEqual({ stockId: 322722, downPayment: 50000, termMonths: [48] });
    expect(turn.text).toContain("$5,478.29");
    expect(turn.text).toContain("$262,957.92");
  });

  it("quotes the same after a search, resolving the Versa 2020 from the cars shown", async () => {
    const chat = startConversation();
    await chat.say("Busco un Nissan Versa");
    const turn = await chat.say("¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?");
    expect(turn.toolCalls.map((c) => c.name)).toEqual(["calculate_financing"]);
    expect(turn.toolCalls[0]!.input).toEqual({ stockId: 322722, downPayment: 50000, termMonths: [48] });
    expect(turn.text).toContain("$5,478.29");
  });
});

describe("offline model: streaming", () => {
  it("streams the same reply as generate, as text deltas, with tool calls in between", async () => {
    const tools = fixtureTools();
    const messages = [{ role: "user" as const, content: "Busco un Nissan Versa" }];
    const generated = await generateText({ model: createOfflineModel(), instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    const streamed = streamText({ model: createOfflineModel(), instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    const kinds = new Set<string>();
    for await (const part of streamed.fullStream) kinds.add(part.type);
    expect(await streamed.text).toBe(generated.text);
    expect([...kinds]).toEqual(expect.arrayContaining(["tool-call", "tool-result", "text-start", "text-delta", "text-end", "finish"]));
    expect((await streamed.finishReason)).toBe("stop");
  });

  it("emits stream-start first and finish last with usage from doStream", async () => {
    const model = createOfflineModel();
    const { stream } = await model.doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "hola" }] }] });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts[0]?.type).toBe("stream-start");
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type === "finish") {
      expect(finish.finishReason.unified).toBe("stop");
      expect(finish.usage.outputTokens.total).toBeGreaterThan(0);
    }
  });
});

describe("offline model: determinism", () => {
  it("gives the same output for the same prompt", async () => {
    const model = createOfflineModel();
    const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "Busco una camioneta familiar de menos de 400 mil" }] }];
    const tools = [{ type: "function" as const, name: "search_cars", inputSchema: { type: "object" as const } }];
    const a = await model.doGenerate({ prompt, tools });
    const b = await model.doGenerate({ prompt, tools });
    expect(a.content).toEqual(b.content);
    expect(a.finishReason.unified).toBe("tool-calls");
  });

  it("does not call a tool it was not given", async () => {
    const model = createOfflineModel();
    const result = await model.doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "¿Dónde están sus sucursales?" }] }], tools: [] });
    expect(result.finishReason.unified).toBe("stop");
    expect(result.content[0]?.type).toBe("text");
  });
});
