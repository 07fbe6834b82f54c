/**
 * The sales funnel over a period: conversations started, and of those how many searched, viewed a
 * car, got a quote, left a lead and booked an appointment, plus the satisfaction average and count.
 * A conversation counts in a stage when one of its messages carries that tool's call.
 */
import { Context, Effect, Layer } from "effect";
import { sql } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";

export interface FunnelQuery {
  readonly from: Date;
  readonly to: Date;
  readonly channel?: string;
}

export interface Funnel {
  readonly from: string;
  readonly to: string;
  readonly channel: string | null;
  readonly stages: { readonly conversations: number; readonly searched: number; readonly viewedCar: number; readonly quoted: number; readonly lead: number; readonly booked: number };
  readonly csat: { readonly count: number; readonly average: number | null };
}

const usedTool = (tool: string) =>
  sql<number>`count(distinct c.id) filter (where exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'assistant' and jsonb_path_exists(m.content::jsonb, ${`$.content[*] ? (@.toolName == "${tool}")`}::jsonpath)))`;

export class FunnelMetrics extends Context.Service<FunnelMetrics, { readonly funnel: (query: FunnelQuery) => Effect.Effect<Funnel, DatabaseError> }>()("FunnelMetrics") {
  static readonly layer = Layer.effect(
    FunnelMetrics,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return FunnelMetrics.of({
        funnel: (q) =>
          use("funnel", async (db) => {
            let conversations = db.selectFrom("conversations as c").where("c.created_at", ">=", q.from).where("c.created_at", "<", q.to);
            if (q.channel !== undefined) conversations = conversations.where("c.channel", "=", q.channel);
            const row = await conversations
              .select([
                sql<number>`count(distinct c.id)`.as("conversations"),
                usedTool("search_cars").as("searched"),
                usedTool("get_car_details").as("viewed"),
                usedTool("calculate_financing").as("quoted"),
                sql<number>`count(distinct c.id) filter (where exists (select 1 from leads l where l.conversation_id = c.id))`.as("lead"),
                sql<number>`count(distinct c.id) filter (where exists (select 1 from appointments a where a.conversation_id = c.id))`.as("booked"),
              ])
              .executeTakeFirstOrThrow();
            let ratings = db.selectFrom("csat_ratings as r").innerJoin("conversations as c", "c.id", "r.conversation_id").where("c.created_at", ">=", q.from).where("c.created_at", "<", q.to);
            if (q.channel !== undefined) ratings = ratings.where("c.channel", "=", q.channel);
            const csat = await ratings.select([sql<number>`count(*)`.as("count"), sql<string | null>`avg(r.rating)`.as("average")]).executeTakeFirstOrThrow();
            const average = csat.average === null ? null : Math.round(Number(csat.average) * 100) / 100;
            return {
              from: q.from.toISOString(),
              to: q.to.toISOString(),
              channel: q.channel ?? null,
              stages: { conversations: Number(row.conversations), searched: Number(row.searched), viewedCar: Number(row.viewed), quoted: Number(row.quoted), lead: Number(row.lead), booked: Number(row.booked) },
              csat: { count: Number(csat.count), average },
            };
          }),
      });
    }),
  );
}
