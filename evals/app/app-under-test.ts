/**
 * The application the release gate plays against, in process: the product's own composition
 * (app/app-layer.ts AppServices, unchanged) behind the product's own HTTP server (app/server.ts
 * createApp: the HTTP API, the WhatsApp webhook and the web widget), on a free local port.
 *
 * The eval sees inside it without touching product code, through the layer memo map: every
 * service a layer builds passes through `decorate`, which wraps
 *   - Agent: records each turn's result per conversation (what the agent answered, whatever
 *     the channel then delivered), and counts turns for fault injection;
 *   - CatalogSearch, KnowledgeSearch, CarStore, QuoteStore, ConversationStore: fail or time out
 *     when a fault is armed for the calling conversation (faults.ts);
 * and the model is wrapped the same way. With no fault armed the wrappers only pass calls on.
 *
 * WhatsApp replies sent through Twilio's REST API land in a local stand-in (twilio-stand-in.ts).
 */
import type { LanguageModelV4, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { ROOT_CONTEXT, context as otelContext, trace } from "@opentelemetry/api";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Cause, Context, Effect, Exit, Layer, ManagedRuntime, Redacted, References } from "effect";
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppServices, ConfiguredModel, OfflineModel } from "../../app/app-layer.ts";
import { createApp, type AppRuntime } from "../../app/server.ts";
import { Agent, type AgentShape } from "../../core/agent.ts";
import { AppConfig, appConfig, type AppConfigShape } from "../../core/config.ts";
import { AgentModel } from "../../core/model.ts";
import { Toolkit, type ToolkitShape } from "../../core/toolkit.ts";
import type { AgentError, TurnInput, TurnResult } from "../../core/turn.ts";
import { CarStore, type CarStoreShape } from "../../knowledge/catalog/car-store.ts";
import { CatalogSearch, CatalogSearchError, type CatalogSearchShape } from "../../knowledge/catalog/search/catalog-search.ts";
import { ConversationStore, type ConversationStoreShape } from "../../knowledge/conversations/conversation-store.ts";
import { DatabaseError } from "../../knowledge/db/database.ts";
import { QuoteStore, type QuoteStoreShape } from "../../knowledge/financing/quote-store.ts";
import { FinesRegistry, FinesRegistryError, type FinesRegistryShape } from "../../knowledge/fines/registry.ts";
import { KnowledgeSearch, KnowledgeSearchError, type KnowledgeSearchShape } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { ContentPolicyProcessor } from "../../observability/content-policy.ts";
import { setupTracing } from "../../observability/tracing.ts";
import { parentContext } from "../trace-context.ts";
import { FaultRegistry, injectedMessage, TIMEOUT_FAULT_MS, type FaultService, type FaultSpec } from "./faults.ts";
import { startTwilioStandIn, type TwilioStandIn } from "./twilio-stand-in.ts";

/** "Now" for appointments in the gate (a Tuesday): golden conversations book relative to it. */
export const EVAL_NOW = "2026-03-10T10:00:00-06:00";
// Appointments are read against this fixed clock, so "mañana a las 11" is always the same day in the
// golden conversations (knowledge/appointments/settings.ts). Set at import: Effect's environment
// config provider may read the environment once, before the app starts.
process.env.APPOINTMENTS_FIXED_NOW ??= EVAL_NOW;
// The gate plays many conversations at once on a small machine: a fines check answers within its
// turn (not "pending") however loaded the machine is, so a golden conversation's reply does not
// depend on load. The asynchronous path has its own tests (workers/fines/fines-worker.test.ts).
process.env.FINES_INLINE_WAIT_MS ??= "20000";

/** Twilio settings of the eval's server: signatures are checked against PUBLIC_BASE_URL. */
export const WHATSAPP = {
  authToken: "evalsecret0123456789abcdef012345",
  accountSid: `AC${"e".repeat(32)}`,
  from: "whatsapp:+14155238886",
  publicBaseUrl: "https://kavak-eval.example.test",
} as const;

// ---------------------------------------------------------------- recorded turns

/** One call of the agent (a channel may call it more than once for one message: retries). */
export interface RecordedTurn {
  readonly conversationId: string;
  readonly startedAt: number;
  /** What the channel handed the agent. */
  readonly text: string;
  readonly attachments: number;
  readonly result: TurnResult | undefined;
  readonly error: AgentError | undefined;
  /** A defect (not an AgentError): the channel's problem to answer. */
  readonly defect: unknown;
}

