/**
 * The trace store: the embedded stand-in for a tracing backend. It never blocks a turn: the SDK
 * hands it ended spans through `TraceStoreProcessor` (queued, then noted in batches of 256, or at
 * once when the store is read or flushed; it is also a SpanExporter, whose `export` notes at once).
 * Noting a span puts it
 *   - in a small in-memory window of the most recent traces (read synchronously by the release
 *     gate and GET /v1/traces right after a turn), and
 *   - in a bounded queue for the database: once `attach` gives it one (spans arrive before the
 *     Database layer exists), batches are written every `flushEveryMs` or `batchSize` spans, and
 *     retention (by age and by count) runs every `pruneEveryMs`. When the queue is full the oldest
 *     spans are dropped and counted.
 * Search and the inspector read the database (observability/trace-store/queries.ts).
 */
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { DatabaseTraceSink, Retention } from "./trace-store/database-sink.ts";
import { Lineage, type TurnSummary } from "./trace-store/lineage.ts";
import { RecentTraces } from "./trace-store/recent.ts";
import { isNoiseRoot, toStoredSpan, type StoredSpan } from "./trace-store/span.ts";

export type { StoredSpan } from "./trace-store/span.ts";

type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];

export interface TraceStoreOptions {
  /** Traces kept in memory for synchronous reads (default 200). */
  readonly recentTraces?: number;
  /** Spans waiting for the database at most; beyond it the oldest are dropped (default 10,000). */
  readonly maxPendingSpans?: number;
}

export interface PersistenceOptions {
  readonly retention: Retention;
  /** How often pending spans are written (default 5,000 ms, the schedule of OpenTelemetry's batch span processor; readers that need them at once flush first). */
  readonly flushEveryMs?: number;
  /** Pending spans that trigger a write at once (default 2,000). Fewer, larger writes cost less per turn (npm run bench:trace-store). */
  readonly batchSize?: number;
  /** How often retention runs (default 60,000 ms). */
  readonly pruneEveryMs?: number;
  /** Reports a failed write or prune (the spans of a failed write are dropped). */
  readonly onError?: (error: unknown) => void;
}

export interface TraceStoreStats {
  readonly recentTraces: number;
  readonly pendingSpans: number;
  readonly droppedSpans: number;
  readonly writtenSpans: number;
  readonly prunedTraces: number;
  readonly attached: boolean;
}

interface Attachment {
  readonly sink: DatabaseTraceSink;
  readonly options: PersistenceOptions;
  readonly timer: NodeJS.Timeout;
  lastPruneAt: number;
}

export class TraceStore implements SpanExporter {
  private readonly recent: RecentTraces;
  private readonly lineage = new Lineage();
  private readonly maxPending: number;
  /** Ended spans not yet noted (TraceStoreProcessor): converted in batches, not at each span's end. */
  private incoming: ReadableSpan[] = [];
  private pending: StoredSpan[] = [];
  private pendingTurns: TurnSummary[] = [];
  private attachment: Attachment | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  private written = 0;
  private pruned = 0;
  /** No database will come: only the recent window is kept (keepInMemoryOnly). */
  private memoryOnly = false;

