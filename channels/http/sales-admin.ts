/**
 * Closing the sale, for the dealer (issue 14):
 *   GET   /v1/admin/leads?status&purpose&channel&from&to&limit   leads, newest first
 *   PATCH /v1/admin/leads/{id}  {"status"?, "notes"?}           update one
 *   GET   /v1/admin/appointments?from&to&status&sede&channel&limit
 *   GET   /v1/admin/metrics/funnel?from&to&channel                the funnel and CSAT
 *   GET   /admin/funnel                                           a small page drawing the funnel
 * The admin routes take the catalog admin's keys (ADMIN_API_KEYS; Bearer or X-API-Key; unset: 503).
 *   GET   /v1/appointments/{id}.ics                               the appointment's calendar file
 * (public: the id is an unguessable UUID handed to the customer's own conversation).
 */
import { Effect } from "effect";
import express, { type NextFunction, type Request, type Response } from "express";
import { hashKeys, keyMatches } from "../../lib/admin-keys.ts";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { AppointmentBook } from "../../knowledge/appointments/appointment-book.ts";
import { appointmentIcs } from "../../knowledge/appointments/ics.ts";
import { AppointmentSettings } from "../../knowledge/appointments/settings.ts";
import { FunnelMetrics } from "../../knowledge/leads/funnel.ts";
import { LEAD_PURPOSES, LEAD_STATUSES, LeadStore } from "../../knowledge/leads/lead-store.ts";
import { presentedKey } from "./catalog-admin/router.ts";

export interface SalesAdminDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, LeadStore | AppointmentBook | AppointmentSettings | FunnelMetrics>) => Promise<A>;
  readonly apiKeys: ReadonlyArray<string>;
}

const sendError = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

const date = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v));
const limit = z.coerce.number().int().min(1).max(500).optional();
export const leadQuery = z.object({ status: z.enum(LEAD_STATUSES as [string, ...string[]]).optional(), purpose: z.enum(LEAD_PURPOSES as [string, ...string[]]).optional(), channel: z.string().max(40).optional(), from: date.optional(), to: date.optional(), limit }).strict();
export const leadChange = z.object({ status: z.enum(LEAD_STATUSES as [string, ...string[]]).optional(), notes: z.string().max(2000).nullable().optional() }).strict();
export const appointmentQuery = z.object({ from: date.optional(), to: date.optional(), status: z.enum(["confirmed", "cancelled"]).optional(), sede: z.string().max(60).optional(), channel: z.string().max(40).optional(), limit }).strict();
export const funnelQuery = z.object({ from: date.optional(), to: date.optional(), channel: z.string().max(40).optional() }).strict();
/** PATCH /v1/admin/leads/{id}: anything but a lead id names no lead (404). */
export const leadPathSchema = z.object({ id: z.string().regex(/^lead_[0-9a-f-]{36}$/).meta({ example: "lead_3f2b8c1e-0a4d-4e7b-9c1a-2d3e4f5a6b7c" }) });
/** GET /v1/appointments/{id}.ics: the express parameter is the whole file name. */
export const appointmentIdSchema = z.string().regex(/^apt_[0-9a-f-]{36}$/).meta({ example: "apt_3f2b8c1e-0a4d-4e7b-9c1a-2d3e4f5a6b7c" });
const appointmentFileSchema = z.object({ file: z.string().regex(/^apt_[0-9a-f-]{36}\.ics$/).transform((file) => file.slice(0, -".ics".length)) });

const PAGE = new URL("./sales-admin-page.html", import.meta.url).pathname;

export const salesAdminRouter = (deps: SalesAdminDeps) => {
  const router = express.Router();
  const keys = hashKeys(deps.apiKeys);
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (keys.length === 0) return sendError(res, 503, "admin_disabled", "The admin API is disabled: set ADMIN_API_KEYS.");
    const presented = presentedKey(req);
    if (presented === undefined || !keyMatches(presented, keys)) return sendError(res, 401, "unauthorized", "A valid admin API key is required.");
    next();
  };
  const handle =
    <T>(schema: z.ZodType<T>, source: "query" | "body", work: (input: T, req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response) => {
      const parsed = schema.safeParse(source === "query" ? req.query : req.body);
      if (!parsed.success) return sendError(res, 400, "invalid_request", parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
      try {
        await work(parsed.data, req, res);
      } catch {
        sendError(res, 503, "storage_unavailable", "The store is not answering; try again.");
      }
    };

  router.get("/v1/appointments/:file", async (req, res) => {
    const parsed = appointmentFileSchema.safeParse(req.params);
    if (!parsed.success) return sendError(res, 404, "not_found", "No such appointment.");
    const id = parsed.data.file;
    try {
      const found = await deps.run(Effect.all([AppointmentBook.use((b) => b.get(id)), AppointmentSettings.use((s) => Effect.succeed(s.schedule.slotMinutes))]));
      if (found[0] === undefined) return sendError(res, 404, "not_found", "No such appointment.");
      res.type("text/calendar; charset=utf-8").set("content-disposition", 'attachment; filename="cita-kavak.ics"').send(appointmentIcs(found[0], found[1]));
    } catch {
      sendError(res, 503, "storage_unavailable", "The store is not answering; try again.");
    }
  });

  router.get("/admin/funnel", (_req, res) => {
    res.type("html").set("cache-control", "no-store").send(readFileSync(PAGE, "utf8"));
  });

  const admin = express.Router();
  // Only these paths: the catalog admin under /v1/admin parses its own (large) bodies.
  admin.get(
    "/leads",
    guard,
    handle(leadQuery, "query", async (q, _req, res) => {
      const leads = await deps.run(LeadStore.use((s) => s.list(q as never)));
      res.json({ leads });
    }),
  );
  admin.patch(
    "/leads/:id",
    guard,
    express.json({ limit: "64kb" }),
    handle(leadChange, "body", async (change, req, res) => {
      const path = leadPathSchema.safeParse(req.params);
      if (!path.success) return void sendError(res, 404, "not_found", "No such lead.");
      const lead = await deps.run(LeadStore.use((s) => s.update(path.data.id, change as never)));
      if (lead === undefined) return void sendError(res, 404, "not_found", "No such lead.");
      res.json({ lead });
    }),
  );
  admin.get(
    "/appointments",
    guard,
    handle(appointmentQuery, "query", async (q, _req, res) => {
      const appointments = await deps.run(AppointmentBook.use((b) => b.list({ ...q, ...(q.sede === undefined ? {} : { sedeId: q.sede }) })));
      res.json({ appointments });
    }),
  );
  admin.get(
    "/metrics/funnel",
    guard,
    handle(funnelQuery, "query", async (q, _req, res) => {
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from.getTime() >= to.getTime()) return void sendError(res, 400, "invalid_request", "from must be before to.");
      res.json(await deps.run(FunnelMetrics.use((f) => f.funnel({ from, to, ...(q.channel === undefined ? {} : { channel: q.channel }) }))));
    }),
  );
  router.use("/v1/admin", admin);
  return router;
};
