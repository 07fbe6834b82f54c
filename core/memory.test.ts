import type { LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { generateText, isStepCount, tool, type ModelMessage } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compactMessage, DEFAULT_MEMORY_TOKENS, estimateTokens, promptFromMemory, splitTurns, trimToUserStart } from "./memory.ts";

// A generic tool whose results carry a list worth remembering and a long detail that is not.
interface Lookup {
  readonly items: ReadonlyArray<number>;
  readonly detail: string;
}
const compact = (toolName: string, output: unknown): unknown =>
  toolName === "lookup" && output !== null && typeof output === "object" && "items" in output ? { items: (output as Lookup).items } : output;

const user = (text: string): ModelMessage => ({ role: "user", content: text });
const assistant = (text: string): ModelMessage => ({ role: "assistant", content: [{ type: "text", text }] });
const call = (id: string, input: object, toolName = "lookup"): ModelMessage => ({
  role: "assistant",
  content: [{ type: "tool-call", toolCallId: id, toolName, input }],
});
const result = (id: string, value: unknown, toolName = "lookup"): ModelMessage => ({
  role: "tool",
  content: [{ type: "tool-result", toolCallId: id, toolName, output: { type: "json", value: value as never } }],
});

/** One turn: a question, a lookup (with a detail of `detail` characters) and an answer. */
const turn = (n: number, detail = 600): ModelMessage[] => [
  user(`pregunta ${n}`),
  call(`call-${n}`, { n }),
  result(`call-${n}`, { items: [n, n + 1, n + 2], detail: "x".repeat(detail) } satisfies Lookup),
  assistant(`respuesta ${n}`),
];
const conversation = (turns: number, detail?: number): ModelMessage[] => Array.from({ length: turns }, (_, i) => turn(i + 1, detail)).flat();

const toolResults = (messages: ReadonlyArray<ModelMessage>) =>
  messages.flatMap((m) => (m.role === "tool" ? m.content.flatMap((p) => (p.type === "tool-result" ? [p] : [])) : []));
const toolCallIds = (messages: ReadonlyArray<ModelMessage>) =>
  messages.flatMap((m) => (m.role === "assistant" && typeof m.content !== "string" ? m.content.flatMap((p) => (p.type === "tool-call" ? [p.toolCallId] : [])) : []));
const userTexts = (messages: ReadonlyArray<ModelMessage>) => messages.filter((m) => m.role === "user").map((m) => m.content);

describe("promptFromMemory", () => {
  it("keeps every earlier turn when it fits, with its tool results compacted and the stored messages untouched", () => {
    const stored = conversation(3);
    const copy = structuredClone(stored);
    const prompt = promptFromMemory(stored, compact, { budgetTokens: 10_000 });
    expect(userTexts(prompt)).toEqual(["pregunta 1", "pregunta 2", "pregunta 3"]);
    expect(toolResults(prompt).map((r) => r.output)).toEqual([
      { type: "json", value: { items: [1, 2, 3] } },
      { type: "json", value: { items: [2, 3, 4] } },
      { type: "json", value: { items: [3, 4, 5] } },
    ]);
    // Only tool results change: questions, calls and answers are the stored ones.
    expect(prompt.filter((m) => m.role !== "tool")).toEqual(stored.filter((m) => m.role !== "tool"));
    expect(stored).toEqual(copy);
  });

  it("drops the oldest whole turns until the estimate fits the budget, and no more", () => {
    const stored = conversation(12);
    const perTurn = estimateTokens(promptFromMemory(turn(1), compact, { budgetTokens: 10_000 }));
    const budget = perTurn * 4 + Math.floor(perTurn / 2);
    const prompt = promptFromMemory(stored, compact, { budgetTokens: budget });
    expect(estimateTokens(prompt)).toBeLessThanOrEqual(budget);
    // The newest four turns, whole: one more would not fit.
    expect(userTexts(prompt)).toEqual(["pregunta 9", "pregunta 10", "pregunta 11", "pregunta 12"]);
    expect(estimateTokens(promptFromMemory(stored, compact, { budgetTokens: 10_000 }).slice(-5 * 4))).toBeGreaterThan(budget);
    expect(prompt).toHaveLength(16);
  });

  it("cuts at turn boundaries only: the prompt starts at a user message and every tool result keeps its call", () => {
    for (const budget of [50, 120, 200, 333, 700]) {
      const prompt = promptFromMemory(conversation(9), compact, { budgetTokens: budget });
      expect(prompt[0]?.role).toBe("user");
      const calls = new Set(toolCallIds(prompt));
      for (const r of toolResults(prompt)) expect(calls.has(r.toolCallId)).toBe(true);
      expect(prompt.at(-1)).toEqual(assistant("respuesta 9"));
    }
  });

  it("keeps the latest turn even when it alone exceeds the budget (compacted), and nothing before it", () => {
    const stored = [...turn(1), user("pregunta larga ".repeat(400)), assistant("respuesta larga")];
    const prompt = promptFromMemory(stored, compact, { budgetTokens: 100 });
    expect(prompt).toEqual([user("pregunta larga ".repeat(400)), assistant("respuesta larga")]);
  });

  it("budgets what compaction leaves: big tool results that compact away cost nothing", () => {
    const prompt = promptFromMemory(conversation(6, 50_000), compact, { budgetTokens: 600 });
    expect(userTexts(prompt)).toHaveLength(6);
    const verbatim = promptFromMemory(conversation(6, 50_000), (_name, output) => output, { budgetTokens: 600 });
    expect(userTexts(verbatim)).toEqual(["pregunta 6"]);
  });

  it("uses the default budget when none is given, and none at all with an infinite one", () => {
    const stored = conversation(60, 300);
    const identity = (_name: string, output: unknown) => output;
    const prompt = promptFromMemory(stored, identity);
    const kept = userTexts(prompt).length;
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(60);
    expect(estimateTokens(prompt)).toBeLessThanOrEqual(DEFAULT_MEMORY_TOKENS);
    expect(estimateTokens(stored.slice(-(kept + 1) * 4))).toBeGreaterThan(DEFAULT_MEMORY_TOKENS);
    expect(promptFromMemory(stored, identity, { budgetTokens: Number.POSITIVE_INFINITY })).toEqual(stored);
  });

  it("starts at a user message when the stored window begins mid-turn", () => {
    const stored = conversation(3).slice(2);
    expect(stored[0]?.role).toBe("tool");
    const prompt = promptFromMemory(stored, compact, { budgetTokens: 10_000 });
    expect(userTexts(prompt)).toEqual(["pregunta 2", "pregunta 3"]);
    expect(promptFromMemory([assistant("hola")], compact)).toEqual([]);
    expect(trimToUserStart(stored)[0]).toEqual(user("pregunta 2"));
  });

  it("splits turns at user messages, several user messages in a row each starting one", () => {
    const turns = splitTurns([user("a"), user("b"), assistant("c"), user("d")]);
    expect(turns).toEqual([[user("a")], [user("b"), assistant("c")], [user("d")]]);
  });
});