/** Every agent call, by conversation id (the id as the channel encoded it). */
export class TurnRecorder {
  private readonly done: RecordedTurn[] = [];
  private readonly waiters = new Set<() => void>();
  /** Trace ids of every turn that began (read from its first store call), failed ones included. */
  private readonly traces = new Map<string, Set<string>>();

  noteTrace(conversationId: string, traceId: string | undefined): void {
    if (traceId === undefined) return;
    this.traces.set(conversationId, (this.traces.get(conversationId) ?? new Set()).add(traceId));
  }

  /** Every trace a turn of the conversation containing `token` ran in. */
  tracesOf(token: string): string[] {
    return [...this.traces].filter(([id]) => id.includes(token)).flatMap(([, ids]) => [...ids]);
  }

  begin(input: TurnInput): (outcome: Pick<RecordedTurn, "result" | "error" | "defect">) => void {
    const startedAt = Date.now();
    const { conversationId, text } = input;
    const attachments = input.attachments?.length ?? 0;
    return (outcome) => {
      this.done.push({ conversationId, startedAt, text, attachments, ...outcome });
      for (const wake of [...this.waiters]) wake();
    };
  }

  /** The finished agent calls of the conversation whose id contains `token`, started at or after `since`. */
  calls(token: string, since = 0): ReadonlyArray<RecordedTurn> {
    return this.done.filter((t) => t.conversationId.includes(token) && t.startedAt >= since);
  }

  /** Resolves when `ready` holds (checked on every finished call and every `pollMs`), or after `timeoutMs`. */
  waitUntil(ready: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        if (ready()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const poll = setInterval(check, pollMs);
      this.waiters.add(check);
    });
  }

  forget(token: string): void {
    for (const id of [...this.traces.keys()]) if (id.includes(token)) this.traces.delete(id);
    for (let i = this.done.length - 1; i >= 0; i--) if (this.done[i]!.conversationId.includes(token)) this.done.splice(i, 1);
  }
}

// ---------------------------------------------------------------- service wrappers

/** The calling turn's trace: the Effect span's, else the OpenTelemetry span the call runs under (a tool's Effect runs under its execute_tool span). */
const currentTraceId = Effect.option(Effect.currentSpan).pipe(Effect.map((span) => (span._tag === "Some" ? span.value.traceId : trace.getActiveSpan()?.spanContext().traceId)));

/** Runs `call` unless a fault is armed for this service in the calling turn: then fails (after a hang for timeouts). */
const guarded = <A, E, R>(
  faults: FaultRegistry,
  service: FaultService,
  failure: (fault: FaultSpec) => E,
  call: Effect.Effect<A, E, R>,
  conversationId?: string,
): Effect.Effect<A, E, R> =>
  Effect.flatMap(currentTraceId, (traceId) => {
    const fault = faults.faultFor(service, { traceId, conversationId });
    if (fault === undefined || fault.mode === "reply") return call;
    const fail = Effect.fail(failure(fault));
    return fault.mode === "timeout" ? Effect.andThen(Effect.sleep(TIMEOUT_FAULT_MS), fail) : fail;
  });

const databaseFault = (operation: string, service: FaultService) => (fault: FaultSpec) =>
  new DatabaseError({ operation, cause: new Error(injectedMessage(service, fault.mode)) });

const wrapped = new WeakSet<object>();
const mark = <A extends object>(value: A): A => {
  wrapped.add(value);
  return value;
};

const wrapCatalogSearch = (faults: FaultRegistry, inner: CatalogSearchShape) =>
  mark(
    CatalogSearch.of({
      ...inner,
      search: (query) =>
        guarded(faults, "catalog_search", (f) => new CatalogSearchError({ engine: "embedded", operation: "search", message: injectedMessage("catalog_search", f.mode) }), inner.search(query)),
    }),
  );

const wrapKnowledgeSearch = (faults: FaultRegistry, inner: KnowledgeSearchShape) =>
  mark(
    KnowledgeSearch.of({
      ...inner,
      search: (query, limit) => guarded(faults, "knowledge_search", (f) => new KnowledgeSearchError({ cause: new Error(injectedMessage("knowledge_search", f.mode)) }), inner.search(query, limit)),
      searchDetailed: (query, limit) =>
        guarded(faults, "knowledge_search", (f) => new KnowledgeSearchError({ cause: new Error(injectedMessage("knowledge_search", f.mode)) }), inner.searchDetailed(query, limit)),
    }),
  );

