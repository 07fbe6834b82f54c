/**
 * Catalog admin over HTTP, mounted by the app at /v1/admin:
 *   GET    /cars?offset&limit     a page of cars by stock id
 *   POST   /cars                  create (201; 409 when the stock id exists)
 *   GET    /cars/:stockId         one car
 *   PUT    /cars/:stockId         create or replace (201 / 200)
 *   PATCH  /cars/:stockId         change some fields
 *   DELETE /cars/:stockId         delete (204)
 *   POST   /cars/import           text/csv (the catalog format), or JSON {"cars": [...]};
 *                                 a CSV with bad rows is rejected whole (422) unless ?partial=true
 * Every write reaches the search index before the answer. API key required: Authorization:
 * Bearer <key> or X-API-Key; with no key configured the admin API answers 503.
 * Errors: {"error": {"code", "message", ...details}}.
 */
import { Effect } from "effect";
import express, { type NextFunction, type Request, type Response } from "express";
import { hashKeys, keyMatches } from "../../../lib/admin-keys.ts";
import { z } from "zod";
import { fieldsOf } from "../schemas.ts";
import { parseCatalogCsv } from "../../../knowledge/catalog/csv-import.ts";
import { CatalogAdmin, type CatalogAdminError, type CatalogAdminErrorCode } from "../../../knowledge/catalog/search/catalog-admin.ts";

export interface CatalogAdminRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, CatalogAdmin>) => Promise<A>;
  readonly apiKeys: ReadonlyArray<string>;
}

export const CSV_BODY_LIMIT = "20mb";
export const JSON_BODY_LIMIT = "1mb";

const STATUS: Record<CatalogAdminErrorCode, number> = {
  invalid_car: 400,
  invalid_query: 400,
  stock_id_mismatch: 400,
  not_found: 404,
  already_exists: 409,
  storage_failed: 503,
  search_sync_failed: 502,
};

const sendError = (res: Response, status: number, code: string, message: string, details: Record<string, unknown> = {}) => {
  res.status(status).json({ error: { code, message, ...details } });
};


/** The key a request presents: Authorization: Bearer <key>, or X-API-Key. */
export const presentedKey = (req: Request): string | undefined => {
  const header = req.get("authorization");
  const bearer = header ? /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
  return bearer ?? req.get("x-api-key") ?? undefined;
};

// The edge's schemas (also the OpenAPI document's): path, query and import body.
export const stockIdSchema = z
  .string()
  .regex(/^\d{1,10}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(2_147_483_647))
  .meta({ description: "The car's stock id (a positive whole number).", example: "322722" });

export const listQuerySchema = z.object({
  offset: z.string().regex(/^\d{1,9}$/, "must be a whole number ≥ 0").transform(Number).optional(),
  limit: z.string().regex(/^\d{1,9}$/, "must be a whole number from 1 to 500").transform(Number).optional(),
});

export const importQuerySchema = z.object({ partial: z.enum(["true", "false"]).optional().meta({ description: "true: import the valid rows of a CSV and report the rejected ones." }) });

export const jsonImportSchema = z.object({ cars: z.array(z.unknown()).max(100_000) }).meta({ id: "CarImportJson", description: 'JSON import: {"cars": [car, ...]}, each car validated like POST /cars.' });

