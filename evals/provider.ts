/**
 * promptfoo provider that plays one whole golden conversation against the real agent and returns
 * its transcript. In-process by default (the app built once per process: offline model unless a
 * model is configured, in-memory PGlite); over the HTTP channel when EVAL_TARGET is a URL.
 * Each turn runs inside the trace promptfoo opened for the test (context.traceparent).
 */
import { ROOT_CONTEXT, TraceFlags, context as otelContext, trace, type Context as OtelContext } from "@opentelemetry/api";
import { Effect, Layer, ManagedRuntime, References } from "effect";
import { randomUUID } from "node:crypto";
import type { ApiProvider, CallApiContextParams, ProviderResponse } from "promptfoo";
import { Agent } from "../core/agent.ts";
import { AppServices, ConfiguredModel, OfflineModel } from "../app/app-layer.ts";
import { AppConfig, appConfig } from "../core/config.ts";
import { AgentModel } from "../core/model.ts";
import { setupTracing, type Tracing } from "../observability/tracing.ts";
import { transcript, type ConversationRun, type TurnRecord } from "./conversation-run.ts";
import { evalTarget, usesConfiguredModel } from "./settings.ts";
import { fromStoredSpan, type SpanView } from "./trace-checks.ts";


interface InProcessApp {
  readonly reply: (conversationId: string, text: string) => Promise<{ reply: { text: string }; toolCalls: TurnRecord["toolCalls"]; traceId: string }>;
  readonly spans: (traceId: string) => SpanView[] | undefined;
  readonly model: string;
  readonly close: () => Promise<void>;
}

const buildInProcessApp = async (): Promise<InProcessApp> => {
  const defaults = await Effect.runPromise(appConfig);
  // Spans go to whichever tracer provider is global: promptfoo's when its tracing is on (then its
  // trace assertions see them), else ours (then we read them back from the in-process store).
  const tracing: Tracing = setupTracing({ serviceName: "kavak-agent-eval", otlpEndpoint: defaults.telemetry.otlpEndpoint });
  const config = { ...defaults, database: { ...defaults.database, url: undefined, pgliteDataDir: "memory://", seedCatalog: true } };
  const model = usesConfiguredModel() ? ConfiguredModel : OfflineModel;
  // The app's startup logs (migrations, seeding, ingestion) would drown promptfoo's output.
  const logLevel = Layer.succeed(References.MinimumLogLevel, process.env.EVAL_LOG_LEVEL === "debug" ? "Debug" : "Warn");
  const runtime = ManagedRuntime.make(
    AppServices.pipe(Layer.provideMerge(model), Layer.provideMerge(AppConfig.fromValues(config)), Layer.provideMerge(logLevel)),
  );
  const { description } = await runtime.runPromise(AgentModel.use((selected) => Effect.succeed(selected)));
  return {
    reply: (conversationId, text) => runtime.runPromise(Agent.use((agent) => agent.reply({ conversationId, text, channel: "eval" }))),
    spans: (traceId) => {
      const spans = tracing.store.getTrace(traceId);
      return spans === undefined || spans.length === 0 ? undefined : spans.map(fromStoredSpan);
    },
    model: description,
    close: async () => {
      await runtime.dispose();
      await tracing.flush();
    },
  };
};

let app: Promise<InProcessApp> | undefined;
const inProcessApp = () => (app ??= buildInProcessApp());

/** The OpenTelemetry context of promptfoo's test span (W3C traceparent), or the root context without one. */
export const parentContext = (traceparent: string | undefined): OtelContext => {
  const parts = traceparent?.trim().match(/^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/);
  if (!parts || /^0+$/.test(parts[2]!) || /^0+$/.test(parts[3]!)) return ROOT_CONTEXT;
  const sampled = (parseInt(parts[4]!, 16) & 1) === 1;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: parts[2]!, spanId: parts[3]!, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true });
};

interface HttpTurn {
  readonly reply: { readonly text: string };
  readonly toolCalls: TurnRecord["toolCalls"];
  readonly traceId: string;
}

const postTurn = async (target: string, conversationId: string, text: string, traceparent: string | undefined): Promise<HttpTurn> => {
  const response = await fetch(`${target}/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(traceparent === undefined ? {} : { traceparent }) },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) throw new Error(`POST messages answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as HttpTurn;
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

/** The user's messages of the conversation, from the test's vars (a JSON array of strings). */
const userTurns = (vars: Record<string, unknown>): string[] => {
  const raw = vars.turns;
  const turns: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
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
    const name = typeof vars.conversation === "string" ? vars.conversation : "conversation";
    const conversationId = `eval-${name}-r${context?.repeatIndex ?? 0}-${randomUUID().slice(0, 8)}`;
    const turns: TurnRecord[] = [];
    const started = Date.now();
    let model = "unknown";
    let spans: ConversationRun["spans"];
    try {
      const texts = userTurns(vars);
      if (this.target === "in-process") {
        const running = await inProcessApp();
        model = running.model;
        const parent = parentContext(context?.traceparent);
        for (const text of texts) {
          const at = Date.now();
          const turn = await otelContext.with(parent, () => running.reply(conversationId, text));
          turns.push({ user: text, reply: turn.reply.text, toolCalls: turn.toolCalls, traceId: turn.traceId, latencyMs: Date.now() - at });
        }
        spans = turns[0] === undefined ? undefined : running.spans(turns[0].traceId);
      } else {
        model = await fetchModel(this.target);
        for (const text of texts) {
          const at = Date.now();
          const turn = await postTurn(this.target, conversationId, text, context?.traceparent);
          turns.push({ user: text, reply: turn.reply.text, toolCalls: turn.toolCalls, traceId: turn.traceId, latencyMs: Date.now() - at });
        }
        // Every turn joined promptfoo's trace, so one trace holds the whole conversation.
        spans = turns[0] === undefined ? undefined : await fetchSpans(this.target, turns[0].traceId);
      }
    } catch (error) {
      const run: ConversationRun = { conversationId, target: this.target, model, turns };
      return { error: `turn ${turns.length + 1} failed: ${error instanceof Error ? error.message : String(error)}`, output: transcript(run), metadata: { run } };
    }
    const run: ConversationRun = { conversationId, target: this.target, model, turns, ...(spans === undefined ? {} : { spans }) };
    return { output: transcript(run), latencyMs: Date.now() - started, metadata: { run } };
  }

  async cleanup(): Promise<void> {
    if (app === undefined) return;
    const running = await app;
    app = undefined;
    await running.close();
  }
}
