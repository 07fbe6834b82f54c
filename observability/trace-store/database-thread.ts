/**
 * The trace database's own thread (embedded mode, thread-database.ts starts it): a PGlite of its
 * own in `workerData.dataDir`, so writing and searching traces never runs on the application's
 * thread, where the app's own PGlite answers the turns. It runs the statements the main thread
 * sends, one at a time, in the order they arrive.
 *
 * Loaded by Node itself (type stripping), not by tsx: it imports nothing of the project's.
 */
import { PGlite } from "@electric-sql/pglite";
import { parentPort, workerData } from "node:worker_threads";

export type ThreadRequest =
  | { readonly id: number; readonly sql: string; readonly parameters: ReadonlyArray<unknown> }
  | { readonly id: number; readonly close: true };

export type ThreadResponse =
  | { readonly id: number; readonly rows: unknown[]; readonly affectedRows: number | undefined }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string; readonly detail?: string } };

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

// Traces are written once and read now and then: a small buffer cache (PostgreSQL's default is
// 128 MB) kept the process about 100 MB smaller after 8,000 traces, at no cost to the writes.
const opened = PGlite.create(dataDir, { postgresqlconf: ["shared_buffers = 16MB"] });
opened.then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, message: error instanceof Error ? error.message : String(error) }),
);

const failure = (error: unknown) => {
  const { message, code, detail } = error as { message?: string; code?: string; detail?: string };
  return { message: message ?? String(error), ...(code ? { code } : {}), ...(detail ? { detail } : {}) };
};

// PGlite runs one statement at a time; the chain keeps the main thread's order (a transaction's
// statements arrive one after another from a connection held by one caller).
let queue: Promise<void> = Promise.resolve();
port.on("message", (request: ThreadRequest) => {
  queue = queue.then(async () => {
    try {
      const pglite = await opened;
      if ("close" in request) {
        await pglite.close();
        port.postMessage({ id: request.id, rows: [], affectedRows: undefined } satisfies ThreadResponse);
        port.close();
        return;
      }
      const result = await pglite.query(request.sql, request.parameters as unknown[], { rowMode: "object" });
      port.postMessage({ id: request.id, rows: result.rows, affectedRows: result.affectedRows } satisfies ThreadResponse);
    } catch (error) {
      port.postMessage({ id: request.id, error: failure(error) } satisfies ThreadResponse);
    }
  });
});
