/**
 * The trace inspector, mounted at /inspector behind the admin key:
 *   GET  /inspector                                  the page (observability/inspector/page.ts)
 *   GET  /inspector/api/conversations?conversation&channel&tool&error&minDurationMs&limit&offset
 *                                                    conversations with a turn matching the filter
 *   GET  /inspector/api/turns?(same filter)          matching turns, newest first
 *   GET  /inspector/api/conversations/:id            its turns, each with what was said and the tools called
 *   GET  /inspector/api/traces/:traceId              a trace's spans (and its turns)
 *   POST /inspector/api/conversations/:id/golden     the conversation as a golden conversation (YAML)
 *   GET  /inspector/api/stats                        the trace store's counters
 * Reads the trace store's database (observability/trace-store) and, for what was said, the app's;
 * with TRACE_STORE=memory only recent traces by id are available.
 */
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import { goldenFromConversation } from "../../evals/from-trace.ts";
import type { DB } from "../../knowledge/db/schema.ts";
import type { TraceStore } from "../trace-store.ts";
import { conversationMessages, conversationTurns, resolveConversationId, searchConversations, searchTurns, traceTurns, type TurnFilter } from "../trace-store/queries.ts";
import { requireAdminKey } from "./admin-key.ts";
import { exchangesOf, pairTurns, toolCallsById, type ToolCallView } from "./conversation-view.ts";
import { inspectorPage } from "./page.ts";

export interface InspectorDeps {
  readonly store: TraceStore;
  readonly apiKeys: ReadonlyArray<string>;
  /** How the content policy disguises conversation ids in spans (observability/redaction.ts), to find their messages. */
  readonly pseudonym?: ((conversationId: string) => string) | undefined;
  /** The app's database, where conversations and their messages are (traces may be in one of their own). */
  readonly conversations: Kysely<DB>;
}

const sendError = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

const text = z
  .string()
  .trim()
  .max(200)
  .transform((value) => (value === "" ? undefined : value))
  .optional();
const number = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "must be a non-negative number")
  .transform(Number)
  .optional();

/** The inspector's turn filter, from the query string; anything else is a 400. */
export const turnFilterQuerySchema = z
  .object({
    conversation: text.meta({ description: "Part of the conversation id (case-insensitive)." }),
    channel: text,
    tool: text.meta({ description: "Turns that called this tool." }),
    error: z.enum(["true", "false"]).transform((value) => value === "true").optional().meta({ description: "true: only failed turns; false: only turns without an error." }),
    minDurationMs: number,
    since: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((value) => new Date(value)).optional(),
    limit: number,
    offset: number,
  })
  .strict();

export const inspectorConversationPathSchema = z.object({ id: z.string().min(1).max(200) });
export const inspectorTracePathSchema = z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, "A trace id is 32 hexadecimal characters.").transform((id) => id.toLowerCase()) });

