/**
 * Fines checks over HTTP: GET /v1/fines/checks/{id} answers 202 while the check is pending, then
 * 200 with its result (amounts as decimal strings of pesos, computed from integer cents), in the
 * check_fines tool's shape. The id (a random UUID) is the capability: it is only ever given to
 * the conversation that started the check.
 */
import { Effect } from "effect";
import express from "express";
import { z } from "zod";
import { FinesChecks } from "../../knowledge/fines/checks.ts";
import { checkFinesResult } from "../../tools/check-fines.ts";
import { sendError } from "../errors.ts";

export interface FinesRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, FinesChecks>) => Promise<A>;
}

/** A fines check id (the capability): anything else names no check (404). */
export const finesCheckIdSchema = z.string().regex(/^fc_[0-9a-f-]{36}$/).meta({ example: "fc_3f2b8c1e-0a4d-4e7b-9c1a-2d3e4f5a6b7c" });
export const finesCheckPathSchema = z.object({ id: finesCheckIdSchema });

export const finesRouter = ({ run }: FinesRouterDeps) => {
  const router = express.Router();
  router.get("/checks/:id", async (req, res) => {
    const parsed = finesCheckPathSchema.safeParse(req.params);
    if (!parsed.success) return sendError(res, 404, "check_not_found", "No fines check with that id.");
    const id = parsed.data.id;
    const check = await run(FinesChecks.use((checks) => checks.get(id)).pipe(Effect.orElseSucceed(() => null)));
    if (check === null) return sendError(res, 503, "storage_unavailable", "The fines checks are not available right now. Try again.");
    if (check === undefined) return sendError(res, 404, "check_not_found", "No fines check with that id.");
    const body = { id: check.id, status: check.status, createdAt: check.createdAt.toISOString(), result: checkFinesResult(check) };
    if (check.status === "pending") return res.status(202).set("retry-after", "1").json(body);
    res.json(body);
  });
  return router;
};
