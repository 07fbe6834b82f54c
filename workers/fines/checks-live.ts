/**
 * FinesChecks on the job queue: a check's row and its job are written in one transaction (a job
 * exists exactly when the check does), then the fines workers are woken.
 */
import { Effect, Layer } from "effect";
import { randomUUID } from "node:crypto";
import { Database } from "../../knowledge/db/database.ts";
import { FinesCheckError, FinesChecks, insertCheck, makeCheckStore } from "../../knowledge/fines/checks.ts";
import { JobQueue, type QueueSettings } from "../queue.ts";

export const FINES_QUEUE = "fines-checks";

export interface FinesJobData {
  readonly checkId: string;
  readonly traceparent?: string | undefined;
}

/** A dead worker's job is retried after the heartbeat lapses (pg-boss's minimum, 10 s). */
export const FINES_HEARTBEAT_SECONDS = 10;

export const finesQueueSettings: QueueSettings = {
  policy: "standard",
  heartbeatSeconds: FINES_HEARTBEAT_SECONDS,
  expireInSeconds: 5 * 60,
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 60,
  deleteAfterSeconds: 24 * 60 * 60,
};

export const FinesChecksLive = Layer.effect(
  FinesChecks,
  Effect.gen(function* () {
    const queue = yield* JobQueue;
    const { use } = yield* Database;
    yield* queue.define(FINES_QUEUE, finesQueueSettings);
    const store = yield* makeCheckStore;
    return FinesChecks.of({
      ...store,
      start: (check) =>
        use("fines_checks.start", (db) =>
          db.transaction().execute(async (trx) => {
            const stored = await insertCheck(trx, `fc_${randomUUID()}`, check);
            const data: FinesJobData = { checkId: stored.id, traceparent: check.traceparent };
            await queue.sendInTransaction(trx, FINES_QUEUE, data);
            return stored;
          }),
        ).pipe(
          Effect.mapError((error) => new FinesCheckError({ operation: "start", cause: error.cause })),
          Effect.tap(() => Effect.sync(() => queue.announce(FINES_QUEUE))),
          Effect.withSpan("fines.check.start"),
        ),
    });
  }),
).pipe(Layer.provide(JobQueue.layer));
