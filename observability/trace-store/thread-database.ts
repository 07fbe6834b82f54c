/**
 * The embedded mode's trace database: a PGlite of its own in a worker thread (database-thread.ts),
 * reached through Kysely like any other database. On PGlite the app's database answers turns on the
 * application's thread, and writing a second's worth of traces into it there cost turns about
 * 0.7 ms of CPU each (bench:turns, persisted against in-memory traces); here that work runs beside
 * them. Only the trace migrations are applied: this database holds traces and nothing else.
 */
import { mkdirSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from "kysely";
import type { DB } from "../../knowledge/db/schema.ts";
import { Effect } from "effect";
import { migrateToLatest } from "../../knowledge/db/database.ts";
import { migrations } from "../../knowledge/db/migrations/index.ts";
import type { ThreadRequest, ThreadResponse } from "./database-thread.ts";

/** The migrations that make the trace tables (0009_traces and those after it that change them). */
export const TRACE_MIGRATIONS = Object.fromEntries(Object.entries(migrations).filter(([name]) => /^\d{4}_trace/.test(name)));

/** An error the trace thread's PGlite reported, with PostgreSQL's SQLSTATE code. */
export class TraceThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = "TraceThreadError";
  }
}

/** The worker and its requests in flight; a dead worker fails them all, and every later one. */
class ThreadClient {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (response: ThreadResponse) => void; reject: (error: Error) => void }>();
  private dead: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on("message", (message: ThreadResponse | { ready: boolean }) => {
      if (!("id" in message)) return;
      const entry = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      entry?.resolve(message);
    });
    const die = (error: Error) => {
      this.dead ??= error;
      for (const entry of this.waiting.values()) entry.reject(this.dead);
      this.waiting.clear();
    };
    worker.on("error", die);
    worker.on("exit", (code) => die(new Error(`the trace database thread exited (code ${code})`)));
  }

  request(body: Omit<Extract<ThreadRequest, { sql: string }>, "id"> | { close: true }): Promise<ThreadResponse> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...body });
    });
  }
}

class ThreadConnection implements DatabaseConnection {
  constructor(private readonly client: ThreadClient) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const response = await this.client.request({ sql: query.sql, parameters: query.parameters });
    if ("error" in response) throw new TraceThreadError(response.error.message, response.error.code, response.error.detail);
    return { rows: response.rows as R[], ...(response.affectedRows === undefined ? {} : { numAffectedRows: BigInt(response.affectedRows) }) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The trace database does not stream results.");
  }
}

/** One connection, held by one caller at a time (a transaction's statements must not interleave with others). */
class ThreadDriver implements Driver {
  private readonly connection: ThreadConnection;
  private held: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(private readonly client: ThreadClient) {
    this.connection = new ThreadConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.held;
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async destroy(): Promise<void> {
    await this.client.request({ close: true }).catch(() => {});
  }
}

const threadDialect = (client: ThreadClient): Dialect => ({
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => new ThreadDriver(client),
  createIntrospector: (db) => new PostgresIntrospector(db),
  createQueryCompiler: () => new PostgresQueryCompiler(),
});

export interface ThreadDatabase {
  readonly db: Kysely<DB>;
  /** The thread (tests end it to see that a lost thread fails queries instead of hanging them). */
  readonly worker: Worker;
  /** Closes the database (its pending statements run first) and ends the thread. */
  readonly close: () => Promise<void>;
}

/** Starts the thread, opens (or creates) the database in `dataDir` and applies the trace migrations. */
export const openThreadDatabase = async (dataDir: string): Promise<ThreadDatabase> => {
  mkdirSync(dataDir, { recursive: true });
  // No inherited flags: the app's instrumentation preload and TypeScript loader have no business here.
  const worker = new Worker(new URL("./database-thread.ts", import.meta.url), { workerData: { dataDir }, execArgv: [] });
  // The layer closes it; should the process end first, the thread must not keep it alive.
  worker.unref();
  const ready = await new Promise<{ ready: boolean; message?: string }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    // A thread that ends before it says whether the database opened (it failed to load) must not leave this waiting.
    worker.once("exit", (code) => resolve({ ready: false, message: `the thread exited (code ${code})` }));
  });
  if (!ready.ready) {
    await worker.terminate();
    throw new Error(`the trace database in ${dataDir} did not open: ${ready.message}`);
  }
  const db = new Kysely<DB>({ dialect: threadDialect(new ThreadClient(worker)) });
  try {
    await Effect.runPromise(migrateToLatest(db, TRACE_MIGRATIONS).pipe(Effect.mapError((error) => error.cause)));
  } catch (error) {
    await db.destroy();
    await worker.terminate();
    throw error;
  }
  return {
    db,
    worker,
    close: async () => {
      await db.destroy();
      await worker.terminate();
    },
  };
};
