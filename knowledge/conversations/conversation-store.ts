/** Conversation memory: every message of a conversation, in order, as the model saw it. */
import { Context, Effect, Layer } from "effect";
import { sql } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";

export interface NewMessage {
  readonly role: "user" | "assistant" | "tool";
  /** What a person reads; null for tool results and tool-only steps. */
  readonly text: string | null;
  /** The model message itself (opaque JSON to this store). */
  readonly content: object;
}

export interface VisibleMessage {
  readonly role: "user" | "assistant";
  readonly text: string;
  readonly createdAt: Date;
}

export interface ConversationStoreShape {
  /** The last `limit` model messages of a conversation, oldest first (empty when unknown). */
  readonly recentContent: (conversationId: string, limit: number) => Effect.Effect<ReadonlyArray<object>, DatabaseError>;
  /** Appends messages atomically, creating the conversation on first use. */
  readonly append: (conversationId: string, channel: string, messages: ReadonlyArray<NewMessage>) => Effect.Effect<void, DatabaseError>;
  /** What people said and read, or undefined when the conversation does not exist. */
  readonly visibleHistory: (conversationId: string) => Effect.Effect<ReadonlyArray<VisibleMessage> | undefined, DatabaseError>;
  readonly forget: (conversationId: string) => Effect.Effect<boolean, DatabaseError>;
}

export class ConversationStore extends Context.Service<ConversationStore, ConversationStoreShape>()("ConversationStore") {
  static readonly layer = Layer.effect(
    ConversationStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return ConversationStore.of({
        recentContent: (conversationId, limit) =>
          use("messages.recent", (db) =>
            db
              .selectFrom("messages")
              .select(["content", "seq"])
              .where("conversation_id", "=", conversationId)
              .orderBy("seq", "desc")
              .limit(limit)
              .execute(),
          ).pipe(Effect.map((rows) => rows.reverse().map((row) => row.content))),

        append: (conversationId, channel, messages) =>
          use("messages.append", (db) =>
            db.transaction().execute(async (trx) => {
              await trx
                .insertInto("conversations")
                .values({ id: conversationId, channel })
                .onConflict((oc) => oc.column("id").doUpdateSet({ updated_at: sql`now()` }))
                .execute();
              // Lock the conversation row so concurrent appends (other processes) get distinct seqs.
              await trx.selectFrom("conversations").select("id").where("id", "=", conversationId).forUpdate().execute();
              const last = await trx
                .selectFrom("messages")
                .select((eb) => eb.fn.max("seq").as("seq"))
                .where("conversation_id", "=", conversationId)
                .executeTakeFirst();
              const start = Number(last?.seq ?? 0) + 1;
              if (messages.length === 0) return;
              await trx
                .insertInto("messages")
                .values(
                  messages.map((message, index) => ({
                    conversation_id: conversationId,
                    seq: start + index,
                    role: message.role,
                    text: message.text,
                    content: JSON.stringify(message.content),
                  })),
                )
                .execute();
            }),
          ),

        visibleHistory: (conversationId) =>
          use("messages.history", async (db) => {
            const conversation = await db.selectFrom("conversations").select("id").where("id", "=", conversationId).executeTakeFirst();
            if (!conversation) return undefined;
            const rows = await db
              .selectFrom("messages")
              .select(["role", "text", "created_at"])
              .where("conversation_id", "=", conversationId)
              .where("role", "in", ["user", "assistant"])
              .where("text", "is not", null)
              .where("text", "!=", "")
              .orderBy("seq")
              .execute();
            return rows.map((row) => ({ role: row.role as "user" | "assistant", text: row.text!, createdAt: new Date(row.created_at) }));
          }),

        forget: (conversationId) =>
          use("conversations.forget", (db) => db.deleteFrom("conversations").where("id", "=", conversationId).executeTakeFirst()).pipe(
            Effect.map((result) => Number(result.numDeletedRows) > 0),
          ),
      });
    }),
  );
}
