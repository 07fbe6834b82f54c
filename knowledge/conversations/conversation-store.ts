/**
 * Conversation memory: every message of a conversation, in order, as the model saw it.
 *
 * A turn is a user message followed by what answered it (assistant and tool messages). A user
 * message with no answer after it is a turn that never finished (the model or the database
 * failed after the user's message was stored, and the channel answered 503): readers skip it, so
 * the model's window and the visible history hold finished turns only. Writers should store a
 * whole turn with one `append` call (one transaction), user message first; then nothing
 * half-written is ever stored.
 */
import { Context, Effect, Layer } from "effect";
import { sql, type Kysely } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";
import type { DB } from "../db/schema.ts";

/**
 * The conversation's messages with `answered`: false for a user message that nothing but another
 * user message (or nothing at all) follows, i.e. a turn that never finished; true otherwise.
 */
const answeredMessages = (db: Kysely<DB>, conversationId: string) =>
  db
    .selectFrom("messages")
    .select([
      "content",
      "seq",
      "role",
      "text",
      "created_at",
      sql<boolean>`role <> 'user' or coalesce(lead(role) over (order by seq) <> 'user', false)`.as("answered"),
    ])
    .where("conversation_id", "=", conversationId);

export interface NewMessage {
  readonly role: "user" | "assistant" | "tool";
  /** What a person reads; null for tool results and tool-only steps. */
  readonly text: string | null;
  /** The model message itself (opaque JSON to this store). */
  readonly content: object;
}

export interface AppendOptions {
  readonly replaceLastTurn?: boolean;
}

export interface VisibleMessage {
  readonly role: "user" | "assistant";
  readonly text: string;
  readonly createdAt: Date;
}

export interface ConversationStoreShape {
  /** The last `limit` model messages of finished turns, oldest first (empty when unknown); unanswered user messages are skipped. */
  readonly recentContent: (conversationId: string, limit: number) => Effect.Effect<ReadonlyArray<object>, DatabaseError>;
  /**
   * Appends messages atomically (one transaction, consecutive seqs), creating the conversation on first use. A whole turn: [user, ...answer].
   * With `replaceLastTurn`, the last turn (from the last user message on) is deleted in the same transaction: a regenerated answer.
   */
  readonly append: (conversationId: string, channel: string, messages: ReadonlyArray<NewMessage>, options?: AppendOptions) => Effect.Effect<void, DatabaseError>;
  /** What people said and read in finished turns, or undefined when the conversation does not exist. */
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
              .selectFrom(answeredMessages(db, conversationId).as("m"))
              .select(["content", "seq"])
              .where("answered", "=", true)
              .orderBy("seq", "desc")
              .limit(limit)
              .execute(),
          ).pipe(Effect.map((rows) => rows.reverse().map((row) => row.content))),

        append: (conversationId, channel, messages, options) =>
          use("messages.append", (db) =>
            db.transaction().execute(async (trx) => {
              await trx
                .insertInto("conversations")
                .values({ id: conversationId, channel })
                .onConflict((oc) => oc.column("id").doUpdateSet({ updated_at: sql`now()` }))
                .execute();
              // The upsert locks the conversation's row until commit: concurrent appends (other processes)
              // wait here for each other, so the last seq read below is current.
              if (options?.replaceLastTurn) {
                const lastUser = await trx
                  .selectFrom("messages")
                  .select((eb) => eb.fn.max("seq").as("seq"))
                  .where("conversation_id", "=", conversationId)
                  .where("role", "=", "user")
                  .executeTakeFirst();
                if (lastUser?.seq != null) await trx.deleteFrom("messages").where("conversation_id", "=", conversationId).where("seq", ">=", lastUser.seq).execute();
              }
              if (messages.length === 0) return;
              // One statement: every row's subquery reads the same snapshot, taken before its own inserts.
              const last = sql<number>`(select coalesce(max(seq), 0) from messages where conversation_id = ${conversationId})`;
              await trx
                .insertInto("messages")
                .values(
                  messages.map((message, index) => ({
                    conversation_id: conversationId,
                    seq: sql<number>`${last} + ${index + 1}`,
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
              .selectFrom(answeredMessages(db, conversationId).as("m"))
              .select(["role", "text", "created_at"])
              .where("answered", "=", true)
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
