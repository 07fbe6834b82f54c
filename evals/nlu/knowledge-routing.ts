/**
 * Routing of Kavak questions: does the offline model answer a customer's question about Kavak by
 * calling search_knowledge? Measured over the retrieval eval's questions (evals/retrieval/questions.yaml,
 * written by the knowledge engineer as a sample of how people ask), each asked as a conversation's
 * first message with every tool available.
 */
import type { LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { decide } from "../../models/offline/decide.ts";
import type { Action } from "../../models/offline/dialogue/plan.ts";

const QUESTIONS = new URL("../retrieval/questions.yaml", import.meta.url);

export interface RoutingQuestions {
  /** Kavak questions (the main list and the held-out list): each must call search_knowledge. */
  readonly kavak: ReadonlyArray<string>;
  /** Off-topic questions: either way, as long as no other tool runs and the reply declines. */
  readonly offTopic: ReadonlyArray<string>;
}

export const loadRoutingQuestions = (): RoutingQuestions => {
  const raw = parseYaml(readFileSync(QUESTIONS, "utf8")) as { questions?: Array<{ q: string }>; holdout?: Array<{ q: string }>; offTopic?: string[] };
  return { kavak: [...(raw.questions ?? []), ...(raw.holdout ?? [])].map((x) => x.q), offTopic: (raw.offTopic ?? []).map(String) };
};

const TOOL_NAMES = ["search_cars", "get_car_details", "calculate_financing", "calculate_affordable_price", "search_knowledge"];
const tools: LanguageModelV4FunctionTool[] = TOOL_NAMES.map((name) => ({ type: "function", name, inputSchema: { type: "object" } }));

/** What the model does first when this is the conversation's first message. */
export const firstAction = (text: string): Action => decide({ prompt: [{ role: "user", content: [{ type: "text", text }] }], tools });

export const toolsOf = (action: Action): string[] => (action.kind === "tools" ? action.calls.map((c) => c.name) : []);

export interface RoutingResult {
  readonly questions: number;
  readonly routed: number;
  readonly rate: number;
  readonly misrouted: ReadonlyArray<{ readonly q: string; readonly did: string }>;
}

export const measureRouting = (questions: ReadonlyArray<string>): RoutingResult => {
  const misrouted: { q: string; did: string }[] = [];
  for (const q of questions) {
    const action = firstAction(q);
    const names = toolsOf(action);
    if (!(names.length === 1 && names[0] === "search_knowledge")) misrouted.push({ q, did: action.kind === "tools" ? names.join(",") : `reply: ${action.text.slice(0, 60)}` });
  }
  const routed = questions.length - misrouted.length;
  return { questions: questions.length, routed, rate: questions.length === 0 ? 1 : Math.round((routed / questions.length) * 10000) / 10000, misrouted };
};
