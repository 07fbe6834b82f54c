/**
 * Database client spans for a Kysely dialect that no auto-instrumentation covers (the embedded
 * PGlite; on PostgreSQL the pg instrumentation makes them). One CLIENT span per statement, named
 * and attributed by the database semantic conventions: `db.system.name`, `db.operation.name`
 * ("SELECT"), `db.collection.name`, `db.query.summary` ("SELECT cars", also the span's name),
 * `db.query.text` (Kysely always sends parameters apart: no values in it), `db.namespace`,
 * `db.response.returned_rows`, and `error.type` when it fails; `store.operation` names the store
 * operation the statement belongs to (withStoreOperation).
 */
import { SpanKind, SpanStatusCode, context, createContextKey, trace, type Attributes } from "@opentelemetry/api";
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from "kysely";
import { memoizeByText } from "../lib/memo.ts";

const tracer = trace.getTracer("kysely-db-spans");

const STORE_OPERATION = createContextKey("store.operation");

/**
 * Runs a store's logical operation ("cars.get"): the spans of its statements carry that name as
 * `store.operation`. An attribute, not a span of its own: a span per store call around its
 * statement spans doubled the spans of a turn, and so what tracing cost it.
 */
export const withStoreOperation = <A>(operation: string, run: () => Promise<A>): Promise<A> => context.with(context.active().setValue(STORE_OPERATION, operation), run);

/** The store operation the current code runs in, if any. */
export const activeStoreOperation = (): string | undefined => context.active().getValue(STORE_OPERATION) as string | undefined;

const MAX_QUERY_TEXT = 2_000;

export interface QuerySummary {
  readonly operation: string;
  readonly collection: string | undefined;
  readonly summary: string;
}

/** "SELECT cars" from `select ... from "cars" ...`: the operation and the first table it names. */
export const summarizeQuery = (sql: string): QuerySummary => {
  const text = sql.trim();
  const keyword = /^\(?\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? "QUERY";
  // A CTE's real operation is the statement after its definitions; report it as WITH.
  const table =
    keyword === "INSERT" ? /\binto\s+("?[\w.]+"?(?:\."?\w+"?)?)/i.exec(text)?.[1]
    : keyword === "UPDATE" ? /^update\s+("?[\w.]+"?(?:\."?\w+"?)?)/i.exec(text)?.[1]
    : keyword === "DELETE" || keyword === "SELECT" || keyword === "WITH" ? /\bfrom\s+("?[\w.]+"?(?:\."?\w+"?)?)/i.exec(text)?.[1]
    : undefined;
  const collection = table?.replace(/"/g, "");
  return { operation: keyword, collection, summary: collection ? `${keyword} ${collection}` : keyword };
};

/** A process runs a small set of statements over and over: their summaries are kept. */
const summaryOf = memoizeByText(summarizeQuery, 1_000);

export interface DbSpanOptions {
  /** db.system.name (PGlite is PostgreSQL). */
  readonly system: string;
  /** db.namespace, when known. */
  readonly namespace?: string | undefined;
}

const traced = async <R>(query: CompiledQuery, options: DbSpanOptions, run: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> => {
  // As the pg instrumentation (requireParentSpan): only statements inside a recorded trace. Startup
  // migrations, background timers and the trace store's own writes make no spans (no feedback loop).
  if (!trace.getSpan(context.active())?.isRecording()) return run();
  const { operation, collection, summary } = summaryOf(query.sql);
  const attributes: Attributes = {
    "db.system.name": options.system,
    "db.operation.name": operation,
    "db.query.summary": summary,
    "db.query.text": query.sql.length > MAX_QUERY_TEXT ? `${query.sql.slice(0, MAX_QUERY_TEXT)}…` : query.sql,
    ...(collection ? { "db.collection.name": collection } : {}),
    ...(options.namespace ? { "db.namespace": options.namespace } : {}),
  };
  const storeOperation = activeStoreOperation();
  if (storeOperation !== undefined) attributes["store.operation"] = storeOperation;
  // A leaf: nothing runs inside it, so it need not become the active span.
  const span = tracer.startSpan(summary, { kind: SpanKind.CLIENT, attributes });
  try {
    const result = await run();
    if (Array.isArray(result.rows)) span.setAttribute("db.response.returned_rows", result.rows.length);
    return result;
  } catch (error) {
    span.setAttribute("error.type", (error as { code?: unknown })?.code ? String((error as { code: unknown }).code) : error instanceof Error ? error.name : "error");
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
};

const proxies = new WeakMap<DatabaseConnection, DatabaseConnection>();

const tracedConnection = (connection: DatabaseConnection, options: DbSpanOptions): DatabaseConnection => {
  const known = proxies.get(connection);
  if (known) return known;
  const proxy = new Proxy(connection, {
    get(target, property, receiver) {
      if (property === "executeQuery") return <R>(query: CompiledQuery) => traced<R>(query, options, () => target.executeQuery<R>(query));
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  proxies.set(connection, proxy);
  return proxy;
};

const tracedDriver = (driver: Driver, options: DbSpanOptions): Driver =>
  new Proxy(driver, {
    get(target, property, receiver) {
      if (property === "acquireConnection") return async () => tracedConnection(await target.acquireConnection(), options);
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

/** The dialect with one span per statement. */
export const withDbSpans = (dialect: Dialect, options: DbSpanOptions): Dialect => ({
  createAdapter: () => dialect.createAdapter(),
  createDriver: () => tracedDriver(dialect.createDriver(), options),
  createIntrospector: (db) => dialect.createIntrospector(db),
  createQueryCompiler: () => dialect.createQueryCompiler(),
});
