/**
 * Traffic fines (issue 16):
 * - traffic_fines: the embedded fines registry's data, a SAMPLE dataset for demos and tests
 *   (source = 'sample' unless imported from another CSV); amounts in integer cents.
 * - fines_checks: one row per fines lookup the assistant started (a typed plate or a photo), its
 *   status, its result (JSON, amounts in cents) and how the answer was delivered (inline in the
 *   turn or later by the worker). Plates are personal data: only the canonical plate is kept;
 *   images are not stored here.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table traffic_fines (
      folio text primary key,
      plate text not null,
      description text not null,
      authority text not null,
      issued_on date not null,
      amount_cents bigint not null check (amount_cents > 0),
      status text not null default 'unpaid' check (status in ('unpaid', 'paid')),
      source text not null default 'sample',
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index traffic_fines_plate on traffic_fines (plate)`.execute(db);
  await sql`
    create table fines_checks (
      id text primary key,
      conversation_id text,
      channel text not null,
      plate text,
      image_ref text,
      status text not null default 'pending' check (status in ('pending', 'done', 'unreadable', 'unsure', 'failed')),
      result jsonb,
      error text,
      delivery text check (delivery in ('inline', 'async')),
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )
  `.execute(db);
  await sql`create index fines_checks_conversation on fines_checks (conversation_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists fines_checks`.execute(db);
  await sql`drop table if exists traffic_fines`.execute(db);
}
