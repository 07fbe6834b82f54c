/**
 * The input schema the model reads: Zod's JSON Schema without what means nothing to a model and
 * costs tokens on every request, the "$schema" URI and the ±2^53 bounds Zod puts on every integer.
 * Inputs are still validated by the Zod schema itself.
 */
import { jsonSchema, zodSchema, type JSONSchema7, type Schema } from "ai";
import type { z } from "zod";

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

const withoutNoise = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNoise);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum") && typeof item === "number" && SAFE_INTEGER_BOUNDS.has(item)) continue;
    out[key] = withoutNoise(item);
  }
  return out;
};

export const modelSchema = <T>(schema: z.ZodType<T>): Schema<T> => {
  const zod = zodSchema(schema);
  return jsonSchema<T>(async () => withoutNoise(await zod.jsonSchema) as JSONSchema7, { validate: (value) => zod.validate!(value) });
};
