/**
 * The job queue: pg-boss on the application's own database, PostgreSQL (a small pool of its own,
 * from DATABASE_URL) or the embedded PGlite (in process, through pg-boss's PGlite adapter; PGlite
 * serialises statements, so pg-boss and Kysely share the one session safely). pg-boss keeps its
 * tables in the `pgboss` schema and installs or migrates them at start.
 *
 * - Enqueue inside the caller's transaction (`sendInTransaction`): a job exists exactly when the
 *   caller's own writes commit. After the commit, `announce` wakes this process's idle workers at
 *   once and the other processes' with a NOTIFY on `job_queue` (sent apart from the caller's
 *   transaction, coalesced, never awaited: a NOTIFY inside it would serialise every commit on
 *   PostgreSQL's notification lock; a lost one costs at most a poll interval).
 * - Workers (`work`) fetch one job at a time and fetch again at once after a job, so a backlog drains
 *   at the speed of the handlers; a worker that finds a job wakes the idle ones. Idle, they wait for
 *   a NOTIFY, and one of them polls every `pollMs` (due retries and delayed jobs announce nothing).
 *   While a handler runs, the job's heartbeat is refreshed every half `heartbeatSeconds`; a process
 *   that dies stops refreshing it, and pg-boss's supervisor (any instance) fails the job into a retry
 *   after `heartbeatSeconds`. A handler whose claim was taken away (heartbeat lost) is interrupted.
 * - Success completes the job, failure fails it (pg-boss retries it with the queue's back-off), and
 *   both are fenced to the attempt that was fetched, so a late settle cannot touch a newer attempt.
 * - Stopping (the layer's scope closing) stops fetching, gives running handlers `drainMs` to finish,
 *   interrupts the rest and fails them so another instance retries them, then stops pg-boss.
 */
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { Cause, Context, Data, Effect, Exit, Fiber, Layer, Redacted, type Scope } from "effect";
import { sql, type Kysely } from "kysely";
import { PgBoss, type JobOptions, type Queue } from "pg-boss";
import { fromKysely, fromPglite } from "pg-boss/dist/adapters/index.js";
import { Database } from "../knowledge/db/database.ts";
import type { DB } from "../knowledge/db/schema.ts";
import { warnOncePerOutage } from "./outage.ts";

/** At most one wake-up NOTIFY per queue in this interval (more announcements ride on the next one). */
const NOTIFY_MIN_GAP_MS = 5;
/**
 * Idle workers beyond the one that polls look again after this many poll intervals (a safety net:
 * a job found or announced wakes them at once).
 */
const IDLE_PEER_POLL_FACTOR = 30;
const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** pg-boss's schema. */
export const QUEUE_SCHEMA = "pgboss";
/** NOTIFY channel that wakes idle workers; the payload is the queue's name. */
export const WAKE_CHANNEL = "job_queue";

export class QueueError extends Data.TaggedError("QueueError")<{ readonly operation: string; readonly cause: unknown }> {}

/** The job's claim went to another attempt (its heartbeat was not seen in time). */
class ClaimLost extends Data.TaggedError("ClaimLost")<{ readonly jobId: string }> {}

/** A job as a handler sees it. */
export interface QueueJob<T> {
  readonly id: string;
  readonly queue: string;
  readonly data: T;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  /** Retries the job may have; the attempt with retryCount === retryLimit is its last. */
  readonly retryLimit: number;
}

/** A queue's policy, retries, expiry and heartbeat (pg-boss's queue options). */
export type QueueSettings = Omit<Queue, "name">;

export interface WorkOptions {
  /** Jobs of this queue run at most this many at a time in this process. */
  readonly concurrency: number;
  /** Idle workers look for due jobs (retries whose back-off ended) at least this often. Default 1000 ms. */
  readonly pollMs?: number;
  /** When stopping, running jobs get this long to finish before they are interrupted. Default 10 s. */
  readonly drainMs?: number;
  /** Runs before each fetch: a worker takes a job only once it completes (see workers/headroom.ts). */
  readonly admit?: Effect.Effect<void>;
}

