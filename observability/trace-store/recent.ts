/**
 * The most recently active traces in memory, bounded by count (the least recently extended goes
 * first): what the store answers synchronously (the release gate reads a turn's spans right after
 * it) before, or without, the database.
 */
import type { StoredSpan } from "./span.ts";

export class RecentTraces {
  private readonly traces = new Map<string, StoredSpan[]>();

  constructor(private readonly maxTraces: number) {}

  add(span: StoredSpan): void {
    if (this.maxTraces <= 0) return;
    const trace = this.traces.get(span.traceId);
    if (trace) {
      if (trace.length < 5_000) trace.push(span);
      // A trace still growing (a WhatsApp reply's retries, seconds after its webhook) counts as recent.
      this.traces.delete(span.traceId);
      this.traces.set(span.traceId, trace);
      return;
    }
    this.traces.set(span.traceId, [span]);
    if (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value!);
  }

  get(traceId: string): StoredSpan[] | undefined {
    return this.traces.get(traceId);
  }

  get size(): number {
    return this.traces.size;
  }
}
