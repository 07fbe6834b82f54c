import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("cars")
    .addColumn("stock_id", "integer", (c) => c.primaryKey())
    .addColumn("make", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("price", "integer", (c) => c.notNull().check(sql`price > 0`))
    .addColumn("km", "integer", (c) => c.notNull().check(sql`km >= 0`))
    .addColumn("bluetooth", "boolean")
    .addColumn("car_play", "boolean")
    .addColumn("transmission", "text", (c) => c.check(sql`transmission in ('automatica', 'manual')`))
    .addColumn("length_mm", "integer")
    .addColumn("width_mm", "integer")
    .addColumn("height_mm", "integer")
    .addColumn("body_type", "text")
    .addColumn("seats", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("conversations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('user', 'assistant', 'tool')`))
    .addColumn("text", "text")
    .addColumn("content", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("messages_conversation_seq", ["conversation_id", "seq"])
    .execute();

  await db.schema
    .createTable("financing_quotes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.references("conversations.id").onDelete("set null"))
    .addColumn("stock_id", "integer")
    .addColumn("price", "integer", (c) => c.notNull())
    .addColumn("down_payment", "integer", (c) => c.notNull())
    .addColumn("financed", "integer", (c) => c.notNull())
    .addColumn("annual_rate", "numeric(6, 4)", (c) => c.notNull())
    .addColumn("terms", "jsonb", (c) => c.notNull())
    .addColumn("plans", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("financing_quotes_conversation").on("financing_quotes").column("conversation_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["financing_quotes", "messages", "conversations", "cars"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
