/**
 * The OpenTelemetry auto-instrumentations that apply to this service: the HTTP server and client
 * (node:http), PostgreSQL (pg; the embedded PGlite has hand-made spans in knowledge/db/) and undici
 * (fetch: OpenAI, Twilio, Meilisearch). Express has none: the matched route reaches the server span
 * through http-route.ts. They patch modules as they load, so `observability/preload.ts` registers
 * them before anything imports pg; spans they start go to whichever tracer provider
 * `setupTracing` registers later.
 */
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { activeStoreOperation } from "./kysely-tracing.ts";

const REGISTERED = Symbol.for("kavak.observability.instrumentations");
type Registry = { [REGISTERED]?: Instrumentation[] };

/** Paths whose requests are not traced (static assets of the widget). Health checks are. */
const UNTRACED_PATHS = /^\/(favicon\.ico|widget\.js|assets\/)/;

export const makeInstrumentations = (): Instrumentation[] => [
  new HttpInstrumentation({
    ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ""),
    // An outgoing request only gets a span inside a trace (not the pool's keep-alive noise).
    requireParentforOutgoingSpans: true,
  }),
  // Queries inside a trace only; no span for taking a pooled connection (one per query, saying nothing).
  new PgInstrumentation({
    requireParentSpan: true,
    enhancedDatabaseReporting: false,
    ignoreConnectSpans: true,
    // The store operation the statement belongs to, as observability/kysely-tracing.ts does on PGlite.
    requestHook: (span) => {
      const operation = activeStoreOperation();
      if (operation !== undefined) span.setAttribute("store.operation", operation);
    },
  }),
  new UndiciInstrumentation({ requireParentforSpans: true }),
];

/** Registers the instrumentations once per process; later calls return the registered ones. */
export const registerAutoInstrumentations = (): Instrumentation[] => {
  const registry = globalThis as Registry;
  if (!registry[REGISTERED]) {
    const instrumentations = makeInstrumentations();
    registerInstrumentations({ instrumentations });
    registry[REGISTERED] = instrumentations;
  }
  return registry[REGISTERED];
};

/** The instrumentations registered in this process (none when it did not preload them). */
export const registeredInstrumentations = (): Instrumentation[] => (globalThis as Registry)[REGISTERED] ?? [];
