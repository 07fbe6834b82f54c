/**
 * Plate photos of fines checks (issue 16): the image a check_fines call was given, kept only while
 * its check is pending so that the job survives a crash of the worker (the worker reads it from
 * here, not from memory). The fines worker deletes the row once the check is settled, unless
 * FINES_KEEP_IMAGES=true. Deleting the check deletes its image.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table fines_images (
      check_id text primary key references fines_checks (id) on delete cascade,
      media_type text not null check (media_type in ('image/jpeg', 'image/png', 'image/webp')),
      data bytea not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists fines_images`.execute(db);
}
