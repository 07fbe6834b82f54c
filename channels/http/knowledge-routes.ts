/**
 * GET /v1/knowledge/search?q=&limit= — the knowledge base as the assistant sees it, for engineers
 * and the widget's help panel. Results below the relevance threshold are not returned, so an
 * empty list means "the knowledge base does not answer this".
 */
import { Effect } from "effect";
import express from "express";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { sendError } from "../errors.ts";

export interface KnowledgeRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, KnowledgeSearch>) => Promise<A>;
}

export const MAX_QUERY_LENGTH = 500;
const MAX_LIMIT = 10;

export const knowledgeRouter = ({ run }: KnowledgeRouterDeps) => {
  const router = express.Router();

  router.get("/search", async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.trim() : "";
    if (q === "") return sendError(res, 400, "missing_query", `Give the question in the q parameter (1 to ${MAX_QUERY_LENGTH} characters).`);
    if (q.length > MAX_QUERY_LENGTH) return sendError(res, 400, "query_too_long", `q must be at most ${MAX_QUERY_LENGTH} characters (got ${q.length}).`);
    const rawLimit = req.query.limit;
    const limit = rawLimit === undefined ? 3 : typeof rawLimit === "string" && /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return sendError(res, 400, "invalid_limit", `limit must be an integer from 1 to ${MAX_LIMIT}.`);

    try {
      const results = await run(Effect.flatMap(KnowledgeSearch, (search) => search.searchDetailed(q, limit)));
      res.json({ query: q, results });
    } catch (error) {
      console.error("knowledge search failed", error);
      sendError(res, 503, "knowledge_unavailable", "The knowledge base is not answering right now.");
    }
  });

  return router;
};
