/**
 * The flags node gets when it runs the app: `npm start` and `npm run worker` (package.json), the
 * Dockerfile and docker-compose.yml spell them out; scripts that spawn the app (benchmarks,
 * process-level tests) take them from here.
 *
 * --experimental-async-context-frame: OpenTelemetry keeps the active span in an AsyncLocalStorage.
 * On Node 22 that storage is built on promise hooks, which tax every promise of a turn, traced or
 * not (bench:turns on a quiet machine: 34 → 28 CPU ms per turn with tracing on). With the flag it
 * is a plain field of the async context, as it is by default from Node 24.
 */
export const NODE_FLAGS: ReadonlyArray<string> = ["--experimental-async-context-frame"];

/** NODE_FLAGS, the TypeScript loader and the instrumentation preload: node's arguments before the script, as `npm start`. */
export const APP_NODE_ARGS: ReadonlyArray<string> = [...NODE_FLAGS, "--import", "tsx", "--import", "./observability/preload.ts"];
