/**
 * The agent loop's GenAI spans (genai-spans.ts) against the AI SDK's own OpenTelemetry integration
 * (@ai-sdk/otel) on the same calls: the same span tree (less its `step <n>` spans, whose model and
 * tool calls sit directly under invoke_agent), kinds and attribute keys; content only with capture
 * on; a tool's own spans under its execute_tool span; failures end every open span as an error.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import type { LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { SpanKind, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { generateText, isStepCount, tool, type ToolSet } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isContentAttribute } from "./content-policy.ts";
import { genAiSpans } from "./genai-spans.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterAll(() => provider.shutdown());
const testTracer = trace.getTracer("test");

const usage = { inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 3, text: 3, reasoning: undefined } };
const replies = (): LanguageModelV4GenerateResult[] => [
  { content: [{ type: "tool-call", toolCallId: "c1", toolName: "lookup", input: JSON.stringify({ plate: "NXR4521" }) }], finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage, warnings: [] },
  { content: [{ type: "text", text: "Tu auto no tiene multas." }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] },
];
const tools = (): ToolSet => ({
  // A tool with a span of its own, as the app's tools have (their stores' statements, searches).
  lookup: tool({ inputSchema: z.object({ plate: z.string() }), execute: async () => testTracer.startActiveSpan("fines.lookup", async (span) => (span.end(), { fines: 0 })) }),
});
const prompt = { instructions: "Eres un asistente.", messages: [{ role: "user" as const, content: "¿Mi auto tiene multas?" }], stopWhen: isStepCount(3) };

/** One loop under a parent span, observed by our spans; returns what was exported. */
const ours = async (captureContent: boolean, model = new MockLanguageModelV4({ doGenerate: replies() })) => {
  exporter.reset();
  const telemetry = genAiSpans({ captureContent });
  await testTracer.startActiveSpan("turn", async (turn) => {
    const loop = telemetry.begin("agent");
    try {
      await loop.run(() => generateText({ ...prompt, ...loop.callbacks, model: telemetry.wrapModel(model), tools: telemetry.wrapTools(tools()), telemetry: { isEnabled: false } }));
    } catch (error) {
      loop.fail(error);
    } finally {
      turn.end();
    }
  });
  return exporter.getFinishedSpans();
};

/** The same loop observed by @ai-sdk/otel. */
const theirs = async (captureContent: boolean) => {
  exporter.reset();
  await testTracer.startActiveSpan("turn", async (turn) => {
    await generateText({
      ...prompt,
      model: new MockLanguageModelV4({ doGenerate: replies() }),
      tools: tools(),
      telemetry: { isEnabled: true, functionId: "agent", recordInputs: captureContent, recordOutputs: captureContent, integrations: [new OpenTelemetry()] },
    });
    turn.end();
  });
  return exporter.getFinishedSpans();
};

/** Each span as its name, kind, parent's name and attribute keys (ordered by parent and name: spans of one step may start in the same instant). */
const shape = (spans: ReadonlyArray<ReadableSpan>) => {
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  return spans
    .map((span) => ({
      name: span.name,
      kind: span.kind,
      parent: span.parentSpanContext ? byId.get(span.parentSpanContext.spanId)?.name : undefined,
      attributes: Object.keys(span.attributes).sort(),
    }))
    .sort((a, b) => `${a.parent ?? ""}>${a.name}`.localeCompare(`${b.parent ?? ""}>${b.name}`));
};

/** @ai-sdk/otel's shape without its step spans: their children under the step's parent. */
const withoutSteps = (spans: ReturnType<typeof shape>) => {
  const isStep = (name: string | undefined) => name !== undefined && /^step \d+$/.test(name);
  return spans
    .filter((span) => !isStep(span.name))
    .map((span) => (isStep(span.parent) ? { ...span, parent: spans.find((step) => step.name === span.parent)?.parent } : span))
    .sort((a, b) => `${a.parent ?? ""}>${a.name}`.localeCompare(`${b.parent ?? ""}>${b.name}`));
};

describe("genAiSpans", () => {
  it("capture off: the same spans, nesting, kinds and attribute keys as @ai-sdk/otel, and no content", async () => {
    const mine = await ours(false);
    const reference = shape(await theirs(false));
    expect(reference.filter((span) => span.name.startsWith("step "))).toHaveLength(2);
    expect(shape(mine)).toEqual(withoutSteps(reference));
    expect(shape(mine).map((span) => `${span.parent ?? "-"} > ${span.name}`)).toEqual([
      "- > turn",
      "execute_tool lookup > fines.lookup",
      "invoke_agent mock-model-id > chat mock-model-id",
      "invoke_agent mock-model-id > chat mock-model-id",
      "invoke_agent mock-model-id > execute_tool lookup",
      "turn > invoke_agent mock-model-id",
    ]);
    expect(mine.find((span) => span.name.startsWith("chat"))?.kind).toBe(SpanKind.CLIENT);
    expect(mine.flatMap((span) => Object.keys(span.attributes)).filter(isContentAttribute)).toEqual([]);
    expect(JSON.stringify(mine.map((span) => span.attributes))).not.toMatch(/multas|NXR4521|asistente/);
    const chat = mine.find((span) => span.name.startsWith("chat"))!;
    expect(chat.attributes).toMatchObject({ "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 3, "gen_ai.response.finish_reasons": ["tool-calls"] });
    expect(mine.find((span) => span.name.startsWith("invoke_agent"))?.attributes).toMatchObject({ "gen_ai.agent.name": "agent", "gen_ai.usage.input_tokens": 24, "gen_ai.usage.output_tokens": 6 });
  });

  it("capture on: the same content attributes as @ai-sdk/otel, in the GenAI conventions' message form", async () => {
    const mine = await ours(true);
    expect(shape(mine)).toEqual(withoutSteps(shape(await theirs(true))));
    const tool = mine.find((span) => span.name === "execute_tool lookup")!;
    expect(JSON.parse(String(tool.attributes["gen_ai.tool.call.arguments"]))).toEqual({ plate: "NXR4521" });
    expect(JSON.parse(String(tool.attributes["gen_ai.tool.call.result"]))).toEqual({ fines: 0 });
    const agent = mine.find((span) => span.name.startsWith("invoke_agent"))!;
    expect(JSON.parse(String(agent.attributes["gen_ai.input.messages"]))).toEqual([{ role: "user", parts: [{ type: "text", content: "¿Mi auto tiene multas?" }] }]);
    expect(JSON.parse(String(agent.attributes["gen_ai.output.messages"]))).toEqual([{ role: "assistant", parts: [{ type: "text", content: "Tu auto no tiene multas." }], finish_reason: "stop" }]);
  });

  it("a failing model call ends the agent and model spans as errors", async () => {
    const failing = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new Error("upstream 503");
      },
    });
    const spans = await ours(false, failing);
    const failed = spans.filter((span) => span.status.code === 2).map((span) => span.name);
    expect(failed).toEqual(expect.arrayContaining(["invoke_agent mock-model-id", "chat mock-model-id"]));
    expect(spans.every((span) => span.ended)).toBe(true);
  });
});
