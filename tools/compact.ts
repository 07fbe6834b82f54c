/**
 * What of an earlier turn's tool result stays in the model's memory. Today: everything (the
 * token-budgeted compaction replaces this).
 */
export const compactForMemory = (_toolName: string, output: unknown): unknown => output;
