/**
 * Fines checks: one per lookup the assistant starts (a typed plate, or a photo). The port the
 * check_fines tool and the HTTP route use; workers/fines/checks-live.ts provides it (a row in
 * fines_checks and a job on the queue, in one transaction). The worker settles the check, then the
 * answer is delivered once: inline (the tool was still waiting) or asynchronously (the worker).
 */
import { Context, Data, Effect } from "effect";
import type { Kysely, Selectable } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";
import type { DB, FinesChecksTable } from "../db/schema.ts";
import type { FinesLookup } from "./registry.ts";

export type CheckStatus = "pending" | "done" | "unreadable" | "unsure" | "failed";

export interface StoredCheck {
  readonly id: string;
  readonly conversationId: string | null;
  readonly channel: string;
  /** Canonical plate: typed, or read from the photo (then possibly unsure). */
  readonly plate: string | null;
  readonly imageRef: string | null;
  readonly status: CheckStatus;
  readonly result: FinesLookup | null;
  /** For "failed": "registry_unavailable"; for "unsure"/"unreadable": what the reading found. */
  readonly error: string | null;
  readonly delivery: "inline" | "async" | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

/** A plate photo: JPEG, PNG or WEBP. */
export interface CheckImage {
  readonly mediaType: "image/jpeg" | "image/png" | "image/webp";
  readonly data: Uint8Array;
}

export interface NewCheck {
  readonly conversationId: string | null;
  readonly channel: string;
  readonly plate: string | null;
  readonly imageRef: string | null;
  /** The photo to read the plate from: stored with the check (fines_images) until the check is settled. */
  readonly image?: CheckImage | undefined;
  /** W3C traceparent of the turn that started it: the worker's spans join that trace. */
  readonly traceparent?: string | undefined;
}

export type CheckOutcome =
  | { readonly status: "done"; readonly result: FinesLookup }
  | { readonly status: "failed" | "unreadable" | "unsure"; readonly error: string; readonly plate?: string | undefined };

export class FinesCheckError extends Data.TaggedError("FinesCheckError")<{ readonly operation: string; readonly cause: unknown }> {}

export interface FinesChecksShape {
  /** Records the check and enqueues its job, atomically; wakes the workers. */
  readonly start: (check: NewCheck) => Effect.Effect<StoredCheck, FinesCheckError>;
  readonly get: (id: string) => Effect.Effect<StoredCheck | undefined, DatabaseError>;
  /** Settles a pending check (once: false when it was already settled). */
  readonly complete: (id: string, outcome: CheckOutcome) => Effect.Effect<boolean, DatabaseError>;
  /**
   * Decides how the answer is delivered, once: "inline" only once the check is settled (the tool
   * got the result in time), "async" at any time. Answers the check when this call decided it.
   */
  readonly claimDelivery: (id: string, delivery: "inline" | "async") => Effect.Effect<StoredCheck | undefined, DatabaseError>;
  readonly markDelivered: (id: string) => Effect.Effect<void, DatabaseError>;
  /** The check's photo while it is kept (undefined: none, or already discarded). */
  readonly image: (id: string) => Effect.Effect<CheckImage | undefined, DatabaseError>;
  /** Deletes the check's photo (plates are personal data): after the check is settled. */
  readonly discardImage: (id: string) => Effect.Effect<void, DatabaseError>;
}

export class FinesChecks extends Context.Service<FinesChecks, FinesChecksShape>()("FinesChecks") {}

// ---------------------------------------------------------------- the table

const fromRow = (row: Selectable<FinesChecksTable>): StoredCheck => ({
  id: row.id,
  conversationId: row.conversation_id,
  channel: row.channel,
  plate: row.plate,
  imageRef: row.image_ref,
  status: row.status,
  result: (typeof row.result === "string" ? JSON.parse(row.result) : row.result) as FinesLookup | null,
  error: row.error,
  delivery: row.delivery,
  deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
  createdAt: new Date(row.created_at),
});

/** Inserts the check (and its photo): call it inside the transaction that enqueues the job. */
export const insertCheck = async (db: Kysely<DB>, id: string, check: NewCheck): Promise<StoredCheck> => {
  const row = await db
    .insertInto("fines_checks")
    .values({ id, conversation_id: check.conversationId, channel: check.channel, plate: check.plate, image_ref: check.imageRef })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (check.image !== undefined) await db.insertInto("fines_images").values({ check_id: id, media_type: check.image.mediaType, data: check.image.data }).execute();
  return fromRow(row);
};

/** Everything but `start` (which needs the queue). */
export const makeCheckStore = Effect.gen(function* () {
  const { use } = yield* Database;
  const get: FinesChecksShape["get"] = (id) =>
    use("fines_checks.get", (db) => db.selectFrom("fines_checks").selectAll().where("id", "=", id).executeTakeFirst()).pipe(Effect.map((row) => (row ? fromRow(row) : undefined)));
  const complete: FinesChecksShape["complete"] = (id, outcome) =>
    use("fines_checks.complete", (db) =>
      db
        .updateTable("fines_checks")
        .set(
          outcome.status === "done"
            ? { status: "done", result: JSON.stringify(outcome.result), plate: outcome.result.plate, completed_at: new Date() }
            : { status: outcome.status, error: outcome.error, ...(outcome.plate === undefined ? {} : { plate: outcome.plate }), completed_at: new Date() },
        )
        .where("id", "=", id)
        .where("status", "=", "pending")
        .executeTakeFirst(),
    ).pipe(Effect.map((r) => Number(r.numUpdatedRows) === 1));
  const claimDelivery: FinesChecksShape["claimDelivery"] = (id, delivery) =>
    use("fines_checks.claim_delivery", (db) => {
      let query = db.updateTable("fines_checks").set({ delivery }).where("id", "=", id).where("delivery", "is", null);
      if (delivery === "inline") query = query.where("status", "<>", "pending");
      return query.returningAll().executeTakeFirst();
    }).pipe(Effect.map((row) => (row ? fromRow(row) : undefined)));
  const markDelivered: FinesChecksShape["markDelivered"] = (id) =>
    use("fines_checks.delivered", (db) => db.updateTable("fines_checks").set({ delivered_at: new Date() }).where("id", "=", id).where("delivered_at", "is", null).execute()).pipe(Effect.asVoid);
  const image: FinesChecksShape["image"] = (id) =>
    use("fines_images.get", (db) => db.selectFrom("fines_images").select(["media_type", "data"]).where("check_id", "=", id).executeTakeFirst()).pipe(
      Effect.map((row) => (row === undefined ? undefined : { mediaType: row.media_type, data: new Uint8Array(row.data) })),
    );
  const discardImage: FinesChecksShape["discardImage"] = (id) =>
    use("fines_images.discard", (db) => db.deleteFrom("fines_images").where("check_id", "=", id).execute()).pipe(Effect.asVoid);
  return { get, complete, claimDelivery, markDelivered, image, discardImage };
});