export interface JobQueueShape {
  readonly backend: "postgres" | "pglite";
  /** Creates the queue if missing and brings its settings up to date (the policy of an existing queue cannot change). */
  readonly define: (name: string, settings: QueueSettings) => Effect.Effect<void, QueueError>;
  /**
   * Enqueues a job within the caller's Kysely transaction (`db.transaction().execute(trx => ...)`):
   * the job exists exactly when the transaction commits. Call `announce` once it has.
   */
  readonly sendInTransaction: (trx: Kysely<DB>, name: string, data: object, options?: JobOptions) => Promise<string | null>;
  /** Enqueues several jobs with one statement within the caller's transaction (as `sendInTransaction`). */
  readonly insertInTransaction: (trx: Kysely<DB>, name: string, jobs: ReadonlyArray<{ readonly data: object; readonly singletonKey?: string }>) => Promise<void>;
  /** Wakes idle workers of the queue, here at once and in other processes with a (coalesced) NOTIFY. Never fails. */
  readonly announce: (name: string) => void;
  /** Wakes this process's waiters for `name` only (no NOTIFY). */
  readonly wakeHere: (name: string) => void;
  /**
   * Waits until `name` is announced (here or, by NOTIFY, in another process) or `ms` pass. For work
   * that is not a pg-boss queue but is woken the same way (e.g. the WhatsApp inbox relay).
   */
  readonly waitForAnnouncement: (name: string, ms: number) => Effect.Effect<void>;
  /** Runs `options.concurrency` workers on the queue for as long as the scope lives. */
  readonly work: <T, R>(
    name: string,
    options: WorkOptions,
    handler: (job: QueueJob<T>) => Effect.Effect<void, unknown, R>,
  ) => Effect.Effect<void, never, Scope.Scope | R>;
  /** The pg-boss instance, for operations and tests (findJobs, getQueue, ...). */
  readonly boss: PgBoss;
}

export interface JobQueueOptions {
  /**
   * Run pg-boss's supervisor here (expiry, lost heartbeats, maintenance). Default true; instances
   * that run no workers turn it off, since any worker instance supervises every queue.
   */
  readonly supervise?: boolean;
  /** How often an instance runs pg-boss's supervisor (expiry, lost heartbeats). Default 5 s. */
  readonly superviseIntervalSeconds?: number;
  /** Connections of pg-boss's own pool on PostgreSQL. Default 4. */
  readonly poolSize?: number;
}

/**
 * Resolves every waiter at once; a waiter also gives up after its own timeout. A wake-up that finds
 * nobody waiting (everyone busy) is kept for the next waiter, so work announced meanwhile is not left
 * to the poll.
 */
const makeWakeUp = () => {
  const waiters = new Set<() => void>();
  let missed = false;
  /** Wakes whoever waits now; nothing is kept for later. */
  const wakeWaiting = () => {
    for (const wake of [...waiters]) wake();
  };
  return {
    wakeAll: () => {
      if (waiters.size === 0) missed = true;
      wakeWaiting();
    },
    wakeWaiting,
    wait: (ms: number) =>
      Effect.callback<void>((resume) => {
        if (missed) {
          missed = false;
          resume(Effect.void);
          return;
        }
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resume(Effect.void);
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
        return Effect.sync(() => {
          clearTimeout(timer);
          waiters.delete(done);
        });
      }),
  };
};

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** One line for a failed attempt: the error's tag or name, its message, and what caused it. */
const summarize = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause) as { _tag?: string; name?: string; message?: string; cause?: unknown } | undefined;
  if (typeof error !== "object" || error === null) return String(error);
  const inner = error.cause instanceof Error ? ` <- ${error.cause.message || error.cause.name}` : "";
  return `${error._tag ?? error.name ?? "Error"}${error.message ? `: ${error.message}` : ""}${inner}`.slice(0, 500);
};