describe("compactMessage", () => {
  it("compacts JSON results and JSON given as text; leaves errors, denials, plain text and other tools alone", () => {
    const value: Lookup = { items: [7], detail: "largo" };
    const parts = [
      { type: "tool-result", toolCallId: "1", toolName: "lookup", output: { type: "json", value } },
      { type: "tool-result", toolCallId: "2", toolName: "lookup", output: { type: "text", value: JSON.stringify(value) } },
      { type: "tool-result", toolCallId: "3", toolName: "lookup", output: { type: "text", value: "no es JSON" } },
      { type: "tool-result", toolCallId: "4", toolName: "lookup", output: { type: "error-text", value: "falló" } },
      { type: "tool-result", toolCallId: "5", toolName: "lookup", output: { type: "execution-denied", reason: "no" } },
      { type: "tool-result", toolCallId: "6", toolName: "other", output: { type: "json", value } },
    ] as const;
    const message = { role: "tool", content: parts } as unknown as ModelMessage;
    const compacted = compactMessage(message, compact) as { content: Array<{ output: unknown }> };
    expect(compacted.content.map((p) => p.output)).toEqual([
      { type: "json", value: { items: [7] } },
      { type: "text", value: JSON.stringify({ items: [7] }) },
      { type: "text", value: "no es JSON" },
      { type: "error-text", value: "falló" },
      { type: "execution-denied", reason: "no" },
      { type: "json", value },
    ]);
    expect(compactMessage(user("hola"), compact)).toEqual(user("hola"));
  });
});

describe("estimateTokens", () => {
  it("counts characters / 3 of what is sent, plus framing per message and a flat cost per file", () => {
    expect(estimateTokens([])).toBe(0);
    expect(estimateTokens([user("x".repeat(300))])).toBe(4 + 100);
    expect(estimateTokens([assistant("x".repeat(30)), assistant("y".repeat(31))])).toBe(4 + 10 + 4 + 11);
    // tool name + id + JSON input
    expect(estimateTokens([call("id", { a: 1 }, "tool")])).toBe(4 + Math.ceil(("tool" + "id" + '{"a":1}').length / 3));
    // id + JSON output
    expect(estimateTokens([result("id", { a: 1 })])).toBe(4 + Math.ceil(("id" + '{"a":1}').length / 3));
    const withFile: ModelMessage = { role: "user", content: [{ type: "text", text: "mira" }, { type: "file", data: "A".repeat(100_000), mediaType: "image/png" }] };
    expect(estimateTokens([withFile])).toBe(4 + 2 + 256);
  });
});

describe("the turn being answered", () => {
  it("reaches the model intact while earlier turns' results are compacted", async () => {
    const detail = "detalle ".repeat(50);
    const stored = [...turn(1), ...turn(2)];
    const replies: LanguageModelV4GenerateResult[] = [
      {
        content: [{ type: "tool-call", toolCallId: "now", toolName: "lookup", input: JSON.stringify({ n: 3 }) }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } },
        warnings: [],
      },
      {
        content: [{ type: "text", text: "listo" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } },
        warnings: [],
      },
    ];
    const model = new MockLanguageModelV4({ doGenerate: replies });
    const lookup = tool({ inputSchema: z.object({ n: z.number() }), execute: async ({ n }): Promise<Lookup> => ({ items: [n], detail }) });
    await generateText({
      model,
      messages: [...promptFromMemory(stored, compact, { budgetTokens: 10_000 }), user("pregunta 3")],
      tools: { lookup },
      stopWhen: isStepCount(3),
    });
    const lastCall: LanguageModelV4CallOptions = model.doGenerateCalls.at(-1)!;
    const outputs = lastCall.prompt.flatMap((m) => (m.role === "tool" ? m.content.flatMap((p) => (p.type === "tool-result" ? [[p.toolCallId, p.output]] : [])) : []));
    expect(Object.fromEntries(outputs)).toEqual({
      "call-1": { type: "json", value: { items: [1, 2, 3] } },
      "call-2": { type: "json", value: { items: [2, 3, 4] } },
      now: { type: "json", value: { items: [3], detail } },
    });
  });
});
