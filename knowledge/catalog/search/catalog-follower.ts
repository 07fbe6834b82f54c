/**
 * Every instance's search index follows the catalog in the database (issue 12: an admin change on
 * one instance must show in every instance's search).
 *
 * The cars table carries a version (migration 0005): every statement that changes cars bumps
 * `catalog_state.version` in its own transaction, logs the touched stock ids in
 * `catalog_changes` and sends NOTIFY catalog_changed. This layer wraps a search engine layer:
 * - it remembers which version the index holds (read before the index is built, so a change
 *   made meanwhile is applied again, harmlessly);
 * - a notification, a (re)connection of the listener, or the periodic version poll (the fallback
 *   for missed notifications) wakes a catch-up: in one repeatable-read snapshot it reads the
 *   current version and the current rows of every stock id changed since, upserts those rows
 *   and removes the ids that are gone. Too far behind (log pruned) or too many changes: a full
 *   rebuild from the cars table;
 * - catch-ups run one at a time, so the index only moves forward;
 * - upsert/remove (called by CatalogAdmin after its database write commits) are catch-ups too:
 *   the writer's index is current before the admin's answer, and a concurrent change of the
 *   same car on another instance can never be overwritten by an older copy;
 * - status() reports the index's version, the newest version heard of, and since when the
 *   index is behind, for /health.
 *
 * With Meilisearch configured, each instance's catch-up writes the changed cars to Meilisearch
 * too (idempotent upserts by stock id), besides its own embedded fallback index.
 * On embedded PGlite (one process) the same code runs: PGlite delivers NOTIFY in process; the
 * poll is off there because no other process can change the database.
 */
import { Context, Effect, Layer, Option, Queue, Semaphore } from "effect";
import type { Kysely } from "kysely";
import { carFromRow, type CarStore } from "../car-store.ts";
import type { Car } from "../car.ts";
import { Database, type DatabaseShape } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import { CatalogSearch, type CatalogSearchShape, type CatalogSyncStatus } from "./catalog-search.ts";
import { CatalogSearchError } from "./errors.ts";

export const CATALOG_CHANNEL = "catalog_changed";

export interface CatalogFollowOptions {
  /** Poll the version this often (ms) in case a notification was missed; 0 turns it off. Default 500 on PostgreSQL, off on PGlite. */
  readonly pollEveryMs?: number;
  /** More changed cars than this since the index's version: rebuild in full instead. */
  readonly fullRebuildAbove?: number;
}

type Changes =
  | { readonly type: "none"; readonly version: number }
  | { readonly type: "full"; readonly version: number }
  | { readonly type: "some"; readonly version: number; readonly upserted: ReadonlyArray<Car>; readonly removed: ReadonlyArray<number> };

const readVersion = (database: DatabaseShape) =>
  database.use("catalog.version", (db) => db.selectFrom("catalog_state").select("version").where("id", "=", 1).executeTakeFirstOrThrow()).pipe(
    Effect.map((row) => Number(row.version)),
  );

/** What changed after `since`, as of one consistent snapshot. */
const readChanges = (database: DatabaseShape, since: number, fullRebuildAbove: number) =>
  database.use("catalog.changes", (db: Kysely<DB>) =>
    db
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute(async (trx): Promise<Changes> => {
        const state = await trx.selectFrom("catalog_state").select(["version", "pruned_through"]).where("id", "=", 1).executeTakeFirstOrThrow();
        const version = Number(state.version);
        if (version <= since) return { type: "none", version };
        if (since < Number(state.pruned_through)) return { type: "full", version };
        const changed = await trx
          .selectFrom("catalog_changes")
          .select("stock_id")
          .distinct()
          .where("version", ">", String(since) as never)
          .limit(fullRebuildAbove + 1)
          .execute();
        if (changed.length > fullRebuildAbove) return { type: "full", version };
        const ids = changed.map((row) => row.stock_id);
        const rows = ids.length === 0 ? [] : await trx.selectFrom("cars").selectAll().where("stock_id", "in", ids).execute();
        const present = new Set(rows.map((row) => row.stock_id));
        return { type: "some", version, upserted: rows.map(carFromRow), removed: ids.filter((id) => !present.has(id)) };
      }),
  );

const asSearchError = (operation: string) => (error: { readonly cause: unknown; readonly operation: string }) =>
  new CatalogSearchError({ engine: "embedded", operation, message: `could not read the catalog version (${error.operation})`, cause: error.cause });

const VERSION_READS = new Set(["catalog_version", "catalog_changes"]);
const isVersionReadError = (error: CatalogSearchError) => VERSION_READS.has(error.operation);

