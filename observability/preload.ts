/**
 * Loaded with `node --import tsx --import ./observability/preload.ts` by `npm start` and
 * `npm run worker`: registers the auto-instrumentations before express, pg or undici load (the
 * tracer provider itself is set up later from the configuration, observability/tracing.ts).
 * OTEL_SDK_DISABLED=true leaves the process uninstrumented.
 */
import { createRequire } from "node:module";
import { registerAutoInstrumentations } from "./instrumentations.ts";

if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== "true") {
  registerAutoInstrumentations();
  // The instrumentations hook CommonJS `require`. An ES `import` of a CommonJS package without an
  // "exports" map (express 5) does not pass through it, so load express once through `require`
  // here: later imports get this patched, cached module (pg's ES entry already requires its CJS).
  const require = createRequire(import.meta.url);
  require("express");
  require("pg");
}
