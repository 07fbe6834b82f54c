/**
 * What each turn did, from its spans: the tools called and the errors under a `chat.turn` span.
 * Children end (and are exported) before their parents, so when a turn span arrives everything
 * under it has been seen; the lineage keeps a few facts per span of recent traces (bounded) to
 * summarise the turn without reading the database back.
 */
import { channelOf, conversationOf, toolOf, TURN_SPAN_NAME, type StoredSpan } from "./span.ts";

interface Node {
  readonly parent: string | undefined;
  readonly tool: string | undefined;
  readonly errorMessage: string | undefined;
  readonly error: boolean;
}

export interface TurnSummary {
  readonly traceId: string;
  readonly spanId: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly error: boolean;
  readonly errorMessage: string | undefined;
  readonly toolNames: ReadonlyArray<string>;
}

const MAX_SPANS_PER_TRACE = 2_000;

export class Lineage {
  private readonly traces = new Map<string, Map<string, Node>>();

  constructor(private readonly maxTraces = 2_000) {}

  /** Records the span; returns its turn's summary when it is a turn span. */
  note(span: StoredSpan): TurnSummary | undefined {
    let nodes = this.traces.get(span.traceId);
    if (!nodes) {
      nodes = new Map();
      this.traces.set(span.traceId, nodes);
      if (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value!);
    }
    if (nodes.size < MAX_SPANS_PER_TRACE)
      nodes.set(span.spanId, {
        parent: span.parentSpanId,
        tool: toolOf(span),
        error: span.status === "error",
        errorMessage: span.status === "error" ? (span.statusMessage ?? span.name) : undefined,
      });
    if (span.name !== TURN_SPAN_NAME) return undefined;
    const conversationId = conversationOf(span);
    if (conversationId === undefined) return undefined;
    const under = this.descendants(nodes, span.spanId);
    const failing = [nodes.get(span.spanId)!, ...under].find((node) => node.error);
    return {
      traceId: span.traceId,
      spanId: span.spanId,
      conversationId,
      channel: channelOf(span) ?? "unknown",
      startedAt: new Date(span.startTimeMs),
      durationMs: span.durationMs,
      error: failing !== undefined,
      errorMessage: failing?.errorMessage,
      toolNames: [...new Set(under.flatMap((node) => (node.tool ? [node.tool] : [])))],
    };
  }

  private descendants(nodes: Map<string, Node>, rootId: string): Node[] {
    const out: Node[] = [];
    for (const [id, node] of nodes) {
      if (id === rootId) continue;
      let parent = node.parent;
      for (let depth = 0; parent !== undefined && depth < 64; depth++) {
        if (parent === rootId) {
          out.push(node);
          break;
        }
        parent = nodes.get(parent)?.parent;
      }
    }
    return out;
  }
}
