/**
 * Which language model the agent talks to: OpenAI with a key, any OpenAI-compatible server with a
 * base URL (Ollama, vLLM, llama.cpp), or with neither the built-in model the application supplies.
 */
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { Context, Effect, Layer, Redacted } from "effect";
import { AppConfig } from "./config.ts";

export interface AgentModelShape {
  readonly model: LanguageModelV4;
  readonly kind: "openai" | "openai-compatible" | "offline";
  readonly description: string;
}

export class AgentModel extends Context.Service<AgentModel, AgentModelShape>()("AgentModel") {
  /** The model the configuration selects; `builtIn` stands in when no model server is configured. */
  static readonly fromConfig = (builtIn: () => LanguageModelV4) =>
    Layer.effect(
      AgentModel,
      Effect.gen(function* () {
        const { model } = yield* AppConfig;
        const selected = selectModel(model, builtIn);
        yield* Effect.logInfo(`language model: ${selected.description}`);
        return AgentModel.of(selected);
      }),
    );
  /** Always the built-in model, whatever the configuration says (tests, the release gate). */
  static readonly builtIn = (model: LanguageModelV4) => Layer.succeed(AgentModel, AgentModel.of(builtInShape(model)));
}

const builtInShape = (model: LanguageModelV4): AgentModelShape => ({ model, kind: "offline", description: "offline (built-in, deterministic)" });

export const selectModel = (
  config: {
    openaiApiKey?: Redacted.Redacted<string> | undefined;
    openaiBaseUrl?: string | undefined;
    openaiModel: string;
  },
  builtIn: () => LanguageModelV4,
): AgentModelShape => {
  if (config.openaiBaseUrl) {
    // Local OpenAI-compatible servers usually ignore the key but the client requires one.
    const provider = createOpenAI({ baseURL: config.openaiBaseUrl, apiKey: config.openaiApiKey ? Redacted.value(config.openaiApiKey) : "not-needed", name: "openai-compatible" });
    return { model: provider.chat(config.openaiModel), kind: "openai-compatible", description: `${config.openaiModel} at ${config.openaiBaseUrl}` };
  }
  if (config.openaiApiKey) {
    const provider = createOpenAI({ apiKey: Redacted.value(config.openaiApiKey) });
    return { model: provider(config.openaiModel), kind: "openai", description: `OpenAI ${config.openaiModel}` };
  }
  return builtInShape(builtIn());
};
