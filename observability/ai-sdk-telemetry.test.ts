/**
 * The AI SDK integration as the harness calls it (recordInputs/recordOutputs unset): with capture
 * off its spans carry no content even before the content policy sees them; with capture on they do.
 */
import type { LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { generateText, isStepCount, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { aiSdkTelemetry } from "./ai-sdk-telemetry.ts";
import { isContentAttribute } from "./content-policy.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterAll(() => provider.shutdown());

const usage = { inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 3, text: 3, reasoning: undefined } };
const replies = (): LanguageModelV4GenerateResult[] => [
  { content: [{ type: "tool-call", toolCallId: "c1", toolName: "lookup", input: JSON.stringify({ plate: "NXR4521" }) }], finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage, warnings: [] },
  { content: [{ type: "text", text: "Tu auto no tiene multas." }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] },
];

const turn = async (captureContent: boolean) => {
  exporter.reset();
  await generateText({
    model: new MockLanguageModelV4({ doGenerate: replies() }),
    instructions: "Eres un asistente.",
    messages: [{ role: "user", content: "¿Mi auto tiene multas?" }],
    tools: { lookup: tool({ inputSchema: z.object({ plate: z.string() }), execute: async () => ({ fines: 0 }) }) },
    stopWhen: isStepCount(3),
    telemetry: { isEnabled: true, functionId: "agent", integrations: [aiSdkTelemetry(captureContent)] },
  });
  return exporter.getFinishedSpans();
};

describe("aiSdkTelemetry", () => {
  it("capture off: agent, model and tool spans with their GenAI attributes, and no prompt, message, argument or result", async () => {
    const spans = await turn(false);
    const names = spans.map((span) => span.name);
    expect(names.some((name) => name.startsWith("invoke_agent"))).toBe(true);
    expect(names.filter((name) => name.startsWith("chat"))).toHaveLength(2);
    expect(names).toContain("execute_tool lookup");
    const keys = spans.flatMap((span) => Object.keys(span.attributes));
    expect(keys).toContain("gen_ai.usage.input_tokens");
    expect(keys.filter(isContentAttribute)).toEqual([]);
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/multas|NXR4521|asistente/);
  });

  it("capture on: the same spans carry the messages and the tool's arguments and result", async () => {
    const keys = (await turn(true)).flatMap((span) => Object.keys(span.attributes));
    expect(keys).toEqual(expect.arrayContaining(["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result"]));
  });
});