  constructor(options: TraceStoreOptions = {}) {
    this.recent = new RecentTraces(options.recentTraces ?? 200);
    this.maxPending = options.maxPendingSpans ?? 10_000;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) this.note(toStoredSpan(span));
    resultCallback({ code: 0 });
  }

  /** Takes an ended span; it is noted with the next batch (or at once when something reads the store). */
  enqueue(span: ReadableSpan): void {
    this.incoming.push(span);
    if (this.incoming.length >= INCOMING_BATCH) this.drain();
  }

  /** Notes the spans enqueued so far. */
  private drain(): void {
    if (this.incoming.length === 0) return;
    const spans = this.incoming;
    this.incoming = [];
    for (const span of spans) this.note(toStoredSpan(span));
  }

  /** Notes one span (what `export` does for each). */
  note(span: StoredSpan): void {
    this.recent.add(span);
    if (this.memoryOnly) return;
    const turn = this.lineage.note(span);
    if (turn) this.pendingTurns.push(turn);
    this.pending.push(span);
    if (this.pending.length > this.maxPending) {
      const excess = this.pending.length - this.maxPending + Math.ceil(this.maxPending / 10);
      this.pending.splice(0, excess);
      this.dropped += excess;
      const kept = new Set(this.pending.map((s) => s.traceId));
      this.pendingTurns = this.pendingTurns.filter((t) => kept.has(t.traceId));
    }
    const attachment = this.attachment;
    if (attachment && this.pending.length >= (attachment.options.batchSize ?? 2_000) && !this.flushing) setImmediate(() => void this.forceFlush());
  }

  /**
   * No database will be attached (TRACE_STORE=memory, tracing off, or the trace database did not
   * open): the spans queued for one are let go, and only the recent window is kept until one is.
   * The store is the process's: when an app in it already persists (tests run several), it goes on.
   */
  keepInMemoryOnly(): void {
    if (this.attachment) return;
    this.memoryOnly = true;
    this.pending = [];
    this.pendingTurns = [];
  }

  /** Starts persisting to the database (and writes what waited for it); the returned function stops and flushes. */
  attach(sink: DatabaseTraceSink, options: PersistenceOptions): () => Promise<void> {
    if (this.attachment) clearInterval(this.attachment.timer);
    this.memoryOnly = false;
    const timer = setInterval(() => void this.forceFlush(), options.flushEveryMs ?? 5_000);
    timer.unref();
    const attachment: Attachment = { sink, options, timer, lastPruneAt: 0 };
    this.attachment = attachment;
    void this.forceFlush();
    return async () => {
      if (this.attachment !== attachment) return;
      await this.forceFlush();
      clearInterval(timer);
      this.attachment = undefined;
    };
  }

  /** The database the store persists to, when attached (search and the inspector read it). */
  get sink(): DatabaseTraceSink | undefined {
    return this.attachment?.sink;
  }

  /** Spans of a recent trace ordered by start time, from memory; undefined when not in the recent window. */
  getTrace(traceId: string): ReadonlyArray<StoredSpan> | undefined {
    this.drain();
    const spans = this.recent.get(traceId);
    return spans ? [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs) : undefined;
  }

  /** Spans of a trace from memory, else from the database; undefined when unknown or expired. */
  async readTrace(traceId: string): Promise<ReadonlyArray<StoredSpan> | undefined> {
    return this.getTrace(traceId) ?? (await this.attachment?.sink.readTrace(traceId));
  }

  stats(): TraceStoreStats {
    this.drain();
    return { recentTraces: this.recent.size, pendingSpans: this.pending.length, droppedSpans: this.dropped, writtenSpans: this.written, prunedTraces: this.pruned, attached: this.attachment !== undefined };
  }

  /** Writes pending spans (and runs retention when due); resolves when done. */
  async forceFlush(): Promise<void> {
    this.drain();
    while (this.flushing) await this.flushing;
    const attachment = this.attachment;
    if (!attachment || (this.pending.length === 0 && Date.now() - attachment.lastPruneAt < (attachment.options.pruneEveryMs ?? 60_000))) return;
    this.flushing = this.flushOnce(attachment).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async flushOnce(attachment: Attachment): Promise<void> {
    const batch = this.pending;
    const turns = this.pendingTurns;
    this.pending = [];
    this.pendingTurns = [];
    const noise = new Set(batch.filter(isNoiseRoot).map((span) => span.traceId));
    const spans = noise.size === 0 ? batch : batch.filter((span) => !noise.has(span.traceId));
    try {
      await attachment.sink.write(spans, turns);
      this.written += spans.length;
    } catch (error) {
      this.dropped += spans.length;
      attachment.options.onError?.(error);
    }
    if (Date.now() - attachment.lastPruneAt >= (attachment.options.pruneEveryMs ?? 60_000)) {
      attachment.lastPruneAt = Date.now();
      try {
        this.pruned += await attachment.sink.prune(attachment.options.retention);
      } catch (error) {
        attachment.options.onError?.(error);
      }
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

/** Spans converted and noted together (or sooner, when the store is read or flushed). */
const INCOMING_BATCH = 256;

/**
 * Feeds the store from the SDK: a sampled span is only queued when it ends (no export call, promise
 * or context switch per span, as a SimpleSpanProcessor would make); the store notes them in batches.
 */
export class TraceStoreProcessor implements SpanProcessor {
  constructor(private readonly store: TraceStore) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 1) this.store.enqueue(span);
  }

  forceFlush(): Promise<void> {
    return this.store.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.store.shutdown();
  }
}

/** The name tracing.ts has always used for it. */
export { TraceStore as InProcessTraceStore };
