/**
 * The knowledge base: documents, their heading-sized chunks and the vocabulary used to correct
 * typos. Works on PostgreSQL and PGlite (both need the unaccent and pg_trgm extensions).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);

  // unaccent() is only STABLE (its dictionary could change), so a generated column cannot call it.
  // The usual fix: an IMMUTABLE wrapper that names the dictionary explicitly, schema-qualified
  // with wherever the extension was installed.
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent'
  `.execute(db);
  const schema = sql.id(rows[0]?.schema ?? "public");
  await sql`
    create or replace function kb_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select ${schema}.unaccent(${sql.lit(`${rows[0]?.schema ?? "public"}.unaccent`)}::regdictionary, $1) $$
  `.execute(db);

  await db.schema
    .createTable("knowledge_documents")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The document title is copied into each chunk so the generated columns can index it with the
  // heading. Weights: A title, B heading, C body.
  await sql`
    create table knowledge_chunks (
      id serial primary key,
      document_id integer not null references knowledge_documents (id) on delete cascade,
      position integer not null,
      title text not null,
      heading text not null,
      body text not null,
      tsv tsvector generated always as (
        setweight(to_tsvector('spanish'::regconfig, kb_unaccent(title)), 'A') ||
        setweight(to_tsvector('spanish'::regconfig, kb_unaccent(heading)), 'B') ||
        setweight(to_tsvector('spanish'::regconfig, kb_unaccent(body)), 'C')
      ) stored,
      search_text text generated always as (lower(kb_unaccent(title || ' ' || heading || ' ' || body))) stored,
      unique (document_id, position)
    )
  `.execute(db);
  await sql`create index knowledge_chunks_tsv on knowledge_chunks using gin (tsv)`.execute(db);
  await sql`create index knowledge_chunks_trgm on knowledge_chunks using gin (search_text gin_trgm_ops)`.execute(db);

  // Distinct unaccented words of all chunks: the dictionary typos are corrected against.
  await db.schema
    .createTable("knowledge_terms")
    .addColumn("term", "text", (c) => c.primaryKey())
    .addColumn("chunk_count", "integer", (c) => c.notNull())
    .execute();
  await sql`create index knowledge_terms_trgm on knowledge_terms using gin (term gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("knowledge_terms").ifExists().execute();
  await db.schema.dropTable("knowledge_chunks").ifExists().execute();
  await db.schema.dropTable("knowledge_documents").ifExists().execute();
  await sql`drop function if exists kb_unaccent(text)`.execute(db);
}
