/**
 * The built-in offline model: a deterministic Spanish (Mexico) sales assistant that reads only the
 * prompt it is given (instructions, messages, tool calls and results) and calls the same tools.
 */
export { createOfflineModel } from "./language-model.ts";
export { understand } from "./nlu/understand.ts";
export type { Intent, Slots, Understanding } from "./nlu/types.ts";
