/**
 * Fault injection for the release gate. A golden conversation (or a tool-level case) may make a
 * store, a search, the knowledge base or the model fail or time out; the eval's copy of the app
 * wraps those services (app-under-test.ts) and asks this registry, on every call, whether the
 * call belongs to a conversation (or trace) with a fault armed for the current turn.
 *
 * Calls are attributed by trace: the first thing every turn does is read the conversation's
 * memory (ConversationStore.recentContent, inside the turn's span), which binds the turn's trace
 * id to its conversation; every later call of the turn (tools run in the same trace) is looked up
 * by its span's trace id. Nothing is shared between conversations, so tests stay parallel.
 */
import { z } from "zod";

export const FAULT_SERVICES = ["catalog_search", "knowledge_search", "car_store", "quote_store", "conversation_store", "model", "fines_registry"] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export const faultSpec = z
  .object({
    /** Which dependency misbehaves. */
    service: z.enum(FAULT_SERVICES),
    /**
     * `fail`: the call fails at once; `timeout`: it hangs, then fails as a timeout; `reply` (the
     * model only): it answers `text` (repeated `repeat` times), as a live model might, to see what a
     * channel delivers of a long or unusual reply.
     */
    mode: z.enum(["fail", "timeout", "reply"]).default("fail"),
    /** Turns (1-based) in which it misbehaves; all turns when absent. */
    turns: z.array(z.number().int().positive()).optional(),
    text: z.string().optional(),
    repeat: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => f.mode !== "reply" || (f.service === "model" && f.text !== undefined), "mode reply is for the model, with a text");
export type FaultSpec = z.output<typeof faultSpec>;

/** How long a "timeout" fault hangs before failing (a client's own timeout firing). */
export const TIMEOUT_FAULT_MS = 1_200;

export interface FiredFault {
  readonly turn: number;
  readonly service: FaultService;
  readonly mode: FaultSpec["mode"];
}

interface Armed {
  readonly faults: ReadonlyArray<FaultSpec>;
  /** The user's message being answered (set by the player: a channel's retries stay in the same turn). */
  turn: number;
  readonly fired: FiredFault[];
}

export class FaultRegistry {
  /** Keyed by a token the conversation id contains (a WhatsApp number, a web client id, an id). */
  private readonly byToken = new Map<string, Armed>();
  /** Trace id → arming (tool-level cases arm a trace directly; turns bind theirs). */
  private readonly byTrace = new Map<string, Armed>();

  /** Faults for every conversation whose id contains `token` (unique per test). */
  arm(token: string, faults: ReadonlyArray<FaultSpec>): void {
    if (faults.length > 0) this.byToken.set(token, { faults, turn: 0, fired: [] });
  }

  /** Faults for every call made inside this trace (no conversation: a tool called directly). */
  armTrace(traceId: string, faults: ReadonlyArray<FaultSpec>): void {
    if (faults.length > 0) this.byTrace.set(traceId, { faults, turn: 1, fired: [] });
  }

  disarm(token: string): ReadonlyArray<FiredFault> {
    const armed = this.byToken.get(token);
    this.byToken.delete(token);
    for (const [trace, entry] of this.byTrace) if (entry === armed) this.byTrace.delete(trace);
    return armed?.fired ?? [];
  }

  disarmTrace(traceId: string): ReadonlyArray<FiredFault> {
    const armed = this.byTrace.get(traceId);
    this.byTrace.delete(traceId);
    return armed?.fired ?? [];
  }

  private find(conversationId: string): Armed | undefined {
    for (const [token, armed] of this.byToken) if (conversationId.includes(token)) return armed;
    return undefined;
  }

  /** The user's message `turn` (1-based) of the conversation armed under `token` is being answered. */
  setTurn(token: string, turn: number): void {
    const armed = this.byToken.get(token);
    if (armed) armed.turn = turn;
  }

  /** The turn running in this trace belongs to this conversation. */
  bindTrace(traceId: string | undefined, conversationId: string): void {
    if (traceId === undefined) return;
    const armed = this.find(conversationId);
    if (armed) this.byTrace.set(traceId, armed);
  }

  /** The fault to inject now for this service, if any (and records that it fired). */
  faultFor(service: FaultService, where: { readonly traceId?: string | undefined; readonly conversationId?: string | undefined }): FaultSpec | undefined {
    const armed =
      (where.conversationId !== undefined ? this.find(where.conversationId) : undefined) ??
      (where.traceId !== undefined ? this.byTrace.get(where.traceId) : undefined);
    if (armed === undefined) return undefined;
    const fault = armed.faults.find((f) => f.service === service && (f.turns === undefined || f.turns.includes(armed.turn)));
    if (fault !== undefined && !armed.fired.some((f) => f.turn === armed.turn && f.service === service))
      armed.fired.push({ turn: armed.turn, service, mode: fault.mode });
    return fault;
  }
}

/** An injected failure's message: recognisable in logs and error spans. */
export const injectedMessage = (service: FaultService, mode: FaultSpec["mode"]) => `injected ${mode === "timeout" ? "timeout" : "failure"} of ${service} (release gate)`;