const makeJobQueue = (options: JobQueueOptions) =>
  Effect.gen(function* () {
    const database = yield* Database;
    const common = {
      schema: QUEUE_SCHEMA,
      supervise: options.supervise ?? true,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 5,
      monitorIntervalSeconds: options.superviseIntervalSeconds ?? 5,
      // Workers here wait on the application's own NOTIFY (below), not on pg-boss's listener.
      useListenNotify: false,
      openTelemetry: { enabled: false },
    };
    const boss = database.pglite
      ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: "pglite" })
      : new PgBoss({ ...common, connectionString: Redacted.value(database.url!), max: options.poolSize ?? 4, application_name: "kavak-agent-queue" });
    boss.on("error", (error) => Effect.runFork(Effect.logWarning(`job queue: ${describe(error)}`)));

    yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => boss.start(), catch: (cause) => new QueueError({ operation: "start", cause }) }),
      () =>
        Effect.promise(() => boss.stop({ graceful: false, close: true, timeout: 5_000 }).catch(() => undefined)).pipe(
          Effect.andThen(Effect.logDebug("job queue stopped")),
        ),
    );

    const wakeQueues = new Map<string, ReturnType<typeof makeWakeUp>>();
    const wakerFor = (name: string) => {
      let waker = wakeQueues.get(name);
      if (!waker) wakeQueues.set(name, (waker = makeWakeUp()));
      return waker;
    };
    yield* database.listen(WAKE_CHANNEL, (event) => {
      if (event.type === "notification") wakeQueues.get(event.payload)?.wakeAll();
      // After a reconnection notifications may have been missed: everyone looks once.
      else if (event.type === "connected") for (const waker of wakeQueues.values()) waker.wakeAll();
    });

    const call = <A>(operation: string, run: () => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (cause) => new QueueError({ operation, cause }) });

    const define: JobQueueShape["define"] = (name, settings) =>
      Effect.gen(function* () {
        const existing = yield* call("getQueue", () => boss.getQueue(name));
        if (!existing) {
          yield* call("createQueue", () => boss.createQueue(name, settings)).pipe(
            // Another instance may have created it between the two calls.
            Effect.catch((error) =>
              call("getQueue", () => boss.getQueue(name)).pipe(Effect.flatMap((queue) => (queue ? Effect.void : Effect.fail(error)))),
            ),
          );
        } else {
          const { policy: _policy, partition: _partition, ...changeable } = settings;
          yield* call("updateQueue", () => boss.updateQueue(name, changeable));
        }
      });

    const sendInTransaction: JobQueueShape["sendInTransaction"] = (trx, name, data, jobOptions = {}) => boss.send(name, data, { ...jobOptions, db: fromKysely(trx) });
    const insertInTransaction: JobQueueShape["insertInTransaction"] = async (trx, name, jobs) => {
      if (jobs.length > 0) await boss.insert(name, [...jobs], { db: fromKysely(trx) });
    };

    // One NOTIFY per queue in flight at a time: announcements arriving meanwhile ride on the next one.
    const notifying = new Map<string, "sending" | "again">();
    const notifyOthers = (name: string) => {
      if (database.pglite) return; // one process: the local wake is enough
      if (notifying.has(name)) {
        notifying.set(name, "again");
        return;
      }
      notifying.set(name, "sending");
      // A background wake-up, not part of the request that announced it: no span in its trace.
      void context
        .with(ROOT_CONTEXT, () => sql`select pg_notify(${WAKE_CHANNEL}, ${name})`.execute(database.db))
        .catch(() => undefined)
        // Announcements arriving within the next few ms share one NOTIFY (each is a round trip).
        .then(() => sleepMs(NOTIFY_MIN_GAP_MS))
        .then(() => {
          const again = notifying.get(name) === "again";
          notifying.delete(name);
          if (again) notifyOthers(name);
        });
    };
    const announce: JobQueueShape["announce"] = (name) => {
      wakerFor(name).wakeAll();
      notifyOthers(name);
    };

    const work: JobQueueShape["work"] = (name, workOptions, handler) =>
      Effect.gen(function* () {
        const pollMs = workOptions.pollMs ?? 1_000;
        const drainMs = workOptions.drainMs ?? 10_000;
        const waker = wakerFor(name);
        let stopping = false;
        /** Whether one of this queue's idle workers is waiting out the poll interval. */
        let polling = false;

        const settle = (job: QueueJob<unknown>, exit: Exit.Exit<void, unknown>) => {
          const attempt = { id: job.id, retryCount: job.retryCount };
          if (Exit.isSuccess(exit)) return call("complete", () => boss.complete(name, attempt));
          const reason = Exit.hasInterrupts(exit) ? "interrupted (worker stopping)" : summarize(exit.cause);
          return call("fail", () => boss.fail(name, attempt, { message: reason.slice(0, 2_000) }));
        };

        /** Refreshes the heartbeat; fails only when the claim is gone. */
        const heartbeat = (job: QueueJob<unknown>, seconds: number) =>
          Effect.gen(function* () {
            for (;;) {
              yield* Effect.sleep(`${Math.max(1, seconds / 2)} seconds`);
              const touched = yield* call("touch", () => boss.touch(name, { id: job.id, retryCount: job.retryCount })).pipe(
                Effect.map((response) => (response as { affected?: number }).affected ?? 1),
                // A heartbeat that could not run says nothing about the claim.
                Effect.orElseSucceed(() => 1),
              );
              if (touched === 0) {
                yield* Effect.logWarning(`job queue: ${name} job ${job.id} was taken away (heartbeat lost); stopping its handler`);
                return yield* new ClaimLost({ jobId: job.id });
              }
            }
          });

        /** Runs the handler (interruptible), then settles the attempt whatever happened (not interruptible). */
        const runOne = (raw: { id: string; data: unknown; retryCount: number; retryLimit?: number; heartbeatSeconds: number | null }) =>
          Effect.uninterruptibleMask((restore) =>
            Effect.gen(function* () {
              const job: QueueJob<unknown> = { id: raw.id, queue: name, data: raw.data, retryCount: raw.retryCount, retryLimit: raw.retryLimit ?? 0 };
              const handled = handler(job as QueueJob<never>).pipe(
                Effect.withSpan(`job ${name}`, { attributes: { "messaging.system": "pg-boss", "messaging.message.id": job.id, "job.retry_count": job.retryCount } }),
              );
              const guarded = raw.heartbeatSeconds ? Effect.raceFirst(handled, heartbeat(job, raw.heartbeatSeconds)) : handled;
              const exit = yield* Effect.exit(restore(guarded));
              if (Exit.isFailure(exit) && !Exit.hasInterrupts(exit)) {
                const retried = job.retryCount < job.retryLimit ? "it will be retried" : "it was the last attempt";
                yield* Effect.logWarning(`job queue: ${name} job ${job.id} attempt ${job.retryCount + 1} failed (${summarize(exit.cause)}); ${retried}`);
              }
              yield* settle(job, exit).pipe(Effect.catch((error) => Effect.logWarning(`job queue: could not settle ${name} job ${job.id}: ${describe(error.cause)}`)));
            }),
          );

        // One warning per outage, not one per poll and worker.
        const guarded = warnOncePerOutage();
        const loop = Effect.gen(function* () {
          while (!stopping) {
            if (workOptions.admit) yield* workOptions.admit;
            const jobs = yield* guarded(
              call("fetch", () => boss.fetch(name, { batchSize: 1, includeMetadata: true })),
              (error) => `job queue: fetching from ${name} fails (${describe(error.cause)}); retrying`,
              [],
            );
            const job = jobs[0];
            if (!job) {
              if (stopping) continue;
              // One idle worker polls; the others wait for a wake-up (an announcement, or a worker
              // that found a job), and look on their own only now and then.
              if (polling) yield* waker.wait(IDLE_PEER_POLL_FACTOR * pollMs);
              else {
                polling = true;
                yield* Effect.ensuring(waker.wait(pollMs), Effect.sync(() => (polling = false)));
              }
              continue;
            }
            // There may be more: idle workers look too (and one of them takes over the polling).
            waker.wakeWaiting();
            // The job runs to its end even while stopping; only the drain deadline interrupts it.
            yield* runOne(job);
          }
        });

        const fibers: Fiber.Fiber<void>[] = [];
        for (let slot = 0; slot < Math.max(1, workOptions.concurrency); slot++) fibers.push(yield* Effect.forkScoped(loop));
        // Runs before the forked fibers are interrupted (finalizers run in reverse order).
        yield* Effect.addFinalizer(() =>
          Effect.gen(function* () {
            stopping = true;
            waker.wakeAll();
            const drained = yield* Effect.timeoutOption(Fiber.awaitAll(fibers), `${drainMs} millis`);
            if (drained._tag === "None") {
              yield* Effect.logWarning(`job queue: ${name} jobs still running after ${drainMs} ms; interrupting them (they will be retried)`);
            }
          }),
        );
      });

    const waitForAnnouncement: JobQueueShape["waitForAnnouncement"] = (name, ms) => wakerFor(name).wait(ms);
    const wakeHere: JobQueueShape["wakeHere"] = (name) => wakerFor(name).wakeAll();

    return JobQueue.of({ backend: database.pglite ? "pglite" : "postgres", define, sendInTransaction, insertInTransaction, announce, wakeHere, waitForAnnouncement, work, boss });
  });

export class JobQueue extends Context.Service<JobQueue, JobQueueShape>()("JobQueue") {
  static readonly layerWith = (options: JobQueueOptions = {}) => Layer.effect(JobQueue, makeJobQueue(options));
  static readonly layer = JobQueue.layerWith();
}