export const inspectorRouter = ({ store, apiKeys, pseudonym, conversations }: InspectorDeps) => {
  const router = express.Router();
  router.use(requireAdminKey(apiKeys));
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });

  router.get("/", (_req, res) => {
    res.set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
    res.type("html").send(inspectorPage());
  });

  /**
   * The trace database, with the spans still waiting in the store written first (it writes every
   * few seconds), so a turn shows as soon as it ends; undefined when traces are only kept in memory.
   */
  const flushedDatabase = async () => {
    const sink = store.sink;
    if (sink) await store.forceFlush();
    return sink?.db;
  };

  /** The flushed trace database, or a 503 when traces are only kept in memory. */
  const database = async (res: Response) => {
    const db = await flushedDatabase();
    if (!db) sendError(res, 503, "traces_not_persisted", "Traces are not persisted (TRACE_STORE=memory, OTEL_SDK_DISABLED=true, or the database is not attached yet).");
    return db;
  };

  const guarded = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 503, "storage_unavailable", "The trace store is unavailable.");
    });
  };

  router.get("/api/stats", (_req, res) => res.json(store.stats()));

  /** The query as a turn filter, or a 400 in the error shape. */
  const filterOf = (req: Request, res: Response): TurnFilter | undefined => {
    const parsed = turnFilterQuerySchema.safeParse(req.query);
    if (parsed.success) return parsed.data;
    sendError(res, 400, "invalid_query", parsed.error.issues.map((i) => `${i.path.join(".") || "(query)"}: ${i.message}`).join("; "));
    return undefined;
  };

  router.get("/api/conversations", guarded(async (req, res) => {
    const filter = filterOf(req, res);
    const db = filter && (await database(res));
    if (filter && db) res.json({ conversations: await searchConversations(db, filter) });
  }));

  router.get("/api/turns", guarded(async (req, res) => {
    const filter = filterOf(req, res);
    const db = filter && (await database(res));
    if (filter && db) res.json({ turns: await searchTurns(db, filter) });
  }));

  const conversationView = async (db: Kysely<DB>, id: string) => {
    const [turns, messages] = await Promise.all([conversationTurns(db, id), resolveConversationId(conversations, id, pseudonym).then((real) => conversationMessages(conversations, real))]);
    return { turns, exchanges: exchangesOf(messages) };
  };

  router.get("/api/conversations/:id", guarded(async (req, res) => {
    const path = inspectorConversationPathSchema.safeParse(req.params);
    if (!path.success) return sendError(res, 400, "invalid_conversation_id", "A conversation id is 1 to 200 characters.");
    const db = await database(res);
    if (!db) return;
    const id = path.data.id;
    const { turns, exchanges } = await conversationView(db, id);
    if (turns.length === 0 && exchanges.length === 0) return sendError(res, 404, "conversation_not_found", "No stored turns or messages for this conversation.");
    res.json({ conversationId: id, channel: turns[0]?.channel, turns: pairTurns(turns, exchanges), exchanges: exchanges.length });
  }));

  router.get("/api/traces/:traceId", guarded(async (req, res) => {
    const path = inspectorTracePathSchema.safeParse(req.params);
    if (!path.success) return sendError(res, 400, "invalid_trace_id", "A trace id is 32 hexadecimal characters.");
    const traceId = path.data.traceId;
    const spans = await store.readTrace(traceId);
    if (!spans) return sendError(res, 404, "trace_not_found", "No such trace (unknown, or deleted by retention).");
    const db = await flushedDatabase();
    const turns = db ? await traceTurns(db, traceId) : [];
    // Tool inputs and outputs as stored with the conversation (spans carry them only with content capture on).
    const toolCalls: Record<string, ToolCallView> = {};
    if (db) for (const id of new Set(turns.map((t) => t.conversationId))) Object.assign(toolCalls, toolCallsById((await conversationView(db, id)).exchanges));
    res.json({ traceId, spans, turns, toolCalls });
  }));

  // JSON body required: a cross-site form cannot send it without a CORS preflight.
  router.post("/api/conversations/:id/golden", express.json({ limit: "4kb" }), guarded(async (req, res) => {
    if (!req.is("application/json")) return sendError(res, 415, "json_required", "Send Content-Type: application/json.");
    const path = inspectorConversationPathSchema.safeParse(req.params);
    if (!path.success) return sendError(res, 400, "invalid_conversation_id", "A conversation id is 1 to 200 characters.");
    const db = await database(res);
    if (!db) return;
    const id = path.data.id;
    const { turns, exchanges } = await conversationView(db, id);
    if (exchanges.length === 0) return sendError(res, 404, "conversation_not_found", "No stored messages for this conversation.");
    const channel = turns[0]?.channel ?? (id.startsWith("wa:") ? "whatsapp" : id.startsWith("web:") ? "web" : "http");
    res.json(goldenFromConversation({ conversationId: id, channel, exchanges }));
  }));

  return router;
};
