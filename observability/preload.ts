/**
 * Loaded with `node --import tsx --import ./observability/preload.ts` by `npm start` and
 * `npm run worker`: registers the auto-instrumentations before pg or undici load (the tracer
 * provider itself is set up later from the configuration, observability/tracing.ts).
 * OTEL_SDK_DISABLED=true leaves the process uninstrumented.
 */
import { createRequire } from "node:module";
import { registerAutoInstrumentations } from "./instrumentations.ts";

if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== "true") {
  registerAutoInstrumentations();
  // The instrumentations hook CommonJS `require`: load pg once through it here, so that later ES
  // imports get the patched, cached module.
  createRequire(import.meta.url)("pg");
}
