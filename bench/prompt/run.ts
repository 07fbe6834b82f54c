/**
 * npm run bench:prompt — how many tokens the live model is sent, turn by turn, in an ordinary
 * 25-turn sale. The REAL agent (memory, compaction, token budget, tools, stores) runs with the model
 * selected through OPENAI_BASE_URL, pointed at a stand-in OpenAI-compatible server started here: it
 * speaks /v1/chat/completions, records every request (messages + tools) and answers with tool calls
 * and texts. Its script is the built-in model's dialogue policy applied to the messages it is sent,
 * so a reference the compacted memory could no longer resolve ("el segundo", "ese", "¿y a 60?")
 * shows up as a wrong tool call or a reply that does not name the car; every turn is checked
 * against what the sale expects. (That policy learns cars only from search and details results, so
 * it is stricter than a live model, which also reads the car in a compacted quote.)
 * Prompt tokens are counted with a real tokenizer (o200k_base): tool definitions + instructions +
 * messages. Results: bench/prompt/results.json.
 * The sale is played twice: as the agent is built now ("after") and as it was before issue 11
 * ("before": earlier results verbatim, no token budget, Zod's full input schemas).
 */
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { ModelMessage } from "ai";
import { Context, Effect, Layer, ManagedRuntime, References } from "effect";
import express from "express";
import { getEncoding } from "js-tiktoken";
import { writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { AppServices, ConfiguredModel } from "../../app/app-layer.ts";
import { Agent } from "../../core/agent.ts";
import { AgentLive } from "../../core/agent-live.ts";
import { AppConfig, appConfig } from "../../core/config.ts";
import { estimateTokens } from "../../core/memory.ts";
import { AgentModel } from "../../core/model.ts";
import { Toolkit } from "../../core/toolkit.ts";
import type { ToolCallRecord } from "../../core/turn.ts";
import { decide } from "../../models/offline/decide.ts";
import { fitMessage } from "../../models/offline/replies/format.ts";
import {
  calculateAffordablePriceInput,
  calculateFinancingInput,
  getCarDetailsInput,
  searchCarsInput,
  searchKnowledgeInput,
  TOOL_NAMES,
  type CalculateFinancingOutput,
  type CarCard,
  type GetCarDetailsOutput,
  type SearchCarsOutput,
} from "../../tools/contracts.ts";

const RESULTS_PATH = fileURLToPath(new URL("./results.json", import.meta.url));
const TARGET = { turn: 20, maxTokens: 2_500 };

// ---------------------------------------------------------------------------------------------
// The conversation: an ordinary sale, with what each turn must call (checked after the run).

interface Played {
  readonly user: string;
  readonly reply: string;
  readonly toolCalls: ReadonlyArray<ToolCallRecord>;
}
interface ExpectedCall {
  readonly name: string;
  /** Arguments that must match exactly (others may differ). */
  readonly args?: Record<string, unknown>;
}
interface Step {
  readonly user: string;
  /** The calls this turn must make, in order; [] = answers without tools. */
  readonly expect: (played: ReadonlyArray<Played>) => ReadonlyArray<ExpectedCall>;
  /** Texts the reply must contain (the car a reference points at, the fact asked about). */
  readonly says?: (played: ReadonlyArray<Played>) => ReadonlyArray<string>;
}

const outputOf = <T>(played: ReadonlyArray<Played>, turn: number, tool: string): T => {
  const call = played[turn - 1]?.toolCalls.find((c) => c.name === tool);
  if (call === undefined) throw new Error(`turn ${turn} made no ${tool} call`);
  return call.output as T;
};
/** The n-th car (1-based) the search of a turn showed. */
const shownCar = (played: ReadonlyArray<Played>, turn: number, n: number): CarCard => {
  const car = outputOf<SearchCarsOutput>(played, turn, "search_cars").cars[n - 1];
  if (car === undefined) throw new Error(`turn ${turn} showed no car ${n}`);
  return car;
};
/** How replies name a car ("Mazda 3 2012", "Kia Rio 2019"). */
const carName = (car: CarCard): string => `${car.model.startsWith(car.make) ? "" : `${car.make} `}${car.model} ${car.year}`;
const detailedCar = (played: ReadonlyArray<Played>, turn: number): number => {
  const out = outputOf<GetCarDetailsOutput>(played, turn, "get_car_details");
  if (!out.found) throw new Error(`turn ${turn}: car not found`);
  return out.car.stockId;
};
const quotedCar = (played: ReadonlyArray<Played>, turn: number): number => {
  const out = outputOf<CalculateFinancingOutput>(played, turn, "calculate_financing");
  if (!out.ok || out.car === null) throw new Error(`turn ${turn}: no quote for a catalog car`);
  return out.car.stockId;
};

const none = () => [];
const knowledge = () => [{ name: "search_knowledge" }];

export const SALE: ReadonlyArray<Step> = [
  { user: "hola", expect: none },
  { user: "busco una camioneta familiar de menos de 400 mil", expect: () => [{ name: "search_cars", args: { maxPrice: 400_000 } }] },
  { user: "el segundo", expect: (p) => [{ name: "get_car_details", args: { stockId: shownCar(p, 2, 2).stockId } }] },
  { user: "¿tiene carplay?", expect: none, says: (p) => [carName(shownCar(p, 2, 2)), "CarPlay"] },
  {
    user: "¿cuánto pagaría con 20% de enganche a 36 meses?",
    expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 3), downPaymentPercent: 20, termMonths: [36] } }],
  },
  { user: "¿y a 48?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 3), downPaymentPercent: 20, termMonths: [48] } }] },
  { user: "¿y a 60?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 3), downPaymentPercent: 20, termMonths: [60] } }] },
  { user: "oye, ¿y qué garantía tienen?", expect: knowledge },
  { user: "ahora busco un mazda 3", expect: () => [{ name: "search_cars", args: { make: "Mazda", model: "Mazda 3" } }] },
  { user: "muéstrame más", expect: () => [{ name: "search_cars", args: { make: "Mazda", model: "Mazda 3", offset: 5 } }] },
  { user: "el 6", expect: (p) => [{ name: "get_car_details", args: { stockId: shownCar(p, 10, 1).stockId } }] },
  { user: "¿cuántos km tiene?", expect: none, says: (p) => [carName(shownCar(p, 10, 1)), "km"] },
  {
    user: "¿cuánto quedaría con 50 mil de enganche a 48 meses?",
    expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 11), downPayment: 50_000, termMonths: [48] } }],
  },
  { user: "¿y a 60?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 11), downPayment: 50_000, termMonths: [60] } }] },
  { user: "¿qué documentos necesito para el crédito?", expect: knowledge },
  { user: "busco sedanes automáticos de menos de 300 mil", expect: () => [{ name: "search_cars", args: { maxPrice: 300_000, transmission: "automatica" } }] },
  { user: "el cuarto", expect: (p) => [{ name: "get_car_details", args: { stockId: shownCar(p, 16, 4).stockId } }] },
  { user: "¿tiene bluetooth?", expect: none, says: (p) => [carName(shownCar(p, 16, 4)), "Bluetooth"] },
  { user: "¿cuánto pagaría con 20% de enganche a 60 meses?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 17), downPaymentPercent: 20, termMonths: [60] } }] },
  { user: "¿y a 72?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 17), downPaymentPercent: 20, termMonths: [72] } }] },
  { user: "¿puedo dejar mi auto a cuenta?", expect: knowledge },
  { user: "va, ¿ese es automático?", expect: none, says: (p) => [carName(shownCar(p, 16, 4)), "automático"] },
  { user: "¿y con 100 mil de enganche?", expect: (p) => [{ name: "calculate_financing", args: { stockId: detailedCar(p, 17), downPayment: 100_000, termMonths: [72] } }] },
  { user: "¿tienen sede en Monterrey?", expect: knowledge },
  { user: "gracias!", expect: none },
];

// ---------------------------------------------------------------------------------------------
// The stand-in OpenAI-compatible server.

interface WireToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}
interface WireMessage {
  readonly role: "system" | "developer" | "user" | "assistant" | "tool";
  readonly content?: string | null | ReadonlyArray<{ readonly type: string; readonly text?: string }>;
  readonly tool_calls?: ReadonlyArray<WireToolCall>;
  readonly tool_call_id?: string;
}
interface WireTool {
  readonly type: "function";
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: unknown };
}
interface ChatRequest {
  readonly model: string;
  readonly messages: ReadonlyArray<WireMessage>;
  readonly tools?: ReadonlyArray<WireTool>;
  readonly stream?: boolean;
}

