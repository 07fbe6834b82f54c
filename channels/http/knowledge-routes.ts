/**
 * GET /v1/knowledge/search?q=&limit= — the knowledge base as the assistant sees it, for engineers
 * and the widget's help panel. Results below the relevance threshold are not returned, so an
 * empty list means "the knowledge base does not answer this".
 */
import { Effect } from "effect";
import express from "express";
import { KnowledgeSearch } from "../../knowledge/knowledge-base/knowledge-search.ts";
import { sendError } from "../errors.ts";
import { knowledgeQuerySchema } from "./schemas.ts";

export interface KnowledgeRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, KnowledgeSearch>) => Promise<A>;
}

export { MAX_QUERY_LENGTH } from "./schemas.ts";

export const knowledgeRouter = ({ run }: KnowledgeRouterDeps) => {
  const router = express.Router();

  router.get("/search", async (req, res) => {
    const parsed = knowledgeQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? "q");
      const code = field === "limit" ? "invalid_limit" : issue.code === "too_big" ? "query_too_long" : "missing_query";
      return sendError(res, 400, code, issue.message);
    }
    const { q, limit = 3 } = parsed.data;

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
