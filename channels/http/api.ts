/** The HTTP API channel: conversations, financing quotes and traces under one router. */
import type { Effect } from "effect";
import express from "express";
import type { Agent } from "../../core/agent.ts";
import type { AgentModel } from "../../core/model.ts";
import type { CarStore } from "../../knowledge/catalog/car-store.ts";
import type { Database } from "../../knowledge/db/database.ts";
import type { QuoteStore } from "../../knowledge/financing/quote-store.ts";
import type { CatalogSearch } from "../../knowledge/catalog/search/catalog-search.ts";
import type { TraceStore } from "../../observability/trace-store.ts";
import { conversationsRouter } from "./conversations-router.ts";
import { sendError } from "../errors.ts";
import { imageBodyParser } from "../image-upload-parser.ts";
import { financingRouter } from "./financing-router.ts";

export type ApiServices = Agent | AgentModel | Database | CarStore | QuoteStore | CatalogSearch;

export interface ApiDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, ApiServices>) => Promise<A>;
  readonly traces: Pick<TraceStore, "readTrace">;
}

export const JSON_BODY_LIMIT = "64kb";
const JSON_BODY_LIMIT_BYTES = 64 * 1024;

export const apiRouter = ({ run, traces }: ApiDeps) => {
  const router = express.Router();
  // A message may carry a photo (base64, 5 MB at most): its route alone takes a larger body, and
  // only when it carries an image; otherwise the API's 64 KB limit holds.
  router.post("/v1/conversations/:conversationId/messages", ...imageBodyParser(JSON_BODY_LIMIT_BYTES));
  router.use("/v1", express.json({ limit: JSON_BODY_LIMIT }));

  router.use("/v1/conversations", conversationsRouter({ run }));
  router.use("/v1/financing", financingRouter({ run }));

  // Recent traces from memory, older ones from the database until retention deletes them (observability/trace-store.ts).
  router.get("/v1/traces/:traceId", (req, res) => {
    traces.readTrace(String(req.params.traceId)).then((spans) => {
      if (!spans) return sendError(res, 404, "trace_not_found", "No such trace (unknown, or deleted by the trace store's retention).");
      res.json({ traceId: req.params.traceId, spans });
    }, () => sendError(res, 503, "storage_unavailable", "The trace store is unavailable."));
  });

  return router;
};
