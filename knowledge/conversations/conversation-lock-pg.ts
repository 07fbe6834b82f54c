/**
 * Per-conversation serialisation across instances: the turns of one conversation run one at a
 * time whichever instance receives them, using PostgreSQL session-level advisory locks.
 *
 * - In process first: the in-process lock keeps arrival order among this instance's turns, and
 *   at most one of them per conversation asks the database.
 * - Then the database: `pg_try_advisory_lock(<namespace>, hashtext(id))` on one dedicated lock
 *   session per instance (its own connection, outside the query pool, so long turns never hold
 *   pool connections). A held lock is retried with a short backoff (5 ms doubling to 100 ms) until
 *   the other instance's turn ends. Non-blocking attempts make waiting interruptible at any
 *   point: nothing is left queued on the server. The two-key form keeps our keys apart from other
 *   users of advisory locks (e.g. a job queue's bigint keys); a hash collision between two
 *   conversations only serialises them.
 * - Release: `pg_advisory_unlock` on the same session, always (success, failure, interruption).
 *   If the session was lost meanwhile, the server already released its locks; an unlock that
 *   fails or hangs closes the session, which releases them too.
 * - Database unavailable (connection refused, restart): the turn runs under the in-process lock
 *   only, with a warning; its own store calls then fail and the channel answers 503. A restart
 *   while a turn runs drops the session and its locks: the turn's writes fail the same way.
 *
 * Embedded PGlite is one process, so the in-process lock alone suffices there (the layer picks
 * it). PGlite shared over a socket (pglite-socket) multiplexes every client onto its single
 * backend session, where advisory locks are re-entrant, so they would not exclude anything:
 * instances must not share a PGlite; use PostgreSQL.
 */
import { Effect, Layer, Redacted } from "effect";
import pg from "pg";
import { ConversationLock, makeInProcessLock, type ConversationLockShape } from "../../core/conversation-lock.ts";
import { Database } from "../db/database.ts";

/** First key of our advisory locks ("KAVK"); the second is hashtext(conversation id). */
export const LOCK_NAMESPACE = 1_262_573_131;

export interface PgConversationLockOptions {
  /** Backoff between attempts while another instance holds the lock (ms). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** An attempt or an unlock taking longer than this closes the lock session (ms). */
  readonly queryTimeoutMs?: number;
  /** After waiting this long the turn runs anyway, logged as an error (a hung instance). */
  readonly maxWaitMs?: number;
}

export interface PgConversationLockStats {
  /** Turns that held the database lock. */
  acquired: number;
  /** Turns that found the lock taken by another session at least once. */
  contended: number;
  /** Turns that ran without the database lock because the database was unavailable. */
  unavailable: number;
  /** Lock sessions opened (1 + reconnections). */
  sessions: number;
}

interface Session {
  readonly client: pg.Client;
  readonly generation: number;
}

type Attempt = { readonly type: "held"; readonly session: Session } | { readonly type: "busy" } | { readonly type: "unavailable"; readonly reason: string };