const wrapCarStore = (faults: FaultRegistry, inner: CarStoreShape) =>
  mark(
    CarStore.of({
      ...inner,
      get: (stockId) => guarded(faults, "car_store", databaseFault("cars.get", "car_store"), inner.get(stockId)),
      all: () => guarded(faults, "car_store", databaseFault("cars.all", "car_store"), inner.all()),
    }),
  );

const wrapQuoteStore = (faults: FaultRegistry, inner: QuoteStoreShape) =>
  mark(
    QuoteStore.of({
      ...inner,
      save: (quote) => guarded(faults, "quote_store", databaseFault("financing_quotes.save", "quote_store"), inner.save(quote)),
      get: (id) => guarded(faults, "quote_store", databaseFault("financing_quotes.get", "quote_store"), inner.get(id)),
    }),
  );

const wrapConversationStore = (faults: FaultRegistry, recorder: TurnRecorder, inner: ConversationStoreShape) =>
  mark(
    ConversationStore.of({
      ...inner,
      // The first call of every turn: it ties the turn's trace to its conversation.
      recentContent: (conversationId, limit) =>
        Effect.flatMap(currentTraceId, (traceId) => {
          faults.bindTrace(traceId, conversationId);
          recorder.noteTrace(conversationId, traceId);
          return guarded(faults, "conversation_store", databaseFault("messages.recent", "conversation_store"), inner.recentContent(conversationId, limit), conversationId);
        }),
      append: (conversationId, channel, messages, options) =>
        guarded(faults, "conversation_store", databaseFault("messages.append", "conversation_store"), inner.append(conversationId, channel, messages, options), conversationId),
    }),
  );

/** The fines registry (its lookups run in the fines worker, inside the trace of the turn that started the check). */
const wrapFinesRegistry = (faults: FaultRegistry, inner: FinesRegistryShape) =>
  mark(
    FinesRegistry.of({
      ...inner,
      lookup: (plate) =>
        guarded(faults, "fines_registry", (f) => new FinesRegistryError({ reason: f.mode === "timeout" ? "timeout" : "unavailable", message: injectedMessage("fines_registry", f.mode) }), inner.lookup(plate)),
    }),
  );

const wrapAgent = (recorder: TurnRecorder, inner: AgentShape): AgentShape => {
  const track = <A>(input: TurnInput, turn: Effect.Effect<A, AgentError>, resultOf: (a: A) => Effect.Effect<TurnResult, AgentError> | TurnResult) =>
    Effect.suspend(() => {
      const finish = recorder.begin(input);
      const settle = (exit: Exit.Exit<TurnResult, AgentError>) =>
        Effect.sync(() => {
          if (Exit.isSuccess(exit)) finish({ result: exit.value, error: undefined, defect: undefined });
          else {
            const error = Cause.findErrorOption(exit.cause);
            finish({ result: undefined, error: error._tag === "Some" ? error.value : undefined, defect: error._tag === "Some" ? undefined : Cause.squash(exit.cause) });
          }
        });
      return turn.pipe(
        Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : settle(exit as Exit.Exit<never, AgentError>))),
        Effect.tap((value) => {
          const result = resultOf(value);
          // A streamed turn completes later: follow it without holding the stream back.
          return Effect.isEffect(result) ? Effect.forkDetach(Effect.exit(result).pipe(Effect.flatMap(settle))) : settle(Exit.succeed(result));
        }),
      );
    });
  return mark(
    Agent.of({
      ...inner,
      reply: (input) => track(input, inner.reply(input), (result) => result),
      stream: (input) => track(input, inner.stream(input), (streamed) => streamed.result),
    }),
  );
};

/** What a scripted model reply (a fault of mode "reply") answers. */
const scriptedText = (fault: FaultSpec): string => (fault.text ?? "").repeat(fault.repeat ?? 1);

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } };

