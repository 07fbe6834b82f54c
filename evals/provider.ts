/**
 * promptfoo provider of the release gate. A test is either
 *   - a golden conversation, played turn by turn through its channel (the agent in process, the
 *     HTTP API, the WhatsApp webhook or the web widget's stream) with its faults armed, and every
 *     quote id a tool returned read back from the server; or
 *   - a tool-level case: one tool of the registry called directly, its input checked by the
 *     tool's own schema first, as the AI SDK would.
 * In-process by default (app/app-under-test.ts: the product's composition on a local server);
 * over HTTP against a running server when EVAL_TARGET is a URL (conversations on the HTTP API
 * only). Each test runs inside the trace promptfoo opened for it (context.traceparent).
 */
import { asSchema } from "ai";
import { ROOT_CONTEXT, SpanStatusCode, context as otelContext, trace } from "@opentelemetry/api";
import { randomUUID } from "node:crypto";
import type { ApiProvider, CallApiContextParams, ProviderResponse } from "promptfoo";
import { startAppUnderTest, type AppUnderTest } from "./app/app-under-test.ts";
import { CONTRACT_CASES, playContractCase } from "./channel-contract.ts";
import { renderPhoto, type PhotoSpec } from "./app/photos.ts";
import { agentTurn, httpTurn, newWebClientId, newWhatsAppNumber, webTurn, whatsappTurn, type ChannelTurn } from "./app/channel-clients.ts";
import type { FaultSpec } from "./app/faults.ts";
import type { ChannelTarget } from "./conversation-spec.ts";
import { transcript, type ConversationRun, type TurnRecord } from "./conversation-run.ts";
import { evalTarget, usesConfiguredModel } from "./settings.ts";
import { quotesIn, readQuotes } from "./stored-checks.ts";
import { agreedContracts, contractDiff, registryContracts, type ToolCaseRun, type ToolCaseSpec } from "./tool-cases.ts";
import { checkWording, checkWordingFile, toolTexts } from "./wording.ts";
import { newTraceparent, parentContext, traceIdOf } from "./trace-context.ts";
import { fromStoredSpan, TOOL_RESULT_ATTRIBUTE, toolSpanName, type SpanView } from "./trace-checks.ts";

let app: Promise<AppUnderTest> | undefined;
/**
 * Built once per process, outside any test's trace context: fibers the app forks at start (the
 * WhatsApp reply workers) would otherwise put every later job's spans into that first test's trace.
 */
export const appUnderTest = () => (app ??= otelContext.with(ROOT_CONTEXT, () => startAppUnderTest({ configuredModel: usesConfiguredModel() })));

/** Spans of these traces from our own store (it sees every span, app-under-test.ts), or undefined when it has none. */
const ownSpans = (running: AppUnderTest, traceIds: ReadonlyArray<string | undefined>): SpanView[] | undefined => {
  const spans = [...new Set(traceIds.filter((id): id is string => id !== undefined && id !== ""))].flatMap((id) => running.tracing.store.getTrace(id) ?? []);
  return spans.length === 0 ? undefined : spans.map(fromStoredSpan);
};

const fetchSpans = async (target: string, traceId: string): Promise<SpanView[] | undefined> => {
  const response = await fetch(`${target}/v1/traces/${traceId}`);
  if (!response.ok) return undefined;
  const body = (await response.json()) as { spans: Parameters<typeof fromStoredSpan>[0][] };
  return body.spans.map(fromStoredSpan);
};

const fetchModel = async (target: string): Promise<string> => {
  const response = await fetch(`${target}/health`).catch(() => undefined);
  const body = response?.ok ? ((await response.json()) as { dependencies?: { model?: { detail?: string } } }) : undefined;
  return body?.dependencies?.model?.detail ?? "unknown";
};

const jsonVar = <A>(vars: Record<string, unknown>, key: string, fallback: A): A => {
  const raw = vars[key];
  if (raw === undefined || raw === "") return fallback;
  return (typeof raw === "string" ? JSON.parse(raw) : raw) as A;
};

/** The user's messages of the conversation, from the test's vars (a JSON array of strings). */
const userTurns = (vars: Record<string, unknown>): string[] => {
  const turns = jsonVar<unknown>(vars, "turns", undefined);
  if (!Array.isArray(turns) || turns.some((t) => typeof t !== "string")) throw new Error('vars.turns must be a JSON array of the user\'s messages, e.g. ["hola"]');
  return turns as string[];
};

export default class GoldenConversationProvider implements ApiProvider {
  private readonly target = evalTarget();

  id(): string {
    return this.target === "in-process" ? "kavak-agent:in-process" : `kavak-agent:${this.target}`;
  }