const withTimeout = <A>(promise: Promise<A>, ms: number, onTimeout: () => void): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** The lock over a PostgreSQL connection string; `close` ends the lock session. */
export const makePgConversationLock = (url: Redacted.Redacted<string>, options: PgConversationLockOptions = {}) => {
  const retryMinMs = options.retryMinMs ?? 5;
  const retryMaxMs = options.retryMaxMs ?? 100;
  const queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const local = makeInProcessLock();
  const stats: PgConversationLockStats = { acquired: 0, contended: 0, unavailable: 0, sessions: 0 };

  let current: Session | undefined;
  let connecting: Promise<Session> | undefined;
  let generation = 0;
  let closed = false;
  let lastWarning = 0;

  /** Forgets a session (its locks die with its connection). */
  const discard = (session: Session) => {
    if (current?.generation !== session.generation) return;
    current = undefined;
    session.client.end().catch(() => {});
  };

  const openSession = async (): Promise<Session> => {
    const client = new pg.Client({
      connectionString: Redacted.value(url),
      keepAlive: true,
      connectionTimeoutMillis: queryTimeoutMs,
      application_name: "kavak-agent-lock",
    });
    const session: Session = { client, generation: ++generation };
    // A lost connection must never be an uncaught 'error' event; the next attempt reconnects.
    client.on("error", () => discard(session));
    client.on("end", () => discard(session));
    try {
      await client.connect();
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      client.end().catch(() => {});
      throw new Error("conversation lock closed");
    }
    stats.sessions += 1;
    current = session;
    return session;
  };

  const sessionNow = (): Promise<Session> => {
    if (current) return Promise.resolve(current);
    connecting ??= openSession().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const tryOnce = async (conversationId: string): Promise<Attempt> => {
    let session: Session | undefined;
    try {
      session = await sessionNow();
      const opened = session;
      const result = await withTimeout(
        opened.client.query<{ ok: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as ok", [LOCK_NAMESPACE, conversationId]),
        queryTimeoutMs,
        () => discard(opened),
      );
      // The session may have been lost while the answer was on its way: then nothing is held.
      if (current?.generation !== opened.generation) return { type: "unavailable", reason: "lock session lost" };
      return result.rows[0]?.ok ? { type: "held", session: opened } : { type: "busy" };
    } catch (error) {
      if (session) discard(session);
      return { type: "unavailable", reason: error instanceof Error ? error.message : String(error) };
    }
  };

  const unlock = async (conversationId: string, session: Session) => {
    if (current?.generation !== session.generation) return; // the session is gone, and its locks with it
    try {
      await withTimeout(session.client.query("select pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, conversationId]), queryTimeoutMs, () => discard(session));
    } catch {
      discard(session);
    }
  };

  const warnUnavailable = (reason: string) =>
    Effect.suspend(() => {
      stats.unavailable += 1;
      const now = Date.now();
      if (now - lastWarning < 5_000) return Effect.void;
      lastWarning = now;
      return Effect.logWarning(`conversation lock: database unavailable (${reason}); turns run under the in-process lock only`);
    });

  const withDatabaseLock = <A, E, R>(conversationId: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      /** Set inside an uninterruptible attempt, so a lock taken is always released below. */
      const state: { held?: Session } = {};
      const started = Date.now();
      let delay = retryMinMs;
      let contended = false;
      const attempt = Effect.uninterruptible(
        Effect.promise(() => tryOnce(conversationId)).pipe(
          Effect.tap((result) =>
            Effect.sync(() => {
              if (result.type === "held") state.held = result.session;
            }),
          ),
        ),
      );
      const acquire: Effect.Effect<void> = attempt.pipe(
        Effect.flatMap((result): Effect.Effect<void> => {
          if (result.type === "held") {
            stats.acquired += 1;
            return Effect.void;
          }
          if (result.type === "unavailable") return warnUnavailable(result.reason);
          if (!contended) {
            contended = true;
            stats.contended += 1;
          }
          if (Date.now() - started > maxWaitMs)
            return Effect.logError(`conversation lock: ${conversationId} held elsewhere for over ${maxWaitMs} ms; running the turn anyway`);
          const wait = Math.round(delay * (0.75 + Math.random() * 0.5));
          delay = Math.min(retryMaxMs, delay * 2);
          return Effect.sleep(`${wait} millis`).pipe(Effect.andThen(Effect.suspend(() => acquire)));
        }),
      );
      const release = Effect.suspend(() => {
        const session = state.held;
        state.held = undefined;
        return session ? Effect.promise(() => unlock(conversationId, session)) : Effect.void;
      });
      return acquire.pipe(Effect.andThen(effect), Effect.ensuring(release));
    });

  const lock: ConversationLockShape = {
    withLock: (conversationId, effect) => local.withLock(conversationId, withDatabaseLock(conversationId, effect)),
  };
  return {
    lock,
    stats,
    close: async () => {
      closed = true;
      const session = current ?? (await connecting?.catch(() => undefined));
      current = undefined;
      await session?.client.end().catch(() => {});
    },
  };
};

/**
 * The conversation lock for the configured database: advisory locks on PostgreSQL (several
 * instances may share it), the in-process lock on embedded PGlite (one process by construction).
 */
export const ConversationLockLive = Layer.effect(
  ConversationLock,
  Effect.gen(function* () {
    const database = yield* Database;
    if (database.kind !== "postgres" || !database.url) return ConversationLock.of(makeInProcessLock());
    const { lock } = yield* Effect.acquireRelease(
      Effect.sync(() => makePgConversationLock(database.url!)),
      ({ close }) => Effect.promise(close),
    );
    return ConversationLock.of(lock);
  }),
);
