/**
 * The real server as a child process (`node --import tsx app/main.ts`), as it runs in
 * production, for tests that need several instances or must see whether the process survives.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../knowledge/db/testing/throwaway-postgres.ts";
import { NODE_FLAGS } from "../node-flags.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildApp {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Set when the process has exited: how. */
  readonly exit: () => { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
  /** The last lines the process printed (diagnostics for a failed test). */
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

/** Starts the server with these variables (offline model, no external services) and waits until /health is 200. */
export const startChildApp = async (name: string, env: Record<string, string>, readyWithinMs = 60_000): Promise<ChildApp> => {
  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) childEnv[key] = value;
  for (const key of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "MEILI_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "DATABASE_URL", "PGLITE_DATA_DIR"]) delete childEnv[key];
  // These tests drive load from one address; rate limits have their own tests (app/edges/edges.test.ts).
  Object.assign(childEnv, { PORT: String(port), NODE_ENV: "test", RATE_LIMITS: "false" }, env);
  const child = spawn(process.execPath, [...NODE_FLAGS, "--import", "tsx", "app/main.ts"], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter((line) => line.trim() !== ""));
    if (lines.length > 300) lines.splice(0, lines.length - 300);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (exit) throw new Error(`${name} exited while starting (${JSON.stringify(exit)}):\n${lines.join("\n")}`);
    if (Date.now() - started > readyWithinMs) {
      child.kill("SIGKILL");
      throw new Error(`${name} not ready within ${readyWithinMs} ms:\n${lines.join("\n")}`);
    }
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    url,
    child,
    exit: () => exit,
    output: () => lines.join("\n"),
    stop: async () => {
      if (exit) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
