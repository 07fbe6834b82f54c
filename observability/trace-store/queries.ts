/**
 * Searching stored traces (migration 0009): turns by conversation, channel, tool, error and
 * latency; conversations with their turns; and a conversation's messages (the conversation store's
 * table, read-only) so engineers see what was said next to what ran.
 */
import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { DB } from "../../knowledge/db/schema.ts";
import { quietly } from "./database-sink.ts";

export interface TurnFilter {
  /** Part of the conversation id (case-insensitive). */
  readonly conversation?: string | undefined;
  readonly channel?: string | undefined;
  /** Turns that called this tool. */
  readonly tool?: string | undefined;
  /** true: only failed turns; false: only turns without an error. */
  readonly error?: boolean | undefined;
  /** Turns that took at least this long. */
  readonly minDurationMs?: number | undefined;
  /** Turns that started at or after this time. */
  readonly since?: Date | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export interface TurnRow {
  readonly traceId: string;
  readonly spanId: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly error: boolean;
  readonly errorMessage: string | null;
  readonly toolNames: ReadonlyArray<string>;
}

export interface ConversationRow {
  readonly conversationId: string;
  readonly channel: string;
  readonly turns: number;
  readonly errors: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly maxDurationMs: number;
  readonly toolNames: ReadonlyArray<string>;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const clampLimit = (limit: number | undefined, fallback: number) => Math.min(Math.max(1, Math.floor(limit ?? fallback)), 500);

const filtered = <O>(query: SelectQueryBuilder<DB, "trace_turns", O>, filter: TurnFilter) => {
  let q = query;
  if (filter.conversation) q = q.where("conversation_id", "ilike", `%${escapeLike(filter.conversation)}%`);
  if (filter.channel) q = q.where("channel", "=", filter.channel);
  if (filter.tool) q = q.where(sql<boolean>`tool_names @> array[${filter.tool}]::text[]`);
  if (filter.error !== undefined) q = q.where("error", "=", filter.error);
  if (filter.minDurationMs !== undefined) q = q.where("duration_ms", ">=", filter.minDurationMs);
  if (filter.since) q = q.where("started_at", ">=", filter.since);
  return q;
};

const toTurn = (row: { trace_id: string; span_id: string; conversation_id: string; channel: string; started_at: Date; duration_ms: number; error: boolean; error_message: string | null; tool_names: string[] }): TurnRow => ({
  traceId: row.trace_id,
  spanId: row.span_id,
  conversationId: row.conversation_id,
  channel: row.channel,
  startedAt: new Date(row.started_at),
  durationMs: Number(row.duration_ms),
  error: row.error,
  errorMessage: row.error_message,
  toolNames: row.tool_names,
});

/** Turns matching every given criterion, newest first. */
export const searchTurns = (db: Kysely<DB>, filter: TurnFilter = {}): Promise<TurnRow[]> =>
  quietly(async () =>
    (await filtered(db.selectFrom("trace_turns").selectAll(), filter).orderBy("started_at", "desc").limit(clampLimit(filter.limit, 50)).offset(filter.offset ?? 0).execute()).map(toTurn),
  );

/** Conversations with at least one turn matching the filter, most recent first, each summarised over all its stored turns. */
export const searchConversations = (db: Kysely<DB>, filter: TurnFilter = {}): Promise<ConversationRow[]> =>
  quietly(async () => {
    const matching = filtered(db.selectFrom("trace_turns").select("conversation_id"), filter);
    const rows = await db
      .selectFrom("trace_turns as t")
      .where("t.conversation_id", "in", matching)
      .groupBy("t.conversation_id")
      .select([
        "t.conversation_id",
        sql<string>`min(t.channel)`.as("channel"),
        sql<number>`count(*)::int`.as("turns"),
        sql<number>`count(*) filter (where t.error)::int`.as("errors"),
        sql<Date>`min(t.started_at)`.as("first_at"),
        sql<Date>`max(t.started_at)`.as("last_at"),
        sql<number>`max(t.duration_ms)`.as("max_duration_ms"),
        sql<string[]>`array(select distinct x from trace_turns t2, unnest(t2.tool_names) x where t2.conversation_id = t.conversation_id order by x)`.as("tool_names"),
      ])
      .orderBy("last_at", "desc")
      .limit(clampLimit(filter.limit, 50))
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      channel: row.channel,
      turns: Number(row.turns),
      errors: Number(row.errors),
      firstAt: new Date(row.first_at),
      lastAt: new Date(row.last_at),
      maxDurationMs: Number(row.max_duration_ms),
      toolNames: row.tool_names,
    }));
  });

/** Every stored turn of a conversation, oldest first. */
export const conversationTurns = (db: Kysely<DB>, conversationId: string): Promise<TurnRow[]> =>
  quietly(async () => (await db.selectFrom("trace_turns").selectAll().where("conversation_id", "=", conversationId).orderBy("started_at").limit(1_000).execute()).map(toTurn));

export interface MessageRow {
  readonly seq: number;
  readonly role: "user" | "assistant" | "tool";
  readonly text: string | null;
  readonly content: unknown;
  readonly createdAt: Date;
}

/** The conversation's stored messages (the memory the agent keeps), oldest first. */
export const conversationMessages = (db: Kysely<DB>, conversationId: string): Promise<MessageRow[]> =>
  quietly(async () =>
    (await db.selectFrom("messages").select(["seq", "role", "text", "content", "created_at"]).where("conversation_id", "=", conversationId).orderBy("seq").limit(2_000).execute()).map((row) => ({
      seq: row.seq,
      role: row.role,
      text: row.text,
      content: row.content,
      createdAt: new Date(row.created_at),
    })),
  );

/** The turns stored for a trace (an eval conversation may play several turns in one trace). */
export const traceTurns = (db: Kysely<DB>, traceId: string): Promise<TurnRow[]> =>
  quietly(async () => (await db.selectFrom("trace_turns").selectAll().where("trace_id", "=", traceId).orderBy("started_at").execute()).map(toTurn));

/**
 * The real conversation id behind a pseudonym (the content policy replaces ids that carry a phone
 * number, e.g. "wa:anon-3f9c…", in spans): the stored conversation whose pseudonym it is.
 */
export const resolveConversationId = (db: Kysely<DB>, id: string, pseudonym: ((id: string) => string) | undefined): Promise<string> =>
  quietly(async () => {
    const at = id.indexOf("anon-");
    if (pseudonym === undefined || at === -1) return id;
    const candidates = await db.selectFrom("conversations").select("id").where("id", "like", `${escapeLike(id.slice(0, at))}%`).limit(50_000).execute();
    return candidates.find((c) => pseudonym(c.id) === id)?.id ?? id;
  });