const textOfWire = (content: WireMessage["content"]): string =>
  typeof content === "string" ? content : (content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");

/** The wire messages back as the AI SDK prompt the built-in policy reads. */
const toPrompt = (messages: ReadonlyArray<WireMessage>): LanguageModelV4Prompt => {
  const names = new Map<string, string>();
  return messages.map((message): LanguageModelV4Prompt[number] => {
    switch (message.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOfWire(message.content) };
      case "user":
        return { role: "user", content: [{ type: "text", text: textOfWire(message.content) }] };
      case "assistant": {
        const text = textOfWire(message.content);
        const calls = (message.tool_calls ?? []).map((call) => {
          names.set(call.id, call.function.name);
          return { type: "tool-call" as const, toolCallId: call.id, toolName: call.function.name, input: call.function.arguments };
        });
        return { role: "assistant", content: [...(text === "" ? [] : [{ type: "text" as const, text }]), ...calls] };
      }
      case "tool":
        return {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: message.tool_call_id!, toolName: names.get(message.tool_call_id!) ?? "", output: { type: "text", value: textOfWire(message.content) } },
          ],
        };
    }
  });
};

const startStandIn = async (current: () => { readonly mode: Mode; readonly turn: number }) => {
  const recorded: Recorded[] = [];
  let ids = 0;
  const app = express();
  app.use(express.json({ limit: "10mb" }));
  app.post("/v1/chat/completions", (req, res) => {
    const body = req.body as ChatRequest;
    recorded.push({ ...current(), body });
    if (body.stream === true) {
      res.status(400).json({ error: { message: "the bench stand-in does not stream" } });
      return;
    }
    const tools = (body.tools ?? []).map((t) => ({ type: "function" as const, name: t.function.name, description: t.function.description, inputSchema: t.function.parameters as never }));
    const action = decide({ prompt: toPrompt(body.messages), tools });
    const message =
      action.kind === "reply"
        ? { role: "assistant", content: fitMessage(action.text) }
        : {
            role: "assistant",
            content: null,
            tool_calls: action.calls.map((c): WireToolCall => ({ id: `call_${++ids}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.input) } })),
          };
    res.json({
      id: `chatcmpl-${recorded.length}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message, finish_reason: action.kind === "reply" ? "stop" : "tool_calls" }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1`, recorded, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

// ---------------------------------------------------------------------------------------------
// Counting tokens (o200k_base, the GPT-4o family's encoding).

const encoding = getEncoding("o200k_base");
const tokens = (text: string): number => encoding.encode(text).length;
/** ChatML framing per message (<|im_start|>role … <|im_end|>), as OpenAI's cookbook counts it. */
const PER_MESSAGE = 3;
/** The reply is primed with <|im_start|>assistant<|message|>. */
const PRIMING = 3;

const messageTokens = (message: WireMessage): number => {
  const content = textOfWire(message.content);
  const calls = message.tool_calls === undefined ? "" : JSON.stringify(message.tool_calls.map((c) => c.function));
  return PER_MESSAGE + tokens(message.role) + tokens(content) + (calls === "" ? 0 : tokens(calls));
};

interface Breakdown {
  readonly total: number;
  readonly tools: number;
  readonly instructions: number;
  /** Earlier turns, as memory hands them to the model. */
  readonly memory: number;
  /** This turn: the user's message and this turn's tool calls and results. */
  readonly currentTurn: number;
  /** What core/memory.ts estimates the memory part at (it budgets with this estimate). */
  readonly memoryEstimate: number;
}

const breakdown = (body: ChatRequest): Breakdown => {
  const tools = body.tools === undefined || body.tools.length === 0 ? 0 : tokens(JSON.stringify(body.tools));
  const lastUser = body.messages.map((m) => m.role).lastIndexOf("user");
  let instructions = 0;
  let memory = 0;
  let currentTurn = PRIMING;
  body.messages.forEach((message, i) => {
    const n = messageTokens(message);
    if (message.role === "system" || message.role === "developer") instructions += n;
    else if (i < lastUser) memory += n;
    else currentTurn += n;
  });
  const firstTurn = body.messages.findIndex((m) => m.role === "user");
  const memoryEstimate = firstTurn === -1 || firstTurn >= lastUser ? 0 : estimateTokens(toPrompt(body.messages.slice(firstTurn, lastUser)) as unknown as ModelMessage[]);
  return { total: tools + instructions + memory + currentTurn, tools, instructions, memory, currentTurn, memoryEstimate };
};

// ---------------------------------------------------------------------------------------------
// The run.

type Mode = "before" | "after";
interface Recorded {
  readonly mode: Mode;
  readonly turn: number;
  readonly body: ChatRequest;
}
let playing: { mode: Mode; turn: number } = { mode: "after", turn: 0 };
const standIn = await startStandIn(() => playing);
process.env.OPENAI_BASE_URL = standIn.url;
process.env.OPENAI_MODEL = "bench-stand-in";
const defaults = await Effect.runPromise(appConfig);
const config = { ...defaults, database: { ...defaults.database, url: undefined, pgliteDataDir: "memory://", seedCatalog: true } };
const logLevel = Layer.succeed(References.MinimumLogLevel, "Warn");
const runtime = ManagedRuntime.make(AppServices.pipe(Layer.provideMerge(ConfiguredModel), Layer.provideMerge(AppConfig.fromValues(config)), Layer.provideMerge(logLevel)));

/** The tools' input schemas as Zod writes them (what the model was sent before tools/model-schema.ts). */
const ZOD_INPUTS: Record<string, unknown> = {
  [TOOL_NAMES.searchCars]: searchCarsInput,
  [TOOL_NAMES.getCarDetails]: getCarDetailsInput,
  [TOOL_NAMES.calculateFinancing]: calculateFinancingInput,
  [TOOL_NAMES.calculateAffordablePrice]: calculateAffordablePriceInput,
  [TOOL_NAMES.searchKnowledge]: searchKnowledgeInput,
};

/**
 * Plays the sale through the agent as the application builds it ("after"), or as it was before
 * the token budget ("before": earlier results verbatim, no budget, Zod's full input schemas).
 */
const play = (mode: Mode) =>
  runtime.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const selected = yield* AgentModel;
        if (selected.kind !== "openai-compatible") throw new Error(`expected the OPENAI_BASE_URL model, got ${selected.description}`);
        const toolkit = yield* Toolkit;
        const appConfig = yield* AppConfig;
        const before = {
          ...toolkit,
          tools: Object.fromEntries(Object.entries(toolkit.tools).map(([name, t]) => [name, { ...t, inputSchema: ZOD_INPUTS[name] ?? t.inputSchema }])) as typeof toolkit.tools,
          compactForMemory: (_name: string, output: unknown) => output,
        };
        const agentContext = yield* Layer.build(Layer.fresh(AgentLive)).pipe(
          Effect.provideService(Toolkit, mode === "before" ? before : toolkit),
          Effect.provideService(AppConfig, mode === "before" ? { ...appConfig, model: { ...appConfig.model, memoryTokens: Number.POSITIVE_INFINITY } } : appConfig),
        );
        const agent = Context.get(agentContext, Agent);
        const turns: Played[] = [];
        for (const [i, step] of SALE.entries()) {
          playing = { mode, turn: i + 1 };
          const result = yield* agent.reply({ conversationId: `bench-prompt-${mode}`, text: step.user, channel: "bench" });
          turns.push({ user: step.user, reply: result.reply.text, toolCalls: result.toolCalls });
        }
        return turns;
      }),
    ),
  );

const playedBefore = await play("before");
const played = await play("after");
await runtime.dispose();
await standIn.close();

// Every turn did what an ordinary sale needs.
const subset = (args: Record<string, unknown>, input: unknown): boolean =>
  Object.entries(args).every(([key, value]) => JSON.stringify((input as Record<string, unknown>)[key]) === JSON.stringify(value));
const check = (turns: ReadonlyArray<Played>): string[] => {
  const failures: string[] = [];
  SALE.forEach((step, i) => {
    let expected: ReadonlyArray<ExpectedCall>;
    try {
      expected = step.expect(turns);
    } catch (error) {
      failures.push(`turn ${i + 1} "${step.user}": ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const missing = (step.says?.(turns) ?? []).filter((text) => !turns[i]!.reply.includes(text));
    if (missing.length > 0) failures.push(`turn ${i + 1} "${step.user}": the reply does not say ${JSON.stringify(missing)}`);
    const calls = turns[i]!.toolCalls;
    const ok = calls.length === expected.length && expected.every((e, j) => calls[j]!.name === e.name && (e.args === undefined || subset(e.args, calls[j]!.input)));
    if (!ok) failures.push(`turn ${i + 1} "${step.user}": expected ${JSON.stringify(expected)}, called ${JSON.stringify(calls.map((c) => ({ name: c.name, args: c.input })))}`);
  });
  return failures;
};
const failures = check(played);
const failuresBefore = check(playedBefore);

const perTurnOf = (mode: Mode, turns: ReadonlyArray<Played>) =>
  SALE.map((step, i) => {
    const requests = standIn.recorded.filter((r) => r.mode === mode && r.turn === i + 1).map((r) => breakdown(r.body));
    const largest = requests.reduce((a, b) => (b.total > a.total ? b : a));
    return {
      turn: i + 1,
      user: step.user,
      tools: turns[i]!.toolCalls.map((c) => c.name),
      requests: requests.length,
      /** The prompt the turn starts with (memory + the user's message). */
      first: requests[0]!.total,
      /** The largest request of the turn (after this turn's tool results): the figure that counts. */
      max: largest.total,
      breakdown: largest,
    };
  });
const perTurn = perTurnOf("after", played);
const perTurnBefore = perTurnOf("before", playedBefore);
const summaryOf = (rows: typeof perTurn) => Object.fromEntries([1, 10, 20, 25].map((n) => [`turn${n}`, rows[n - 1]!.max]));

const atTarget = perTurn[TARGET.turn - 1]!;
const fromTarget = perTurn.slice(TARGET.turn - 1);
const results = {
  date: new Date().toISOString(),
  memory: `earlier turns' tool results compacted (tools/compact.ts), oldest turns dropped to a budget of ${config.model.memoryTokens} estimated tokens (AGENT_MEMORY_TOKENS)`,
  model: "stand-in OpenAI-compatible server selected by OPENAI_BASE_URL; its replies come from the built-in dialogue policy reading the messages it is sent",
  tokenizer: "js-tiktoken o200k_base: tools = JSON of the request's tool definitions; instructions and messages = content (+ tool calls as JSON) + 3 per message; +3 reply priming",
  figure: "per turn, the largest request of the turn (after its tool results); `first` is the request the turn starts with",
  turns: perTurn.length,
  referencesResolved: failures.length === 0,
  failures,
  target: { turn: TARGET.turn, maxTokens: TARGET.maxTokens, tokens: atTarget.max, met: atTarget.max <= TARGET.maxTokens },
  fromTurn20: {
    /** Memory is what the budget bounds: flat. */
    memoryMax: Math.max(...fromTarget.map((t) => t.breakdown.memory)),
    max: Math.max(...fromTarget.map((t) => t.max)),
    note: "a turn's total also holds its own tool results, which no memory budget reduces: a search with facets is about 640 tokens, a long Kavak answer 300-470",
  },
  summary: summaryOf(perTurn),
  before: {
    memory: "before issue 11: earlier results verbatim, no budget (the 60-message window only), Zod's full input schemas",
    referencesResolved: failuresBefore.length === 0,
    summary: summaryOf(perTurnBefore),
    perTurn: perTurnBefore.map((t) => ({ turn: t.turn, first: t.first, max: t.max, tools: t.breakdown.tools, instructions: t.breakdown.instructions, memory: t.breakdown.memory })),
  },
  perTurn,
};

writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
const row = (t: (typeof perTurn)[number], b: (typeof perTurn)[number]) =>
  `${String(t.turn).padStart(2)}  before ${String(b.max).padStart(5)}  after ${String(t.max).padStart(5)} (first ${String(t.first).padStart(5)}; memory ${String(t.breakdown.memory).padStart(4)}, estimated ${String(t.breakdown.memoryEstimate).padStart(4)}; this turn ${String(t.breakdown.currentTurn).padStart(3)})  [${t.tools.join(",")}] ${t.user}`;
console.log(perTurn.map((t, i) => row(t, perTurnBefore[i]!)).join("\n"));
console.log(JSON.stringify({ target: results.target, fromTurn20: results.fromTurn20, summary: results.summary, before: results.before.summary, tools: atTarget.breakdown.tools, instructions: atTarget.breakdown.instructions, failures, failuresBefore }, null, 2));
if (process.env.BENCH_VERBOSE === "1") for (const t of played) console.log(`\n👤 ${t.user}\n🔧 ${t.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.input)})`).join(" · ")}\n🤖 ${t.reply}`);
console.log(`\nbench/prompt/results.json written: turn ${TARGET.turn} = ${atTarget.max} tokens (${results.target.met ? "meets" : "MISSES"} ≤ ${TARGET.maxTokens}); references ${failures.length === 0 ? "resolved" : "NOT resolved"}`);
process.exit(failures.length === 0 && results.target.met ? 0 : 1);
