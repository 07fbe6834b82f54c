/** The trace store: buffered until the database is attached, indexed per turn, bounded retention, never blocking an export. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { sql, type Kysely } from "kysely";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../knowledge/db/schema.ts";
import { Database, type DatabaseShape } from "../knowledge/db/database.ts";
import { TestDatabase } from "../knowledge/db/test-database.ts";
import { TraceStore, type StoredSpan } from "./trace-store.ts";
import { ATTRIBUTE_LIMIT, compactAttributes, DatabaseTraceSink, PGLITE_SLICE_SPANS, slicesOfWholeTraces, type SinkKind } from "./trace-store/database-sink.ts";
import { openThreadDatabase } from "./trace-store/thread-database.ts";
import { TraceStorage } from "./trace-store/layer.ts";
import { Tracing } from "./tracing.ts";
import { resolveConversationId, searchConversations, searchTurns } from "./trace-store/queries.ts";
import { pseudonymousId } from "./redaction.ts";

const runtime = ManagedRuntime.make(TestDatabase);
let database: DatabaseShape;
beforeAll(async () => {
  database = await runtime.runPromise(Database.use(Effect.succeed));
}, 60_000);
afterAll(() => runtime.dispose());

/**
 * Where the store writes: the test database (PGlite in memory on the application's thread, or
 * PostgreSQL with DATABASE_URL), or, as `npm start` has it on PGlite, a PGlite of its own in a
 * worker thread, on disk.
 */
