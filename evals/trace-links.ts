/**
 * From a failing conversation to its turn in the trace inspector: the gate prints, under each
 * failing conversation, the trace id of every failing turn (the turns its reasons name, else all)
 * and the inspector URL that opens that turn's waterfall (/inspector#/trace/<id>/turn-<n>).
 */
import { readFileSync } from "node:fs";

interface RawTurn {
  readonly traceId?: string;
}
interface RawResult {
  readonly success?: boolean;
  readonly vars?: Record<string, unknown>;
  readonly testCase?: { readonly vars?: Record<string, unknown> };
  readonly response?: { readonly metadata?: { readonly run?: { readonly turns?: ReadonlyArray<RawTurn> } } } | null;
}

export interface TurnLink {
  /** 1-based, as the gate's reasons name turns. */
  readonly turn: number;
  readonly traceId: string;
}

/** Trace ids of each conversation's failing attempts' turns, by conversation id. */
export const failingTurnTraces = (resultsPath: string): Map<string, TurnLink[][]> => {
  const raw = JSON.parse(readFileSync(resultsPath, "utf8")) as { results?: { results?: RawResult[] } };
  const out = new Map<string, TurnLink[][]>();
  for (const result of raw.results?.results ?? []) {
    if (result.success) continue;
    const vars = result.testCase?.vars ?? result.vars ?? {};
    const id = String(vars.conversation ?? "unknown");
    const turns = (result.response?.metadata?.run?.turns ?? []).flatMap((t, i) => (typeof t.traceId === "string" && t.traceId !== "" ? [{ turn: i + 1, traceId: t.traceId }] : []));
    out.set(id, [...(out.get(id) ?? []), turns]);
  }
  return out;
};

/** The turns the reasons name ("turn 2 «…»"), or every turn when they name none. */
export const failingTurns = (turns: ReadonlyArray<TurnLink>, reasons: ReadonlyArray<string>): TurnLink[] => {
  const named = new Set(reasons.flatMap((reason) => [...reason.matchAll(/\bturn (\d+)\b/g)].map((m) => Number(m[1]))));
  const picked = named.size === 0 ? [...turns] : turns.filter((t) => named.has(t.turn));
  return picked.length === 0 ? [...turns] : picked;
};

/** Where the inspector opens one turn of a trace (the n-th turn span of it). */
export const inspectorUrl = (base: string, link: TurnLink): string => `${base.replace(/\/$/, "")}/inspector#/trace/${link.traceId}/turn-${link.turn}`;

/** Lines to print under a failing conversation. */
export const traceLinkLines = (links: ReadonlyArray<TurnLink>, reasons: ReadonlyArray<string>, base: string): string[] =>
  failingTurns(links, reasons).map((link) => `    ↳ turn ${link.turn}: trace ${link.traceId} · ${inspectorUrl(base, link)}`);
