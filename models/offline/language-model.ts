/** The offline model as a LanguageModelV4: same decision for generate and stream. */
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { decide } from "./decide.ts";
import { fitMessage } from "./replies/format.ts";
import { hashText } from "./replies/variety.ts";

const roughTokens = (text: string): number => Math.ceil(text.length / 4);

const usageOf = (options: LanguageModelV4CallOptions, output: string): LanguageModelV4Usage => {
  const input = roughTokens(JSON.stringify(options.prompt));
  const out = roughTokens(output);
  return { inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: out, text: out, reasoning: undefined } };
};

const generate = (options: LanguageModelV4CallOptions): { content: LanguageModelV4Content[]; finish: "stop" | "tool-calls"; raw: string } => {
  const action = decide(options);
  if (action.kind === "reply") {
    const text = fitMessage(action.text);
    return { content: [{ type: "text", text }], finish: "stop", raw: text };
  }
  // Ids only need to be unique in the conversation: derive them from it, so runs are reproducible.
  const base = hashText(JSON.stringify(options.prompt)).toString(36);
  const content: LanguageModelV4Content[] = action.calls.map((c, i) => ({ type: "tool-call", toolCallId: `offline-${base}-${i}`, toolName: c.name, input: JSON.stringify(c.input) }));
  return { content, finish: "tool-calls", raw: action.calls.map((c) => JSON.stringify(c.input)).join("") };
};

/** Splits a reply into word-sized deltas, as a streaming model would send it. */
const deltas = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [text];

export const createOfflineModel = (): LanguageModelV4 => ({
  specificationVersion: "v4",
  provider: "kavak-offline",
  modelId: "offline-es-mx",
  supportedUrls: {},
  async doGenerate(options) {
    const { content, finish, raw } = generate(options);
    return { content, finishReason: { unified: finish, raw: finish }, usage: usageOf(options, raw), warnings: [] };
  },
  async doStream(options) {
    const { content, finish, raw } = generate(options);
    const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }];
    for (const [i, part] of content.entries()) {
      if (part.type === "text") {
        const id = `text-${i}`;
        parts.push({ type: "text-start", id });
        for (const delta of deltas(part.text)) parts.push({ type: "text-delta", id, delta });
        parts.push({ type: "text-end", id });
      } else if (part.type === "tool-call") {
        parts.push({ type: "tool-input-start", id: part.toolCallId, toolName: part.toolName });
        parts.push({ type: "tool-input-delta", id: part.toolCallId, delta: part.input });
        parts.push({ type: "tool-input-end", id: part.toolCallId });
        parts.push(part);
      }
    }
    parts.push({ type: "finish", finishReason: { unified: finish, raw: finish }, usage: usageOf(options, raw) });
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    return { stream };
  },
});