export const catalogAdminRouter = ({ run, apiKeys }: CatalogAdminRouterDeps) => {
  const router = express.Router();
  const keys = hashKeys(apiKeys);

  router.use((req, res, next) => {
    if (keys.length === 0) return sendError(res, 503, "admin_disabled", "admin API disabled: no ADMIN_API_KEYS configured");
    const key = presentedKey(req);
    if (!key || !keyMatches(key, keys)) {
      res.set("WWW-Authenticate", 'Bearer realm="catalog-admin"');
      return sendError(res, 401, "unauthorized", key ? "invalid API key" : "API key required (Authorization: Bearer <key> or X-API-Key)");
    }
    next();
  });
  router.use(express.json({ limit: JSON_BODY_LIMIT }));
  router.use(express.text({ type: ["text/csv", "application/csv", "text/plain"], limit: CSV_BODY_LIMIT }));

  /** Runs an admin effect; typed failures become their HTTP error, anything else a 500. */
  const answer = async <A>(res: Response, effect: Effect.Effect<A, CatalogAdminError, CatalogAdmin>, ok: (value: A) => void) => {
    let result;
    try {
      result = await run(Effect.result(effect));
    } catch (error) {
      console.error("catalog admin failed", error);
      return sendError(res, 500, "internal_error", "Something went wrong on our side.");
    }
    if (result._tag === "Success") return ok(result.success);
    const error = result.failure;
    sendError(res, STATUS[error.code], error.code, error.message, error.fields ? { fields: error.fields } : {});
  };

  const withStockId = (handler: (req: Request, res: Response, stockId: number) => Promise<void>) => async (req: Request, res: Response) => {
    const stockId = stockIdSchema.safeParse(req.params.stockId);
    if (!stockId.success) return sendError(res, 400, "invalid_stock_id", "stockId must be a positive whole number");
    await handler(req, res, stockId.data);
  };

  const requireJson = (req: Request, res: Response) => {
    if (!req.is("application/json")) {
      sendError(res, 415, "unsupported_media_type", "send the car as application/json");
      return false;
    }
    return true;
  };

  router.get("/cars", async (req, res) => {
    const query = listQuerySchema.safeParse(req.query);
    if (!query.success) {
      const fields = fieldsOf(query.error);
      return sendError(res, 400, "invalid_query", fields.map((f) => `${f.field}: ${f.message}`).join("; "), { fields });
    }
    await answer(res, CatalogAdmin.use((admin) => admin.list(query.data)), (page) => res.json(page));
  });

  router.post("/cars/import", async (req, res) => {
    const query = importQuerySchema.safeParse(req.query);
    if (!query.success) return sendError(res, 400, "invalid_query", "partial must be true or false", { fields: fieldsOf(query.error) });
    const partial = query.data.partial === "true";
    if (req.is("application/json")) {
      const body = jsonImportSchema.safeParse(req.body);
      if (!body.success) return sendError(res, 400, "invalid_import", 'send {"cars": [...]} or a text/csv body', { fields: fieldsOf(body.error) });
      return answer(res, CatalogAdmin.use((admin) => admin.importCars(body.data.cars)), (summary) => res.json({ ...summary, rejected: [] }));
    }
    if (typeof req.body !== "string") return sendError(res, 415, "unsupported_media_type", "send the catalog as text/csv (or JSON {\"cars\": [...]})");
    const { cars, errors } = parseCatalogCsv(req.body);
    if (errors.length > 0 && (!partial || cars.length === 0))
      return sendError(res, 422, "invalid_csv", `${errors.length} row(s) rejected; nothing was imported${partial ? "" : " (use ?partial=true to import the valid rows)"}`, {
        rows: errors,
      });
    if (cars.length === 0) return sendError(res, 422, "invalid_csv", "the file has no cars", { rows: [] });
    await answer(res, CatalogAdmin.use((admin) => admin.importCars(cars)), (summary) => res.json({ ...summary, rejected: errors }));
  });

  router.post("/cars", async (req, res) => {
    if (!requireJson(req, res)) return;
    await answer(res, CatalogAdmin.use((admin) => admin.create(req.body)), (car) => {
      res.status(201).location(`${req.baseUrl}/cars/${car.stockId}`).json(car);
    });
  });

  router.get(
    "/cars/:stockId",
    withStockId(async (_req, res, stockId) => answer(res, CatalogAdmin.use((admin) => admin.get(stockId)), (car) => res.json(car))),
  );

  router.put(
    "/cars/:stockId",
    withStockId(async (req, res, stockId) => {
      if (!requireJson(req, res)) return;
      await answer(res, CatalogAdmin.use((admin) => admin.replace(stockId, req.body)), ({ car, created }) => res.status(created ? 201 : 200).json(car));
    }),
  );

  router.patch(
    "/cars/:stockId",
    withStockId(async (req, res, stockId) => {
      if (!requireJson(req, res)) return;
      await answer(res, CatalogAdmin.use((admin) => admin.update(stockId, req.body)), (car) => res.json(car));
    }),
  );

  router.delete(
    "/cars/:stockId",
    withStockId(async (_req, res, stockId) => answer(res, CatalogAdmin.use((admin) => admin.remove(stockId)), () => res.status(204).end())),
  );

  router.use((_req: Request, res: Response) => sendError(res, 404, "not_found", "No such admin route."));

  // Body parser failures of this router (an app-level parser may have answered first).
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === "entity.parse.failed") return sendError(res, 400, "malformed_json", "The request body is not valid JSON.");
    if (type === "entity.too.large") return sendError(res, 413, "body_too_large", `The request body is too large (JSON ${JSON_BODY_LIMIT}, CSV ${CSV_BODY_LIMIT}).`);
    next(error);
  });

  return router;
};
