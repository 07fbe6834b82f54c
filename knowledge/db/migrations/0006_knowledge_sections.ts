/**
 * Knowledge sections with metadata and embeddings:
 * - documents keep a `reference` (the link or source name their facts come from), quoted in answers;
 * - chunks keep the kinds of question they answer (`answers`) and the words customers use for them
 *   (`keywords`), indexed with the heading's weight (B);
 * - `knowledge_embeddings` stores one vector per chunk and embedding model (real[], so it works on
 *   any PostgreSQL and on PGlite; where pgvector is installed the similarity is computed with it by
 *   casting). Chunks are rewritten when their document changes, and their vectors go with them.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table knowledge_documents add column reference text`.execute(db);
  await sql`alter table knowledge_chunks add column answers text[] not null default '{}'`.execute(db);
  await sql`alter table knowledge_chunks add column keywords text not null default ''`.execute(db);
  // Generated columns cannot be altered: drop them (their indexes go with them) and add them again.
  await sql`alter table knowledge_chunks drop column tsv`.execute(db);
  await sql`alter table knowledge_chunks drop column search_text`.execute(db);
  await sql`
    alter table knowledge_chunks add column tsv tsvector generated always as (
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(title)), 'A') ||
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(heading || ' ' || keywords)), 'B') ||
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(body)), 'C')
    ) stored
  `.execute(db);
  await sql`
    alter table knowledge_chunks add column search_text text generated always as (
      lower(kb_unaccent(title || ' ' || heading || ' ' || keywords || ' ' || body))
    ) stored
  `.execute(db);
  await sql`create index knowledge_chunks_tsv on knowledge_chunks using gin (tsv)`.execute(db);
  await sql`create index knowledge_chunks_trgm on knowledge_chunks using gin (search_text gin_trgm_ops)`.execute(db);
  // Documents stored before this migration were chunked without metadata: make the next sync redo them.
  await sql`update knowledge_documents set content_hash = 'stale:' || content_hash`.execute(db);

  await sql`
    create table knowledge_embeddings (
      chunk_id integer not null references knowledge_chunks (id) on delete cascade,
      model text not null,
      text_hash text not null,
      embedding real[] not null,
      created_at timestamptz not null default now(),
      primary key (chunk_id, model)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists knowledge_embeddings`.execute(db);
  await sql`alter table knowledge_chunks drop column tsv`.execute(db);
  await sql`alter table knowledge_chunks drop column search_text`.execute(db);
  await sql`alter table knowledge_chunks drop column answers`.execute(db);
  await sql`alter table knowledge_chunks drop column keywords`.execute(db);
  await sql`alter table knowledge_documents drop column reference`.execute(db);
  await sql`
    alter table knowledge_chunks add column tsv tsvector generated always as (
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(title)), 'A') ||
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(heading)), 'B') ||
      setweight(to_tsvector('spanish'::regconfig, kb_unaccent(body)), 'C')
    ) stored
  `.execute(db);
  await sql`alter table knowledge_chunks add column search_text text generated always as (lower(kb_unaccent(title || ' ' || heading || ' ' || body))) stored`.execute(db);
  await sql`create index knowledge_chunks_tsv on knowledge_chunks using gin (tsv)`.execute(db);
  await sql`create index knowledge_chunks_trgm on knowledge_chunks using gin (search_text gin_trgm_ops)`.execute(db);
}
