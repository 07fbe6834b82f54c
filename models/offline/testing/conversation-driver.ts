/** Runs whole conversations through generateText with the offline model, keeping memory like the agent does. */
import { generateText, isStepCount, type ModelMessage } from "ai";
import { createOfflineModel } from "../index.ts";
import { fixtureTools } from "./tools-fixture.ts";

export interface TurnOutcome {
  readonly text: string;
  readonly toolCalls: ReadonlyArray<{ readonly name: string; readonly input: unknown; readonly output: unknown }>;
}

export const INSTRUCTIONS = "Eres el asesor de ventas de Kavak en México. Responde en español, breve, solo con datos de las herramientas.";

export const startConversation = () => {
  const model = createOfflineModel();
  const tools = fixtureTools();
  const messages: ModelMessage[] = [];
  const say = async (text: string): Promise<TurnOutcome> => {
    messages.push({ role: "user", content: text });
    const result = await generateText({ model, instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    // Memory keeps every step's messages (tool calls and results too), as the agent's store does.
    messages.push(...result.responseMessages);
    const toolCalls = result.steps.flatMap((s) => s.toolResults.map((r) => ({ name: r.toolName, input: r.input, output: r.output })));
    return { text: result.text, toolCalls };
  };
  return { say, messages };
};