  async callApi(_prompt: string, context?: CallApiContextParams): Promise<ProviderResponse> {
    const vars = (context?.vars ?? {}) as Record<string, unknown>;
    if (vars.kind === "wording") return this.wording(vars);
    if (vars.kind === "contract") {
      const spec = CONTRACT_CASES.find((c) => c.id === vars.contract);
      if (spec === undefined) return { error: `no contract case ${String(vars.contract)}` };
      if (this.target !== "in-process") return { error: "channel contract cases run in process only" };
      const result = await playContractCase((await appUnderTest()).url, spec);
      return { output: `${spec.method} ${spec.id} → ${result.status}${result.problems.length ? `\n${result.problems.join("\n")}` : ""}`, metadata: { contract: result } };
    }
    return vars.kind === "tool" ? this.toolCase(vars, context) : this.conversation(vars, context);
  }

  private async conversation(vars: Record<string, unknown>, context: CallApiContextParams | undefined): Promise<ProviderResponse> {
    const name = typeof vars.conversation === "string" ? vars.conversation : "conversation";
    const channel = (typeof vars.channel === "string" ? vars.channel : "agent") as ChannelTarget;
    const faults = jsonVar<FaultSpec[]>(vars, "faults", []);
    const traceparent = context?.traceparent ?? newTraceparent();
    const turns: TurnRecord[] = [];
    const started = Date.now();
    let model = "unknown";
    let conversationId = `eval-${name.replace(/[^A-Za-z0-9_.:-]/g, ".")}-r${context?.repeatIndex ?? 0}-${randomUUID().slice(0, 8)}`.slice(-128);
    let run: ConversationRun | undefined;
    try {
      const texts = userTurns(vars);
      const media = jsonVar<string[][]>(vars, "media", []);
      const photos = await Promise.all(jsonVar<Array<PhotoSpec | null>>(vars, "photos", []).map((spec) => (spec === null ? undefined : renderPhoto(spec))));
      if (this.target !== "in-process") {
        if (channel !== "agent" && channel !== "http") throw new Error(`channel ${channel} is only played in process (EVAL_TARGET plays the HTTP API)`);
        if (faults.length > 0) throw new Error("faults are only injected in process");
        model = await fetchModel(this.target);
        for (const text of texts) {
          const at = Date.now();
          const turn = await httpTurn(this.target, conversationId, text, traceparent, undefined, photos[turns.length]);
          turns.push({ user: text, ...turn, latencyMs: Date.now() - at });
        }
        const calls = turns.flatMap((t) => t.toolCalls);
        // Every turn joined promptfoo's trace, so one trace holds the whole conversation.
        const spans = turns[0] === undefined ? undefined : await fetchSpans(this.target, turns[0].traceId);
        run = { conversationId, target: this.target, channel: "http", model, turns, ...(spans ? { spans } : {}), storedQuotes: await readQuotes(this.target, quotesIn(calls).map((q) => q.id)) };
      } else {
        const running = await appUnderTest();
        model = running.model;
        const token = channel === "whatsapp" ? newWhatsAppNumber() : channel === "web" ? newWebClientId() : conversationId;
        if (channel === "whatsapp") conversationId = `wa:${token}`;
        if (channel === "web") conversationId = `web:${token}`;
        running.faults.arm(token, faults);
        const traceIds: string[] = [];
        try {
          for (const [i, text] of texts.entries()) {
            const at = Date.now();
            running.faults.setTurn(token, i + 1);
            const photo = photos[i];
            const turn: ChannelTurn =
              channel === "http"
                ? await httpTurn(running.url, token, text, traceparent, running, photo)
                : channel === "whatsapp"
                  ? await whatsappTurn(running, token, text, media[i] ?? [], photo)
                  : channel === "web"
                    ? await webTurn(running, token, text, traceparent, photo)
                    : await agentTurn(running, token, text, traceparent, photo);
            turns.push({ user: text, ...turn, latencyMs: Date.now() - at });
          }
          traceIds.push(...running.turns.tracesOf(token));
        } finally {
          const fired = running.faults.disarm(token);
          for (const [i, turn] of turns.entries()) {
            const here = fired.filter((f) => f.turn === i + 1);
            if (here.length > 0) turns[i] = { ...turn, faultsFired: here };
          }
          running.turns.forget(token);
        }
        const calls = turns.flatMap((t) => t.toolCalls);
        const spans = ownSpans(running, [traceIdOf(traceparent), ...traceIds, ...turns.map((t) => t.traceId)]);
        run = { conversationId, target: this.target, channel, model, turns, ...(spans ? { spans } : {}), storedQuotes: await readQuotes(running.url, quotesIn(calls).map((q) => q.id)) };
      }
    } catch (error) {
      const failed: ConversationRun = { conversationId, target: this.target, channel, model, turns };
      return { error: `turn ${turns.length + 1} failed: ${error instanceof Error ? error.message : String(error)}`, output: transcript(failed), metadata: { run: failed } };
    }
    return { output: transcript(run), latencyMs: Date.now() - started, metadata: { run } };
  }

