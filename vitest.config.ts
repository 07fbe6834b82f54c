import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{lib,core,models,tools,knowledge,channels,app,evals,observability,workers}/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits for a real app (a streamed reply, a queued job); 1 s is too short under CI load.
    expect: { poll: { timeout: 15_000 } },
    // PGlite instances are memory-hungry and the machine has two cores.
    maxWorkers: 2,
  },
});
