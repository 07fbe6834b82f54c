/**
 * One lane per key: tasks with the same key run one at a time, in the order they were queued; tasks
 * with different keys run in parallel. The queue is taken synchronously when a webhook arrives, so
 * arrival order is kept even though each task does asynchronous work.
 */
export interface Lanes {
  readonly run: <A>(key: string, task: () => Promise<A>) => Promise<A>;
  /** Keys with queued or running work. */
  readonly active: () => number;
}

export const makeLanes = (): Lanes => {
  const tails = new Map<string, Promise<void>>();
  return {
    run: (key, task) => {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    active: () => tails.size,
  };
};
