/**
 * Graceful shutdown of the real process (`node --import tsx app/main.ts`, as `npm start` and the
 * container run it): on SIGTERM it stops accepting connections, lets a request in flight finish,
 * exits 0, and its port is closed.
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startChildApp } from "../testing/child-app.ts";

const exitOf = (child: import("node:child_process").ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

const portAccepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

describe("SIGTERM", () => {
  it("drains a request in flight, exits 0 and closes the port", async () => {
    const app = await startChildApp("shutdown", { PGLITE_DATA_DIR: "memory://", RUN_WORKERS: "false", SHUTDOWN_DEADLINE_MS: "20000" });
    const port = Number(new URL(app.url).port);
    try {
      // A request whose body is still arriving when SIGTERM comes.
      const body = JSON.stringify({ price: 250_000, downPayment: 50_000, termMonths: [48] });
      const socket = connect(port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk.toString()));
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.write(`POST /v1/financing/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));

      app.child.kill("SIGTERM");
      const exited = exitOf(app.child);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await portAccepts(port), "no new connections while draining").toBe(false);
      socket.end(body.slice(10));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 201 /);
      expect(await exited).toBe(0);
      expect(await portAccepts(port)).toBe(false);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it("cuts connections still open at the deadline and exits", async () => {
    const app = await startChildApp("shutdown-deadline", { PGLITE_DATA_DIR: "memory://", RUN_WORKERS: "false", SHUTDOWN_DEADLINE_MS: "300" });
    try {
      const socket = connect(Number(new URL(app.url).port), "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.on("error", () => undefined);
      // Headers, then a body that never comes.
      socket.write("POST /v1/financing/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
      await new Promise((resolve) => setTimeout(resolve, 200));
      app.child.kill("SIGTERM");
      expect(await exitOf(app.child)).toBe(0);
      await closed;
    } finally {
      await app.stop();
    }
  }, 120_000);
});
