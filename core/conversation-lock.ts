/**
 * Per-conversation serialisation: the turns of one conversation run one at a time, in arrival
 * order; different conversations run in parallel. The in-process lock serves one process; a
 * database-backed lock (provided by the application) serves several instances.
 */
import { Context, Effect, Layer, Semaphore } from "effect";

export interface ConversationLockShape {
  readonly withLock: <A, E, R>(conversationId: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>;
}

export class ConversationLock extends Context.Service<ConversationLock, ConversationLockShape>()("ConversationLock") {
  static readonly inProcess = Layer.sync(ConversationLock, () => ConversationLock.of(makeInProcessLock()));
}

/** One semaphore per conversation with running or waiting turns; dropped once idle. */
export const makeInProcessLock = (): ConversationLockShape & { readonly activeKeys: () => number } => {
  const lanes = new Map<string, { readonly semaphore: Semaphore.Semaphore; users: number }>();
  const enter = (key: string) =>
    Effect.sync(() => {
      const lane = lanes.get(key) ?? { semaphore: Semaphore.makeUnsafe(1), users: 0 };
      lane.users += 1;
      lanes.set(key, lane);
      return lane;
    });
  const leave = (key: string, lane: { users: number }) =>
    Effect.sync(() => {
      lane.users -= 1;
      if (lane.users === 0) lanes.delete(key);
    });
  return {
    withLock: (conversationId, effect) =>
      Effect.acquireUseRelease(enter(conversationId), (lane) => Semaphore.withPermit(lane.semaphore, effect), (lane) => leave(conversationId, lane)),
    activeKeys: () => lanes.size,
  };
};