/** Wraps a search engine layer so its index follows the catalog version (see the module comment). */
export const followingCatalog = <E>(engine: Layer.Layer<CatalogSearch, E, CarStore>, options: CatalogFollowOptions = {}) =>
  Layer.effect(
    CatalogSearch,
    Effect.gen(function* () {
      const database = yield* Database;
      const pollEveryMs = options.pollEveryMs ?? (database.kind === "postgres" ? 500 : 0);
      const fullRebuildAbove = options.fullRebuildAbove ?? 2_000;
      // Read before the index is built: whatever changes meanwhile is newer and gets applied.
      const startVersion = yield* readVersion(database).pipe(Effect.mapError(asSearchError("catalog_version")));
      const inner = Context.get(yield* Layer.build(engine), CatalogSearch);
      const state = {
        indexed: startVersion,
        latest: startVersion,
        behindSince: undefined as number | undefined,
        listening: false,
        lastError: undefined as string | undefined,
      };
      const heard = (version: number) => {
        if (!Number.isFinite(version) || version <= state.latest) return;
        state.latest = version;
        if (version > state.indexed) state.behindSince ??= Date.now();
      };
      const mutex = Semaphore.makeUnsafe(1);

      /** Brings the index to the database's current version; one at a time. */
      const catchUp: Effect.Effect<void, CatalogSearchError> = Semaphore.withPermit(
        mutex,
        Effect.gen(function* () {
          const changes = yield* readChanges(database, state.indexed, fullRebuildAbove).pipe(Effect.mapError(asSearchError("catalog_changes")));
          heard(changes.version);
          if (changes.type === "none") return;
          // The embedded part of every engine applies before anything can fail (a Meilisearch
          // error): the index has moved to this version either way, and the error is reported.
          const applied =
            changes.type === "full"
              ? yield* inner.rebuild().pipe(Effect.result)
              : yield* Effect.gen(function* () {
                  if (changes.upserted.length > 0) yield* inner.upsert(changes.upserted);
                  if (changes.removed.length > 0) yield* inner.remove(changes.removed);
                }).pipe(Effect.result);
          state.indexed = Math.max(state.indexed, changes.version);
          if (state.indexed >= state.latest) state.behindSince = undefined;
          yield* Effect.annotateCurrentSpan({ "catalog.version": changes.version, "catalog.sync": changes.type });
          if (applied._tag === "Failure") return yield* Effect.fail(applied.failure);
        }),
      ).pipe(Effect.withSpan("catalog_search.catch_up"));

      const wake = yield* Queue.sliding<void>(1);
      const signal = () => void Queue.offerUnsafe(wake, undefined);

      yield* database.listen(CATALOG_CHANNEL, (event) => {
        if (event.type === "disconnected") {
          state.listening = false;
          return;
        }
        if (event.type === "connected") {
          state.listening = true;
          // Notifications sent while disconnected are lost: look now.
          signal();
          return;
        }
        heard(Number(event.payload));
        signal();
      });

      const recovered = Effect.suspend(() => {
        if (state.lastError === undefined) return Effect.void;
        state.lastError = undefined;
        return Effect.logInfo(`catalog follower: in sync again at catalog version ${state.indexed}`);
      });

      /** Wakes on a notification, or polls the version now and then; failures wait for the next round. */
      const round = Effect.gen(function* () {
        const woken = pollEveryMs > 0 ? yield* Queue.take(wake).pipe(Effect.timeoutOption(`${pollEveryMs} millis`)) : Option.some(yield* Queue.take(wake));
        if (Option.isNone(woken)) {
          // Twice a second on every instance: not traced (a trace per poll would crowd out the real ones).
          const version = yield* readVersion(database).pipe(Effect.withTracerEnabled(false), Effect.mapError(asSearchError("catalog_version")));
          heard(version);
          if (version <= state.indexed) return yield* recovered;
        }
        yield* catchUp;
        yield* recovered;
      }).pipe(
        Effect.catch((error: CatalogSearchError) =>
          Effect.gen(function* () {
            const message = `${error.operation}: ${error.message}`;
            if (state.lastError !== message) yield* Effect.logWarning(`catalog follower: ${message}; retrying`);
            state.lastError = message;
            // A failing database is not asked twice a second by the poll alone.
            if (pollEveryMs === 0) yield* Effect.sleep("1 second");
          }),
        ),
      );
      yield* Effect.forkScoped(Effect.forever(round));
      // The listener's state is only known through its events; the PGlite one is always up.
      if (database.kind === "pglite") state.listening = true;

      const status: CatalogSearchShape["status"] = () =>
        inner.status().pipe(
          Effect.map((engineStatus) => ({
            ...engineStatus,
            sync: {
              indexedVersion: state.indexed,
              latestKnownVersion: state.latest,
              behindSince: state.behindSince,
              listening: state.listening,
              lastError: state.lastError,
            } satisfies CatalogSyncStatus,
          })),
        );

      return CatalogSearch.of({
        search: inner.search,
        // The database is the source of truth: a write is visible here once it is committed there.
        // If the database cannot be read right after the write, the engine gets the cars as given
        // (the version did not move, so the next catch-up re-reads them from the database).
        upsert: (cars) => catchUp.pipe(Effect.catchIf(isVersionReadError, () => inner.upsert(cars))),
        remove: (stockIds) => catchUp.pipe(Effect.catchIf(isVersionReadError, () => inner.remove(stockIds))),
        rebuild: () =>
          Semaphore.withPermit(
            mutex,
            Effect.gen(function* () {
              const version = yield* readVersion(database).pipe(Effect.mapError(asSearchError("catalog_version")));
              const result = yield* inner.rebuild();
              heard(version);
              state.indexed = Math.max(state.indexed, version);
              if (state.indexed >= state.latest) state.behindSince = undefined;
              return result;
            }),
          ),
        status,
      });
    }),
  );
