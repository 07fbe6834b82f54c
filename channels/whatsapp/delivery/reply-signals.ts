/**
 * Wakes whoever waits on an inbound message (the webhook waiting for its reply, the worker waiting
 * for the webhook to decide who delivers it) when its row changes: one LISTEN on `whatsapp_replies`
 * per process (PostgreSQL: across instances; PGlite: in process). Waiters also poll, so a lost
 * notification costs a short delay, never an answer.
 */
import { Context, Effect, Layer } from "effect";
import { Database } from "../../../knowledge/db/database.ts";
import { REPLY_SIGNAL_CHANNEL } from "./inbox.ts";

export interface ReplySignalsShape {
  /** Resolves when the message's row may have changed, or after `ms`. */
  readonly wait: (externalId: string, ms: number) => Effect.Effect<void>;
}

export class ReplySignals extends Context.Service<ReplySignals, ReplySignalsShape>()("ReplySignals") {
  static readonly layer = Layer.effect(
    ReplySignals,
    Effect.gen(function* () {
      const database = yield* Database;
      const waiters = new Map<string, Set<() => void>>();
      const wakeAll = () => {
        for (const set of waiters.values()) for (const wake of [...set]) wake();
      };
      yield* database.listen(REPLY_SIGNAL_CHANNEL, (event) => {
        if (event.type === "notification") for (const wake of [...(waiters.get(event.payload) ?? [])]) wake();
        else if (event.type === "connected") wakeAll();
      });
      const wait = (externalId: string, ms: number) =>
        Effect.callback<void>((resume) => {
          const set = waiters.get(externalId) ?? new Set<() => void>();
          waiters.set(externalId, set);
          const remove = () => {
            clearTimeout(timer);
            set.delete(done);
            if (set.size === 0 && waiters.get(externalId) === set) waiters.delete(externalId);
          };
          const done = () => {
            remove();
            resume(Effect.void);
          };
          const timer = setTimeout(done, Math.max(0, ms));
          set.add(done);
          return Effect.sync(remove);
        });
      return ReplySignals.of({ wait });
    }),
  );
}
