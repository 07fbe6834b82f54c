/**
 * The embedded mode's trace database in a worker thread: a real PGlite on disk behind Kysely, then
 * a real server on an on-disk PGlite (as `npm start` has it) whose traces go there and whose
 * inspector still shows what was said, from the app's database, across a restart.
 */
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postJson, startTestServer } from "../../app/testing/test-server.ts";
import { openThreadDatabase, TraceThreadError } from "./thread-database.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "trace-thread-test-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-traces`, { recursive: true, force: true });
  }
});

describe("trace database thread", () => {
  it("holds the trace tables only, answers with typed rows and precise errors, and keeps its data across a reopen", async () => {
    const dir = tempDir();
    const first = await openThreadDatabase(dir);
    const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(first.db);
    expect(tables.rows.map((r) => r.tablename).filter((t) => !t.startsWith("kysely_"))).toEqual(["trace_span_batches", "trace_span_groups", "trace_turns", "traces"]);

    const startedAt = new Date("2026-12-05T10:00:00.000Z");
    await first.db.insertInto("traces").values({ trace_id: "a".repeat(32), started_at: startedAt, ended_at: startedAt, duration_ms: 0, span_count: 1, error: false, tool_names: ["search_cars"] }).execute();
    const row = await first.db.selectFrom("traces").selectAll().where("trace_id", "=", "a".repeat(32)).executeTakeFirstOrThrow();
    expect(row.started_at).toEqual(startedAt);
    expect(row.tool_names).toEqual(["search_cars"]);

    const duplicate = first.db.insertInto("traces").values({ trace_id: "a".repeat(32), started_at: startedAt, ended_at: startedAt, duration_ms: 0, span_count: 1, error: false }).execute();
    await expect(duplicate).rejects.toBeInstanceOf(TraceThreadError);
    await expect(duplicate).rejects.toMatchObject({ code: "23505" });
    // The thread goes on after an error.
    expect(await first.db.selectFrom("traces").select("trace_id").execute()).toHaveLength(1);
    await first.close();

    const again = await openThreadDatabase(dir);
    expect((await again.db.selectFrom("traces").select("trace_id").execute()).map((r) => r.trace_id)).toEqual(["a".repeat(32)]);
    await again.close();
  }, 60_000);

  it("rolls a failed transaction back, and a statement sent meanwhile waits for it instead of joining it", async () => {
    const thread = await openThreadDatabase(tempDir());
    const now = new Date();
    let outside: Promise<unknown> | undefined;
    const failing = thread.db.transaction().execute(async (trx) => {
      await trx.insertInto("traces").values({ trace_id: "b".repeat(32), started_at: now, ended_at: now, duration_ms: 0, span_count: 1, error: false }).execute();
      // Sent while the transaction holds the connection: it must neither see nor commit the row.
      outside = thread.db.selectFrom("traces").select("trace_id").execute();
      throw new Error("abandon");
    });
    await expect(failing).rejects.toThrow("abandon");
    expect(await outside).toEqual([]);
    expect(await thread.db.selectFrom("traces").select("trace_id").execute()).toEqual([]);
    await thread.close();
  }, 60_000);

  it("fails the queries of a lost thread at once, and every later one, instead of leaving them waiting", async () => {
    const thread = await openThreadDatabase(tempDir());
    await thread.worker.terminate();
    await expect(thread.db.selectFrom("traces").select("trace_id").execute()).rejects.toThrow(/trace database thread exited/);
    await expect(thread.db.selectFrom("trace_turns").select("trace_id").execute()).rejects.toThrow(/trace database thread exited/);
  }, 60_000);
});

describe("a server on an on-disk PGlite", () => {
  const KEY = "thread-test-key-0123456789";
  it("stores its traces in <data dir>-traces, not in the app's database; the inspector shows a turn as soon as it ends, and still after a restart", async () => {
    const dir = tempDir();
    // PGlite on disk whatever DATABASE_URL says: this is the embedded mode's path.
    const onDisk = (config: Parameters<Parameters<typeof startTestServer>[0] & object>[0]) => ({
      ...config,
      database: { ...config.database, url: undefined, pgliteDataDir: dir },
      admin: { ...config.admin, apiKeys: [KEY] },
    });
    const inspect = (url: string) => fetch(`${url}/inspector/api/conversations/thread-demo`, { headers: { authorization: `Bearer ${KEY}` } });

    const server = await startTestServer(onDisk);
    expect((await postJson(`${server.url}/v1/conversations/thread-demo/messages`, { text: "Busco un Nissan Versa" })).status).toBe(200);
    // No flush here: the store writes every few seconds, and the inspector writes what is pending before it reads.
    const before = await (await inspect(server.url)).json();
    expect(before.turns).toHaveLength(1);
    expect(before.turns[0].exchange.user).toBe("Busco un Nissan Versa");
    await server.close();

    expect(existsSync(`${dir}-traces`)).toBe(true);
    const app = await PGlite.create(dir);
    expect((await app.query<{ n: number }>("select count(*)::int as n from traces")).rows[0]!.n).toBe(0);
    await app.close();

    const restarted = await startTestServer(onDisk);
    const after = await (await inspect(restarted.url)).json();
    expect(after.turns.map((t: { traceId: string }) => t.traceId)).toEqual(before.turns.map((t: { traceId: string }) => t.traceId));
    expect(after.turns[0].exchange.reply).toBe(before.turns[0].exchange.reply);
    await restarted.close();
  }, 120_000);

  it("still answers when its trace database cannot open, and the inspector says traces are not persisted", async () => {
    const dir = tempDir();
    // A file where the trace database's directory would go.
    writeFileSync(`${dir}-traces`, "not a directory");
    const server = await startTestServer((config) => ({ ...config, database: { ...config.database, url: undefined, pgliteDataDir: dir }, admin: { ...config.admin, apiKeys: [KEY] } }));
    try {
      expect((await postJson(`${server.url}/v1/conversations/thread-broken/messages`, { text: "Hola" })).status).toBe(200);
      const inspector = await fetch(`${server.url}/inspector/api/turns`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(inspector.status).toBe(503);
      expect((await inspector.json()).error.code).toBe("traces_not_persisted");
    } finally {
      await server.close();
    }
  }, 120_000);
});