  private async toolCase(vars: Record<string, unknown>, context: CallApiContextParams | undefined): Promise<ProviderResponse> {
    const spec = jsonVar<ToolCaseSpec | undefined>(vars, "toolCase", undefined);
    if (spec === undefined) return { error: "vars.toolCase is missing" };
    if (this.target !== "in-process") return { error: "tool-level cases run in process only" };
    const running = await appUnderTest();
    const tool = running.toolkit.tools[spec.tool];
    if (tool === undefined) return { error: `the registry has no tool ${spec.tool}` };
    const traceparent = context?.traceparent ?? newTraceparent();
    const validated = await asSchema(tool.inputSchema).validate?.(spec.input);
    let toolRun: ToolCaseRun;
    if (validated !== undefined && !validated.success) {
      toolRun = { tool: spec.tool, input: spec.input, schema: "reject", schemaError: String(validated.error).slice(0, 200) };
    } else {
      const input = validated?.success ? validated.value : spec.input;
      // The span the AI SDK opens around a tool call, so the tool's own spans are checked alike.
      const tracer = trace.getTracer("kavak-eval");
      toolRun = await otelContext.with(parentContext(traceparent), () =>
        tracer.startActiveSpan(toolSpanName(spec.tool), { attributes: { "gen_ai.tool.name": spec.tool, "gen_ai.tool.call.arguments": JSON.stringify(input) } }, async (span) => {
          running.faults.armTrace(span.spanContext().traceId, spec.faults);
          try {
            const output: unknown = await tool.execute!(input, {
              toolCallId: `eval-${spec.id}`,
              messages: [],
              context: running.toolkit.contextFor({ conversationId: `eval-tool-${spec.id}`, channel: "eval" })[spec.tool],
            } as never);
            span.setAttribute(TOOL_RESULT_ATTRIBUTE, JSON.stringify(output));
            return { tool: spec.tool, input, schema: "accept" as const, output };
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
            return { tool: spec.tool, input, schema: "accept" as const, thrown: error instanceof Error ? error.message : String(error) };
          } finally {
            running.faults.disarmTrace(span.spanContext().traceId);
            span.end();
          }
        }),
      );
    }
    const calls = toolRun.output === undefined ? [] : [{ name: spec.tool, output: toolRun.output }];
    const storedQuotes = await readQuotes(running.url, quotesIn(calls).map((q) => q.id));
    const spans = ownSpans(running, [traceIdOf(traceparent)]);
    const output = `🔧 ${spec.tool}(${JSON.stringify(spec.input)})\n→ ${toolRun.schema === "reject" ? `schema refused: ${toolRun.schemaError}` : JSON.stringify(toolRun.output ?? toolRun.thrown).slice(0, 1500)}`;
    return { output, metadata: { toolRun, storedQuotes, ...(spans ? { spans } : {}) } };
  }

  /** The wording of a source file, or of a tool as the model reads it (its description and schema). */
  private async wording(vars: Record<string, unknown>): Promise<ProviderResponse> {
    let problems: string[];
    let subject: string;
    if (typeof vars.tool === "string") {
      const contract = (await registryContracts()).find((c) => c.name === vars.tool);
      if (contract === undefined) return { error: `the registry has no tool ${vars.tool}` };
      subject = `tool ${contract.name}`;
      const agreed = agreedContracts().find((c) => c.name === vars.tool);
      problems = [
        ...(agreed === undefined
          ? [`${contract.name} is not in evals/tool-contracts.json: run npm run eval:snapshot and review`]
          : JSON.stringify(agreed) === JSON.stringify(contract)
            ? []
            : [`${contract.name}'s description or input schema differs from evals/tool-contracts.json (the agreed contract): ${contractDiff(agreed, contract)}`]),
        ...toolTexts(contract.description, contract.schema).flatMap((text) => checkWording(text).map((p) => `${p}: ${JSON.stringify(text.slice(0, 100))}`)),
      ];
    } else {
      subject = String(vars.file);
      problems = checkWordingFile(subject);
    }
    return { output: problems.length === 0 ? `${subject}: ok` : problems.join("\n"), metadata: { wording: problems } };
  }

  async cleanup(): Promise<void> {
    if (app === undefined) return;
    const running = await app;
    app = undefined;
    await running.close();
  }
}