/** The model, failing, timing out or answering a scripted text when a fault is armed for the calling turn (found by its trace). */
const wrapModel = (faults: FaultRegistry, inner: LanguageModelV4): LanguageModelV4 => {
  const inject = async (signal: AbortSignal | undefined): Promise<FaultSpec | undefined> => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const fault = faults.faultFor("model", { traceId });
    if (fault === undefined || fault.mode === "reply") return fault;
    if (fault.mode === "timeout") {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, TIMEOUT_FAULT_MS);
        signal?.addEventListener("abort", () => (clearTimeout(timer), resolve(undefined)), { once: true });
      });
      throw new DOMException(injectedMessage("model", "timeout"), "TimeoutError");
    }
    throw new Error(injectedMessage("model", "fail"));
  };
  return {
    specificationVersion: inner.specificationVersion,
    provider: inner.provider,
    modelId: inner.modelId,
    supportedUrls: inner.supportedUrls,
    doGenerate: async (options) => {
      const scripted = await inject(options.abortSignal);
      if (scripted === undefined) return inner.doGenerate(options);
      return { content: [{ type: "text", text: scriptedText(scripted) }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
    doStream: async (options) => {
      const scripted = await inject(options.abortSignal);
      if (scripted === undefined) return inner.doStream(options);
      const text = scriptedText(scripted);
      const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }, { type: "text-start", id: "scripted" }];
      for (const delta of text.match(/\S+\s*|\s+/g) ?? [text]) parts.push({ type: "text-delta", id: "scripted", delta });
      parts.push({ type: "text-end", id: "scripted" }, { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
};

/**
 * A memo map that passes every built context through `decorate`: services are wrapped where
 * they are made, so every consumer (the toolkit, the agent, the channels) gets the wrapper.
 */
const decoratingMemoMap = (decorate: (context: Context.Context<never>) => Context.Context<never>): Layer.MemoMap => {
  const inner = Layer.makeMemoMapUnsafe();
  const memoMap: Layer.MemoMap = {
    ["~effect/Layer/MemoMap"]: "~effect/Layer/MemoMap",
    get: (layer, scope) => inner.get(layer, scope),
    getOrElseMemoize: (layer, scope, build) =>
      inner.getOrElseMemoize(layer, scope, (_, buildScope) => Effect.map(build(memoMap, buildScope), (built) => decorate(built as Context.Context<never>) as typeof built)),
  } as Layer.MemoMap;
  return memoMap;
};

const decorator = (faults: FaultRegistry, recorder: TurnRecorder) => (built: Context.Context<never>): Context.Context<never> => {
  let out = built as Context.Context<unknown>;
  const swap = <I, S extends object>(tag: Context.Key<I, S>, wrap: (service: S) => S) => {
    const service = Context.getOrUndefined(out as Context.Context<I>, tag);
    if (service !== undefined && !wrapped.has(service)) out = Context.add(out, tag, wrap(service));
  };
  swap(Agent, (s) => wrapAgent(recorder, s));
  swap(CatalogSearch, (s) => wrapCatalogSearch(faults, s));
  swap(KnowledgeSearch, (s) => wrapKnowledgeSearch(faults, s));
  swap(CarStore, (s) => wrapCarStore(faults, s));
  swap(QuoteStore, (s) => wrapQuoteStore(faults, s));
  swap(ConversationStore, (s) => wrapConversationStore(faults, recorder, s));
  swap(FinesRegistry, (s) => wrapFinesRegistry(faults, s));
  return out as Context.Context<never>;
};

// ---------------------------------------------------------------- the app

/**
 * Makes our in-process trace store receive every span, whichever tracer provider is the global
 * one (promptfoo registers its own when its tracing is on): turns a channel runs outside the test's
 * trace (a queued WhatsApp reply) are then still readable by trace id. False when it cannot.
 */
const storeSeesEverySpan = (tracing: ReturnType<typeof setupTracing>): boolean => {
  const probe = trace.getTracer("kavak-eval").startSpan("eval.tracing-probe");
  probe.end();
  if (tracing.store.getTrace(probe.spanContext().traceId) !== undefined) return true;
  const delegate = (trace.getTracerProvider() as { getDelegate?: () => unknown }).getDelegate?.() as
    | { _activeSpanProcessor?: { _spanProcessors?: unknown[] } }
    | undefined;
  const processors = delegate?._activeSpanProcessor?._spanProcessors;
  if (!Array.isArray(processors)) return false;
  // The same content policy as our own provider's (phones and plates redacted, WhatsApp ids pseudonymous).
  if (tracing.policy) processors.unshift(new ContentPolicyProcessor(tracing.policy));
  processors.push(new SimpleSpanProcessor(tracing.store));
  return true;
};

export interface AppUnderTest {
  /** The in-process server: every channel, the financing and traces API. */
  readonly url: string;
  readonly runtime: AppRuntime;
  readonly toolkit: ToolkitShape;
  readonly tracing: ReturnType<typeof setupTracing>;
  readonly model: string;
  readonly faults: FaultRegistry;
  readonly turns: TurnRecorder;
  readonly twilio: TwilioStandIn;
  readonly close: () => Promise<void>;
}

export interface AppUnderTestOptions {
  /** The model the configuration selects instead of the built-in one. */
  readonly configuredModel: boolean;
}

export const startAppUnderTest = async (options: AppUnderTestOptions): Promise<AppUnderTest> => {
  const defaults = await Effect.runPromise(appConfig);
  // Spans go to whichever tracer provider is global: promptfoo's when its tracing is on (then its
  // trace assertions see them), else ours (then they are read back from the in-process store).
  const tracing = setupTracing({ serviceName: "kavak-agent-eval", otlpEndpoint: defaults.telemetry.otlpEndpoint, captureContent: true });
  if (!storeSeesEverySpan(tracing)) console.warn("[evals] the in-process trace store cannot see this process's spans: traces are read from promptfoo's store only");
  const twilio = await startTwilioStandIn({ accountSid: WHATSAPP.accountSid, username: WHATSAPP.accountSid, password: WHATSAPP.authToken });
  const config: AppConfigShape = {
    ...defaults,
    database: { ...defaults.database, url: undefined, pgliteDataDir: "memory://", seedCatalog: true },
    // The gate reads tool results from the spans (gen_ai.tool.call.result): content capture on.
    telemetry: { ...defaults.telemetry, captureContent: true },
    admin: { apiKeys: [] },
    whatsapp: {
      ...defaults.whatsapp,
      authToken: Redacted.make(WHATSAPP.authToken),
      accountSid: WHATSAPP.accountSid,
      apiKeySid: undefined,
      apiKeySecret: undefined,
      whatsappFrom: WHATSAPP.from,
      publicBaseUrl: WHATSAPP.publicBaseUrl,
      trustForwardedHeaders: false,
      validateSignature: true,
      apiBaseUrl: twilio.baseUrl,
    },
    widget: { allowedOrigins: [] },
  };
  const faults = new FaultRegistry();
  const recorder = new TurnRecorder();
  const selected = options.configuredModel ? ConfiguredModel : OfflineModel;
  const model = Layer.effect(
    AgentModel,
    AgentModel.use((m) => Effect.succeed(AgentModel.of({ ...m, model: wrapModel(faults, m.model) }))),
  ).pipe(Layer.provide(selected));
  // The app's startup logs (migrations, seeding, ingestion) would drown promptfoo's output.
  const logLevel = Layer.succeed(References.MinimumLogLevel, process.env.EVAL_LOG_LEVEL === "debug" ? "Debug" : "Warn");
  const layer = AppServices.pipe(Layer.provideMerge(model), Layer.provideMerge(AppConfig.fromValues(config)), Layer.provideMerge(logLevel));
  const runtime: AppRuntime = ManagedRuntime.make(layer, { memoMap: decoratingMemoMap(decorator(faults, recorder)) });
  const [toolkit, description] = await runtime.runPromise(Effect.all([Effect.service(Toolkit), AgentModel.use((m) => Effect.succeed(m.description))]));

  // Like an OpenTelemetry HTTP instrumentation: a request carrying a traceparent is handled
  // inside that trace, whatever the channel (the webhook and the widget do not read it themselves).
  const server = express();
  server.use((req, _res, next) => {
    const parent = parentContext(typeof req.headers.traceparent === "string" ? req.headers.traceparent : undefined);
    if (parent === ROOT_CONTEXT) return next();
    otelContext.with(parent, next);
  });
  server.use(createApp(runtime, tracing, config));
  const listening: Server = await new Promise((resolve) => {
    const s = server.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  return {
    url,
    runtime,
    toolkit,
    tracing,
    model: description,
    faults,
    turns: recorder,
    twilio,
    close: async () => {
      listening.closeAllConnections();
      await new Promise<void>((resolve) => listening.close(() => resolve()));
      await twilio.close();
      await runtime.dispose();
      await tracing.flush();
    },
  };
};
