/**
 * The catalog's version, so every instance's in-process search index can follow the cars table:
 * - catalog_state (one row): `version`, bumped by every statement that changes cars, in the same
 *   transaction; the row lock makes versions commit in order. `pruned_through`: changes at or
 *   below it are gone from the log (an index that old is rebuilt in full).
 * - catalog_changes: which stock ids each version touched (a deleted id has no row in cars).
 * - NOTIFY catalog_changed '<version>' on commit, so followers catch up at once (they also poll).
 * Statement-level triggers with transition tables: an import of 10,000 cars is one bump per
 * statement, not one per row. Works on PostgreSQL and PGlite.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_state (
      id integer primary key check (id = 1),
      version bigint not null default 0,
      pruned_through bigint not null default 0,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`insert into catalog_state (id) values (1)`.execute(db);
  await sql`
    create table catalog_changes (
      version bigint not null,
      stock_id integer not null,
      changed_at timestamptz not null default now(),
      primary key (version, stock_id)
    )
  `.execute(db);

  // One function for every event; each trigger passes its transition table's name in TG_OP.
  await sql`
    create or replace function catalog_bump_version() returns trigger language plpgsql as $fn$
    declare
      v bigint;
      pruned bigint;
    begin
      if tg_op = 'TRUNCATE' then
        update catalog_state set version = version + 1, pruned_through = version + 1, updated_at = now() where id = 1 returning version into v;
        delete from catalog_changes;
      else
        if tg_op = 'DELETE' then
          if not exists (select 1 from old_rows) then return null; end if;
        elsif not exists (select 1 from new_rows) then
          return null;
        end if;
        update catalog_state set version = version + 1, updated_at = now() where id = 1 returning version into v;
        if tg_op = 'DELETE' then
          insert into catalog_changes (version, stock_id) select distinct v, stock_id from old_rows;
        elsif tg_op = 'UPDATE' then
          insert into catalog_changes (version, stock_id)
            select v, stock_id from new_rows union select v, stock_id from old_rows;
        else
          insert into catalog_changes (version, stock_id) select distinct v, stock_id from new_rows;
        end if;
        -- Keep ten minutes of changes (checked every 100 versions): a follower further behind rebuilds.
        if v % 100 = 0 then
          delete from catalog_changes where changed_at < now() - interval '10 minutes' and version < v;
          select coalesce(min(version) - 1, v) into pruned from catalog_changes;
          update catalog_state set pruned_through = greatest(pruned_through, pruned) where id = 1;
        end if;
      end if;
      perform pg_notify('catalog_changed', v::text);
      return null;
    end
    $fn$
  `.execute(db);
  await sql`create trigger cars_version_insert after insert on cars referencing new table as new_rows for each statement execute function catalog_bump_version()`.execute(db);
  await sql`create trigger cars_version_update after update on cars referencing old table as old_rows new table as new_rows for each statement execute function catalog_bump_version()`.execute(db);
  await sql`create trigger cars_version_delete after delete on cars referencing old table as old_rows for each statement execute function catalog_bump_version()`.execute(db);
  await sql`create trigger cars_version_truncate after truncate on cars for each statement execute function catalog_bump_version()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of ["cars_version_insert", "cars_version_update", "cars_version_delete", "cars_version_truncate"]) {
    await sql`drop trigger if exists ${sql.id(trigger)} on cars`.execute(db);
  }
  await sql`drop function if exists catalog_bump_version()`.execute(db);
  await sql`drop table if exists catalog_changes`.execute(db);
  await sql`drop table if exists catalog_state`.execute(db);
}
