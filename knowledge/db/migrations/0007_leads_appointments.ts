/**
 * Closing the sale (issue 14): leads for an advisor, appointments (visit or test drive) at a sede,
 * and the satisfaction rating asked once per conversation.
 * - leads: who (name, phone, consent), which car, what for, when to call; a status the admin updates.
 * - appointments: the sede as stored structure (id, name, city, address), the car it is for, the
 *   start in UTC; `status` confirmed | cancelled (a move rewrites starts_at and bumps `version`, so
 *   reminders queued for an older time see they are stale).
 * - csat_ratings: one row per conversation at most (primary key), rating 1 to 5 and a comment.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("leads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("phone", "text", (c) => c.notNull())
    .addColumn("consent", "boolean", (c) => c.notNull())
    .addColumn("stock_id", "integer")
    .addColumn("car_title", "text")
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('compra', 'financiamiento', 'toma_a_cuenta', 'queja')`))
    .addColumn("call_time", "text")
    .addColumn("notes", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("new").check(sql`status in ('new', 'contacted', 'won', 'lost')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("leads_created").on("leads").columns(["created_at"]).execute();
  await db.schema.createIndex("leads_conversation").on("leads").columns(["conversation_id"]).execute();

  await db.schema
    .createTable("appointments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('visita', 'prueba_de_manejo')`))
    .addColumn("sede_id", "text", (c) => c.notNull())
    .addColumn("sede_name", "text", (c) => c.notNull())
    .addColumn("sede_city", "text", (c) => c.notNull())
    .addColumn("sede_address", "text", (c) => c.notNull())
    .addColumn("stock_id", "integer")
    .addColumn("car_title", "text")
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("confirmed").check(sql`status in ('confirmed', 'cancelled')`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("phone", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("appointments_slot").on("appointments").columns(["sede_id", "starts_at", "status"]).execute();
  await db.schema.createIndex("appointments_conversation").on("appointments").columns(["conversation_id", "created_at"]).execute();

  await db.schema
    .createTable("csat_ratings")
    .addColumn("conversation_id", "text", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("rating", "integer", (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn("comment", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("csat_ratings").ifExists().execute();
  await db.schema.dropTable("appointments").ifExists().execute();
  await db.schema.dropTable("leads").ifExists().execute();
}
