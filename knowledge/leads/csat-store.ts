/** Satisfaction at the close: one 1-5 rating (and an optional comment) per conversation, never two. */
import { Context, Effect, Layer } from "effect";
import { Database, type DatabaseError } from "../db/database.ts";

export interface CsatStoreShape {
  /** False when the conversation already has a rating (the first one stands). */
  readonly record: (rating: { readonly conversationId: string; readonly channel: string; readonly rating: number; readonly comment: string | null }) => Effect.Effect<boolean, DatabaseError>;
}

export class CsatStore extends Context.Service<CsatStore, CsatStoreShape>()("CsatStore") {
  static readonly layer = Layer.effect(
    CsatStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return CsatStore.of({
        record: (r) =>
          use("csat.record", async (db) => {
            const inserted = await db
              .insertInto("csat_ratings")
              .values({ conversation_id: r.conversationId, channel: r.channel, rating: r.rating, comment: r.comment })
              .onConflict((oc) => oc.column("conversation_id").doNothing())
              .returning("conversation_id")
              .executeTakeFirst();
            return inserted !== undefined;
          }),
      });
    }),
  );
}
