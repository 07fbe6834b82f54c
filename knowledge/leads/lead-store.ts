/** Leads: a customer who asked an advisor to contact them, with consent. Listed, filtered and updated by the admin API. */
import { Context, Effect, Layer } from "effect";
import type { Selectable } from "kysely";
import { randomUUID } from "node:crypto";
import { Database, DatabaseError } from "../db/database.ts";
import type { LeadsTable } from "../db/schema.ts";
import { LeadEvents } from "./events.ts";

export type LeadPurpose = LeadsTable["purpose"];
export type LeadStatus = "new" | "contacted" | "won" | "lost";
export const LEAD_PURPOSES: ReadonlyArray<LeadPurpose> = ["compra", "financiamiento", "toma_a_cuenta", "queja"];
export const LEAD_STATUSES: ReadonlyArray<LeadStatus> = ["new", "contacted", "won", "lost"];

export interface NewLead {
  readonly conversationId: string;
  readonly channel: string;
  readonly name: string | null;
  /** E.164 */
  readonly phone: string;
  readonly consent: true;
  readonly car: { readonly stockId: number; readonly title: string } | null;
  readonly purpose: LeadPurpose;
  readonly callTime: string | null;
  readonly notes: string | null;
}

export interface Lead extends Omit<NewLead, "consent"> {
  readonly id: string;
  readonly consent: boolean;
  readonly status: LeadStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface LeadFilter {
  readonly status?: LeadStatus;
  readonly purpose?: LeadPurpose;
  readonly channel?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
}

export interface LeadStoreShape {
  readonly create: (lead: NewLead) => Effect.Effect<Lead, DatabaseError>;
  readonly list: (filter: LeadFilter) => Effect.Effect<ReadonlyArray<Lead>, DatabaseError>;
  readonly get: (id: string) => Effect.Effect<Lead | undefined, DatabaseError>;
  readonly update: (id: string, change: { readonly status?: LeadStatus; readonly notes?: string | null }) => Effect.Effect<Lead | undefined, DatabaseError>;
}

const toLead = (row: Selectable<LeadsTable>): Lead => ({
  id: row.id,
  conversationId: row.conversation_id,
  channel: row.channel,
  name: row.name,
  phone: row.phone,
  consent: row.consent,
  car: row.stock_id === null ? null : { stockId: row.stock_id, title: row.car_title ?? "" },
  purpose: row.purpose,
  callTime: row.call_time,
  notes: row.notes,
  status: row.status,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export class LeadStore extends Context.Service<LeadStore, LeadStoreShape>()("LeadStore") {
  /** Needs Database and LeadEvents. */
  static readonly layer = Layer.effect(
    LeadStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      const events = yield* LeadEvents;
      const create = Effect.fn("leads.create")(function* (lead: NewLead) {
        const created = yield* use("leads.create", (db) =>
          db.transaction().execute(async (trx) => {
            const row = await trx
              .insertInto("leads")
              .values({
                id: `lead_${randomUUID()}`,
                conversation_id: lead.conversationId,
                channel: lead.channel,
                name: lead.name,
                phone: lead.phone,
                consent: lead.consent,
                stock_id: lead.car?.stockId ?? null,
                car_title: lead.car?.title ?? null,
                purpose: lead.purpose,
                call_time: lead.callTime,
                notes: lead.notes,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            const stored = toLead(row);
            await events.created(trx, stored);
            return stored;
          }),
        );
        events.committed(created);
        return created;
      });
      return LeadStore.of({
        create,
        list: (filter) =>
          use("leads.list", (db) => {
            let q = db.selectFrom("leads").selectAll().orderBy("created_at", "desc").limit(Math.min(filter.limit ?? 100, 500));
            if (filter.status !== undefined) q = q.where("status", "=", filter.status);
            if (filter.purpose !== undefined) q = q.where("purpose", "=", filter.purpose);
            if (filter.channel !== undefined) q = q.where("channel", "=", filter.channel);
            if (filter.from !== undefined) q = q.where("created_at", ">=", filter.from);
            if (filter.to !== undefined) q = q.where("created_at", "<", filter.to);
            return q.execute();
          }).pipe(Effect.map((rows) => rows.map(toLead))),
        get: (id) => use("leads.get", (db) => db.selectFrom("leads").selectAll().where("id", "=", id).executeTakeFirst()).pipe(Effect.map((r) => (r === undefined ? undefined : toLead(r)))),
        update: (id, change) =>
          use("leads.update", (db) =>
            db
              .updateTable("leads")
              .set({ ...(change.status === undefined ? {} : { status: change.status }), ...(change.notes === undefined ? {} : { notes: change.notes }), updated_at: new Date() })
              .where("id", "=", id)
              .returningAll()
              .executeTakeFirst(),
          ).pipe(Effect.map((r) => (r === undefined ? undefined : toLead(r)))),
      });
    }),
  );
}
