/**
 * Memoises a pure function of a string, keeping the most recently used `size` results. Results are
 * deep-frozen: a caller that mutated one would change what the next caller gets, so it throws instead.
 */
export const memoizeByText = <T>(fn: (text: string) => T, size: number): ((text: string) => T) => {
  const cache = new Map<string, T>();
  return (text: string): T => {
    const known = cache.get(text);
    if (known !== undefined || cache.has(text)) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      cache.delete(text);
      cache.set(text, known as T);
      return known as T;
    }
    const value = deepFreeze(fn(text));
    if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    cache.set(text, value);
    return value;
  };
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};