const targets: Array<{ name: string; open: () => Promise<{ db: Kysely<DB>; kind: SinkKind; close: () => Promise<void> }> }> = [
  { name: "the app's database", open: async () => ({ db: database.db, kind: database.kind, close: async () => {} }) },
  {
    name: "a PGlite of its own in a worker thread",
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), "trace-thread-"));
      const thread = await openThreadDatabase(dir);
      return { db: thread.db, kind: "pglite-thread", close: async () => { await thread.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
];
let target: { db: Kysely<DB>; kind: SinkKind; close: () => Promise<void> };

let counter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const newTraceId = () => hex(++counter, 32);
const span = (fields: Partial<StoredSpan> & { traceId: string; name: string }): StoredSpan => ({
  spanId: hex(++counter, 16),
  parentSpanId: undefined,
  startTimeMs: Date.now(),
  durationMs: 10,
  status: "unset",
  statusMessage: undefined,
  attributes: {},
  events: [],
  ...fields,
});

/** One turn's spans as they are exported: children first, the turn span, then its HTTP parent. */
const turnSpans = (options: { conversationId: string; channel: string; tools?: string[]; failing?: boolean; durationMs?: number; startedAt?: number }) => {
  const traceId = newTraceId();
  const start = options.startedAt ?? Date.now();
  const http = span({ traceId, name: "POST /v1/conversations/:id/messages", startTimeMs: start, durationMs: (options.durationMs ?? 100) + 2 });
  const turn = span({ traceId, name: "chat.turn", parentSpanId: http.spanId, startTimeMs: start + 1, durationMs: options.durationMs ?? 100, attributes: { "chat.conversation_id": options.conversationId, "chat.channel": options.channel } });
  const agent = span({ traceId, name: "invoke_agent offline", parentSpanId: turn.spanId, startTimeMs: start + 2, durationMs: 50 });
  const tools = (options.tools ?? []).map((tool) =>
    span({ traceId, name: `execute_tool ${tool}`, parentSpanId: agent.spanId, startTimeMs: start + 3, durationMs: 5, attributes: { "gen_ai.tool.name": tool, "gen_ai.tool.call.arguments": '{"make":"Nissan"}' } }),
  );
  const db = span({ traceId, name: "db messages.append", parentSpanId: turn.spanId, startTimeMs: start + 60, durationMs: 4, status: options.failing ? "error" : "ok", statusMessage: options.failing ? "connection lost" : undefined });
  return { traceId, turnSpanId: turn.spanId, spans: [...tools, agent, db, turn, http] };
};

const attached = (store: TraceStore, maxTraces = 1_000, maxAgeMs = 3_600_000) =>
  store.attach(new DatabaseTraceSink(target.db, target.kind), { retention: { maxAgeMs, maxTraces }, flushEveryMs: 60_000, pruneEveryMs: 0 });

const clear = async () => {
  await target.db.deleteFrom("traces").execute();
  await target.db.deleteFrom("trace_span_batches").execute();
};

describe.each(targets)("trace store, written to $name", ({ open }) => {
  beforeAll(async () => {
    target = await open();
  }, 60_000);
  afterAll(() => target.close());

  it("keeps spans that arrive before the database, then writes them with one indexed row per turn", async () => {
    await clear();
    const store = new TraceStore();
    const a = turnSpans({ conversationId: "conv-a", channel: "http", tools: ["search_cars", "calculate_financing"], durationMs: 80 });
    const b = turnSpans({ conversationId: "conv-b", channel: "web", failing: true, durationMs: 900 });
    for (const s of [...a.spans, ...b.spans]) store.note(s);
    expect(store.stats()).toMatchObject({ pendingSpans: a.spans.length + b.spans.length, attached: false });

    const detach = attached(store);
    await store.forceFlush();
    expect(store.stats()).toMatchObject({ pendingSpans: 0, writtenSpans: a.spans.length + b.spans.length });

    const turns = await searchTurns(target.db);
    expect(turns.map((t) => t.conversationId).sort()).toEqual(["conv-a", "conv-b"]);
    const turnA = turns.find((t) => t.conversationId === "conv-a")!;
    expect(turnA).toMatchObject({ traceId: a.traceId, spanId: a.turnSpanId, channel: "http", error: false, durationMs: 80 });
    expect([...turnA.toolNames].sort()).toEqual(["calculate_financing", "search_cars"]);
    expect(turns.find((t) => t.conversationId === "conv-b")).toMatchObject({ error: true, errorMessage: "connection lost", toolNames: [] });

    expect((await searchTurns(target.db, { tool: "search_cars" })).map((t) => t.conversationId)).toEqual(["conv-a"]);
    expect((await searchTurns(target.db, { error: true })).map((t) => t.conversationId)).toEqual(["conv-b"]);
    expect((await searchTurns(target.db, { minDurationMs: 500 })).map((t) => t.conversationId)).toEqual(["conv-b"]);
    expect((await searchTurns(target.db, { channel: "web" })).map((t) => t.conversationId)).toEqual(["conv-b"]);
    expect((await searchTurns(target.db, { conversation: "V-A" })).map((t) => t.conversationId)).toEqual(["conv-a"]);
    expect((await searchTurns(target.db, { conversation: "%" })).length).toBe(0);

    const conversations = await searchConversations(target.db, { tool: "calculate_financing" });
    expect(conversations).toEqual([expect.objectContaining({ conversationId: "conv-a", channel: "http", turns: 1, errors: 0, toolNames: ["calculate_financing", "search_cars"] })]);

    const trace = await target.db.selectFrom("traces").selectAll().where("trace_id", "=", b.traceId).executeTakeFirstOrThrow();
    expect(trace).toMatchObject({ error: true, conversation_id: "conv-b", channel: "web", span_count: b.spans.length, root_name: "POST /v1/conversations/:id/messages" });
    await detach();
  });

  it("writes a batch larger than one PGlite slice whole: every span, trace and turn", async () => {
    await clear();
    const store = new TraceStore();
    const conversations = Array.from({ length: 60 }, (_, i) => turnSpans({ conversationId: `conv-${i}`, channel: "http", tools: i % 2 === 0 ? ["search_cars"] : [] }));
    const spans = conversations.flatMap((c) => c.spans);
    expect(spans.length).toBeGreaterThan(2 * PGLITE_SLICE_SPANS);
    for (const s of spans) store.note(s);
    const detach = attached(store);
    await store.forceFlush();
    expect(store.stats()).toMatchObject({ pendingSpans: 0, writtenSpans: spans.length, droppedSpans: 0 });
    const stored = await target.db.selectFrom("traces").select(["trace_id", "span_count", "conversation_id"]).execute();
    expect(stored).toHaveLength(60);
    for (const c of conversations) expect(stored.find((t) => t.trace_id === c.traceId)).toMatchObject({ span_count: c.spans.length, conversation_id: expect.stringMatching(/^conv-/) });
    expect(await searchTurns(target.db, { limit: 100 })).toHaveLength(60);
    await detach();
  });

  it("reads a trace from the database once it has left the in-memory window", async () => {
    await clear();
    const store = new TraceStore({ recentTraces: 1 });
    const detach = attached(store);
    const first = turnSpans({ conversationId: "conv-old", channel: "http", tools: ["search_cars"] });
    const second = turnSpans({ conversationId: "conv-new", channel: "http" });
    for (const s of [...first.spans, ...second.spans]) store.note(s);
    expect(store.getTrace(first.traceId)).toBeUndefined();
    expect(store.getTrace(second.traceId)?.length).toBe(second.spans.length);
    await store.forceFlush();
    const spans = await store.readTrace(first.traceId);
    expect(spans?.map((s) => s.name).sort()).toEqual(first.spans.map((s) => s.name).sort());
    expect(spans?.find((s) => s.name === "execute_tool search_cars")?.attributes["gen_ai.tool.call.arguments"]).toBe('{"make":"Nissan"}');
    expect(await store.readTrace(newTraceId())).toBeUndefined();
    await detach();
  });

  it("deletes whole traces beyond the retention, by count and by age", async () => {
    await clear();
    const store = new TraceStore();
    const detach = attached(store, 3);
    const now = Date.now();
    const made = [0, 1, 2, 3, 4].map((i) => turnSpans({ conversationId: `conv-${i}`, channel: "http", startedAt: now - (5 - i) * 1_000 }));
    for (const m of made) for (const s of m.spans) store.note(s);
    await store.forceFlush();
    const kept = (await searchTurns(target.db)).map((t) => t.conversationId).sort();
    expect(kept).toEqual(["conv-2", "conv-3", "conv-4"]);
    const orphanSpans = await target.db.selectFrom("trace_span_groups").select("trace_id").where("trace_id", "in", [made[0]!.traceId, made[1]!.traceId]).execute();
    expect(orphanSpans).toEqual([]);
    const batchesLeft = async () => (await sql<{ n: number }>`select count(*)::int as n from trace_span_batches`.execute(target.db)).rows[0]!.n;
    // The five turns were written in one batch: it stays while any of its traces does.
    expect(await batchesLeft()).toBe(1);

    const sink = new DatabaseTraceSink(target.db, target.kind);
    expect(await sink.prune({ maxAgeMs: 2_500, maxTraces: 100 }, now)).toBe(1);
    expect((await searchTurns(target.db)).map((t) => t.conversationId).sort()).toEqual(["conv-3", "conv-4"]);
    expect(store.stats().prunedTraces).toBe(2);
    expect(await sink.prune({ maxAgeMs: 0, maxTraces: 100 }, now + 10_000)).toBe(2);
    expect(await batchesLeft()).toBe(0);
    await detach();
  });

  it("does not store health checks, metrics scrapes or the inspector's own requests", async () => {
    await clear();
    const store = new TraceStore();
    const detach = attached(store);
    const traceId = newTraceId();
    const root = span({ traceId, name: "GET", attributes: { "url.path": "/health" } });
    store.note(span({ traceId, name: "SELECT cars", parentSpanId: root.spanId }));
    store.note(root);
    const turn = turnSpans({ conversationId: "conv-real", channel: "http" });
    for (const s of turn.spans) store.note(s);
    await store.forceFlush();
    const traces = await target.db.selectFrom("traces").select("trace_id").execute();
    expect(traces.map((t) => t.trace_id)).toEqual([turn.traceId]);
    await detach();
  });

});

describe("trace store queries on the app's database", () => {
  it("finds the stored conversation behind a pseudonymous id (WhatsApp ids in spans carry no phone number)", async () => {
    const real = "wa:+5215512345678";
    await database.db.insertInto("conversations").values({ id: real, channel: "whatsapp" }).execute();
    const pseudonym = (id: string) => pseudonymousId(id, "test-key");
    const disguised = pseudonym(real);
    expect(disguised).not.toContain("5512345678");
    expect(await resolveConversationId(database.db, disguised, pseudonym)).toBe(real);
    expect(await resolveConversationId(database.db, "demo-1", pseudonym)).toBe("demo-1");
  });
});

// No database needed: run once, not for each target.
describe("trace store, without a database", () => {
  it("cuts a batch into slices of whole traces, each turn with its trace", () => {
    const a = turnSpans({ conversationId: "a", channel: "http", tools: ["search_cars"] }); // 5 spans
    const b = turnSpans({ conversationId: "b", channel: "http" }); // 4 spans
    const c = turnSpans({ conversationId: "c", channel: "http", tools: ["search_cars", "calculate_financing"] }); // 6 spans
    const turn = (x: { traceId: string; turnSpanId: string }) => ({ traceId: x.traceId, spanId: x.turnSpanId, conversationId: "x", channel: "http", startedAt: new Date(), durationMs: 1, error: false, errorMessage: undefined, toolNames: [] });
    const earlier = { ...turn(a), traceId: "f".repeat(32) };
    const slices = slicesOfWholeTraces([...a.spans, ...b.spans, ...c.spans], [turn(c), turn(a), earlier], 11);
    expect(slices.map((s) => new Set(s.spans.map((x) => x.traceId)))).toEqual([new Set([a.traceId, b.traceId]), new Set([c.traceId])]);
    expect(slices.map((s) => s.turns.map((t) => t.traceId))).toEqual([[a.traceId], [c.traceId, earlier.traceId]]);
    // A trace larger than a slice is not split.
    expect(slicesOfWholeTraces(c.spans, [], 3).map((s) => s.spans.length)).toEqual([6]);
  });

  it("never waits for the database: export answers at once, and a full queue drops its oldest spans", async () => {
    const store = new TraceStore({ maxPendingSpans: 10 });
    const stuck = { write: () => new Promise<void>(() => {}), prune: async () => 0, readTrace: async () => undefined, db: database.db } as unknown as DatabaseTraceSink;
    store.attach(stuck, { retention: { maxAgeMs: 1, maxTraces: 1 }, flushEveryMs: 60_000 });
    const many = Array.from({ length: 5 }, () => turnSpans({ conversationId: "conv-x", channel: "http" }).spans).flat();
    let answered = 0;
    for (const s of many) store.export([{ spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }), parentSpanContext: undefined, name: s.name, startTime: [0, 0], duration: [0, 1000], status: { code: 0 }, attributes: {}, events: [] } as never], () => (answered += 1));
    expect(answered).toBe(many.length);
    expect(store.stats().pendingSpans).toBeLessThanOrEqual(10);
    expect(store.stats().droppedSpans).toBeGreaterThan(0);
  });

  it("kept in memory only (tracing off, TRACE_STORE=memory): opens no trace database and queues nothing for one", async () => {
    const store = new TraceStore();
    const dir = mkdtempSync(join(tmpdir(), "trace-off-"));
    try {
      const onDisk = { ...database, pgliteDataDir: dir } as DatabaseShape;
      const tracingOff = Layer.succeed(Tracing, Tracing.of({ store, flush: async () => {}, enabled: false }));
      await Effect.runPromise(Effect.scoped(Layer.build(TraceStorage.pipe(Layer.provide(Layer.mergeAll(tracingOff, Layer.succeed(Database, onDisk)))))));
      expect(existsSync(`${dir}-traces`)).toBe(false);
      const turn = turnSpans({ conversationId: "conv-off", channel: "http" });
      for (const s of turn.spans) store.note(s);
      expect(store.stats().pendingSpans).toBe(0);
      expect(store.getTrace(turn.traceId)?.length).toBe(turn.spans.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an attached store goes on persisting when another app in the process keeps traces in memory only; attaching ends memory-only", async () => {
    const store = new TraceStore();
    const sink = { write: async () => {}, prune: async () => 0, readTrace: async () => undefined, db: database.db } as unknown as DatabaseTraceSink;
    store.keepInMemoryOnly();
    for (const s of turnSpans({ conversationId: "conv-a", channel: "http" }).spans) store.note(s);
    expect(store.stats().pendingSpans).toBe(0);
    const detach = store.attach(sink, { retention: { maxAgeMs: 3_600_000, maxTraces: 1_000 }, flushEveryMs: 60_000 });
    store.keepInMemoryOnly();
    const later = turnSpans({ conversationId: "conv-b", channel: "http" });
    for (const s of later.spans) store.note(s);
    expect(store.stats().pendingSpans).toBe(later.spans.length);
    await detach();
  });

  it("truncates long attribute values on write, the repeated prompt and tool list the most", () => {
    const long = "x".repeat(ATTRIBUTE_LIMIT + 50);
    const compact = compactAttributes({ "gen_ai.tool.call.result": long, "gen_ai.system_instructions": long, n: 3 });
    expect(String(compact["gen_ai.tool.call.result"]).length).toBeLessThan(long.length);
    expect(String(compact["gen_ai.tool.call.result"])).toContain(`[truncated, ${long.length} characters]`);
    expect(String(compact["gen_ai.system_instructions"]).length).toBeLessThan(1_100);
    expect(compact.n).toBe(3);
  });
});
