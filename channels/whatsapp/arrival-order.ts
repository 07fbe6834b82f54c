/**
 * Runs tasks one at a time per key, in the order they were submitted; different keys run in
 * parallel. Keys are dropped once idle, so memory follows active conversations only.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<A>(key: string, task: () => Promise<A>): Promise<A> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running work. */
  get activeKeys(): number {
    return this.tails.size;
  }
}
