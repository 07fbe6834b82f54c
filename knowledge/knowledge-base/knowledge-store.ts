/**
 * The knowledge tables: documents, chunks and the typo-correction vocabulary. Writes happen in
 * one transaction under an advisory lock, so two processes syncing at once do not interleave.
 */
import { Context, Effect, Layer } from "effect";
import { sql } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";
import type { DocumentChunk } from "./markdown.ts";

export interface DocumentToStore {
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  /** The link or source name the facts come from (front matter `reference`; a URL document's own URL). */
  readonly reference?: string | undefined;
  readonly contentHash: string;
  readonly chunks: ReadonlyArray<DocumentChunk>;
}

export interface WordLookup {
  readonly word: string;
  /** The word occurs in some chunk. */
  readonly known: boolean;
  /** Closest vocabulary words by trigram similarity, best first (only for unknown words). */
  readonly suggestions: ReadonlyArray<{ readonly term: string; readonly similarity: number }>;
}

export interface ConceptMember {
  readonly concept: number;
  /** A word or phrase; the database turns it into Spanish lexemes. */
  readonly text: string;
  /** 1 for the question's own word or a synonym, lower for a typo correction. */
  readonly weight: number;
}

export interface ChunkMatch {
  readonly chunkId: number;
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  readonly heading: string;
  readonly body: string;
  /** Kinds of question the section answers (its metadata). */
  readonly answers: ReadonlyArray<string>;
  readonly reference: string | undefined;
  readonly concept: number;
  /** Best member weight among members found in the document title (0 when none). */
  readonly titleWeight: number;
  /** Best member weight among members found in the section heading or its keywords (0 when none). */
  readonly headingWeight: number;
  /** Best member weight among members found anywhere in the chunk. */
  readonly anyWeight: number;
  /** pg_trgm similarity of the whole question to the title and heading, a tie-breaker (short, on-topic headings win). */
  readonly trigram: number;
  /** pg_trgm similarity of the whole question to the document title alone ("qué es kavak" ~ "Qué es Kavak"). */
  readonly titleTrigram: number;
}

export interface ConceptMatches {
  readonly totalChunks: number;
  /** Concepts with at least one lexeme (a concept made only of Spanish stopwords has none). */
  readonly activeConcepts: ReadonlySet<number>;
  readonly matches: ReadonlyArray<ChunkMatch>;
}

/** A stored section with its metadata (for embeddings and the sedes answers). */
export interface StoredChunk {
  readonly chunkId: number;
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  readonly reference: string | undefined;
  readonly heading: string;
  readonly body: string;
  readonly keywords: string;
  readonly answers: ReadonlyArray<string>;
}

export interface KnowledgeStoreShape {
  /** source → content hash of every stored document. */
  readonly hashes: () => Effect.Effect<ReadonlyMap<string, string>, DatabaseError>;
  /** Replaces the given documents (and their chunks) and removes others, in one transaction. */
  readonly apply: (changes: { readonly upserts: ReadonlyArray<DocumentToStore>; readonly removals: ReadonlyArray<string> }) => Effect.Effect<void, DatabaseError>;
  readonly stats: () => Effect.Effect<{ readonly documents: number; readonly chunks: number }, DatabaseError>;
  readonly lookupWords: (words: ReadonlyArray<string>, minSimilarity: number) => Effect.Effect<ReadonlyArray<WordLookup>, DatabaseError>;
  readonly matchConcepts: (members: ReadonlyArray<ConceptMember>, question: string) => Effect.Effect<ConceptMatches, DatabaseError>;
  /** Every stored section, in document and position order. */
  readonly chunks: () => Effect.Effect<ReadonlyArray<StoredChunk>, DatabaseError>;
}

/** Any fixed number: the key of the advisory lock that serialises knowledge writes. */
const WRITE_LOCK = 72_760_512;

export class KnowledgeStore extends Context.Service<KnowledgeStore, KnowledgeStoreShape>()("KnowledgeStore") {
  static readonly layer = Layer.effect(
    KnowledgeStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return KnowledgeStore.of({
        hashes: () =>
          use("knowledge.hashes", (db) => db.selectFrom("knowledge_documents").select(["source", "content_hash"]).execute()).pipe(
            Effect.map((rows) => new Map(rows.map((row) => [row.source, row.content_hash]))),
          ),

        apply: ({ upserts, removals }) =>
          use("knowledge.apply", (db) =>
            db.transaction().execute(async (trx) => {
              await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
              if (removals.length > 0) await trx.deleteFrom("knowledge_documents").where("source", "in", [...removals]).execute();
              for (const document of upserts) {
                const { id } = await trx
                  .insertInto("knowledge_documents")
                  .values({ source: document.source, title: document.title, topic: document.topic, content_hash: document.contentHash })
                  .onConflict((oc) =>
                    oc.column("source").doUpdateSet({ title: document.title, topic: document.topic, content_hash: document.contentHash, updated_at: new Date() }),
                  )
                  .returning("id")
                  .executeTakeFirstOrThrow();
                await sql`update knowledge_documents set reference = ${document.reference ?? null} where id = ${id}`.execute(trx);
                await trx.deleteFrom("knowledge_chunks").where("document_id", "=", id).execute();
                if (document.chunks.length > 0) {
                  const chunks = document.chunks;
                  await sql`
                    insert into knowledge_chunks (document_id, position, title, heading, body, answers, keywords)
                    select ${id}, c.position, ${document.title}, c.heading, c.body, coalesce(string_to_array(nullif(c.answers, ''), '|'), '{}'), c.keywords
                    from unnest(${chunks.map((c) => c.position)}::int[], ${chunks.map((c) => c.heading)}::text[], ${chunks.map((c) => c.body)}::text[],
                                ${chunks.map((c) => (c.answers ?? []).join("|"))}::text[], ${chunks.map((c) => (c.keywords ?? []).join(", "))}::text[])
                      as c(position, heading, body, answers, keywords)
                  `.execute(trx);
                }
              }
              await trx.deleteFrom("knowledge_terms").execute();
              await sql`
                insert into knowledge_terms (term, chunk_count)
                select word, count(distinct c.id)::int
                from knowledge_chunks c cross join lateral regexp_split_to_table(c.search_text, '[^a-z0-9]+') as word
                where length(word) >= 2
                group by word
              `.execute(trx);
            }),
          ),

        stats: () =>
          use("knowledge.stats", async (db) => {
            const row = await db
              .selectNoFrom((eb) => [
                eb.selectFrom("knowledge_documents").select((e) => e.fn.countAll<string>().as("n")).as("documents"),
                eb.selectFrom("knowledge_chunks").select((e) => e.fn.countAll<string>().as("n")).as("chunks"),
              ])
              .executeTakeFirstOrThrow();
            return { documents: Number(row.documents), chunks: Number(row.chunks) };
          }),

        lookupWords: (words, minSimilarity) =>
          words.length === 0
            ? Effect.succeed([])
            : use("knowledge.lookup_words", async (db) => {
                const { rows } = await sql<{ word: string; known: boolean; suggestions: Array<{ term: string; similarity: number }> | null }>`
                  select w.word,
                    exists (select 1 from knowledge_terms t where t.term = w.word) as known,
                    (select json_agg(json_build_object('term', s.term, 'similarity', s.similarity) order by s.similarity desc, s.chunk_count desc)
                       from (select t.term, similarity(t.term, w.word)::float8 as similarity, t.chunk_count
                             from knowledge_terms t
                             where t.term % w.word and similarity(t.term, w.word) >= ${minSimilarity}
                             order by similarity desc, t.chunk_count desc limit 3) s) as suggestions
                  from unnest(${[...words]}::text[]) as w(word)
                `.execute(db);
                return rows.map((row) => ({ word: row.word, known: row.known, suggestions: row.known ? [] : (row.suggestions ?? []) }));
              }),

        matchConcepts: (members, question) =>
          use("knowledge.match_concepts", async (db) => {
            const concepts = members.map((m) => m.concept);
            const texts = members.map((m) => m.text);
            const weights = members.map((m) => m.weight);
            // One row per (chunk, concept). Variants of a member's query restrict every lexeme to the
            // title (weight A) or to the heading and its keywords (B): 'ciud' <2> 'mexic' → 'ciud':B <2> 'mexic':B.
            const { rows } = await sql<{
              chunk_id: number; source: string; title: string; topic: string; heading: string; body: string; answers: string[]; reference: string | null;
              concept: number; title_weight: number; heading_weight: number; any_weight: number; trigram: number; title_trigram: number;
            }>`
              with member as (
                select m.concept, m.weight, phraseto_tsquery('spanish'::regconfig, kb_unaccent(m.text)) as q
                from unnest(${concepts}::int[], ${texts}::text[], ${weights}::float8[]) as m(concept, text, weight)
              ), query as (
                select concept, weight, q,
                  regexp_replace(q::text, '''([^'']+)''', '''\\1'':A', 'g')::tsquery as title_q,
                  regexp_replace(q::text, '''([^'']+)''', '''\\1'':B', 'g')::tsquery as heading_q
                from member where numnode(q) > 0
              )
              select c.id as chunk_id, d.source, c.title, d.topic, c.heading, c.body, c.answers, d.reference, query.concept,
                max(case when c.tsv @@ query.title_q then query.weight else 0 end)::float8 as title_weight,
                max(case when c.tsv @@ query.heading_q then query.weight else 0 end)::float8 as heading_weight,
                max(query.weight)::float8 as any_weight,
                similarity(${question}, lower(kb_unaccent(c.title || ' ' || c.heading)))::float8 as trigram,
                similarity(${question}, lower(kb_unaccent(c.title)))::float8 as title_trigram
              from query
              join knowledge_chunks c on c.tsv @@ query.q
              join knowledge_documents d on d.id = c.document_id
              group by c.id, d.id, query.concept
            `.execute(db);
            const active = await sql<{ concept: number }>`
              select distinct m.concept from unnest(${concepts}::int[], ${texts}::text[]) as m(concept, text)
              where numnode(phraseto_tsquery('spanish'::regconfig, kb_unaccent(m.text))) > 0
            `.execute(db);
            const total = await db.selectFrom("knowledge_chunks").select((e) => e.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
            return {
              totalChunks: Number(total.n),
              activeConcepts: new Set(active.rows.map((row) => Number(row.concept))),
              matches: rows.map((row) => ({
                chunkId: row.chunk_id, source: row.source, title: row.title, topic: row.topic, heading: row.heading, body: row.body,
                answers: row.answers ?? [], reference: row.reference ?? undefined,
                concept: Number(row.concept), titleWeight: Number(row.title_weight), headingWeight: Number(row.heading_weight), anyWeight: Number(row.any_weight), trigram: Number(row.trigram), titleTrigram: Number(row.title_trigram),
              })),
            };
          }),

        chunks: () =>
          use("knowledge.chunks", async (db) => {
            const { rows } = await sql<{
              chunk_id: number; source: string; title: string; topic: string; reference: string | null; heading: string; body: string; keywords: string; answers: string[];
            }>`
              select c.id as chunk_id, d.source, c.title, d.topic, d.reference, c.heading, c.body, c.keywords, c.answers
              from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
              order by d.source, c.position
            `.execute(db);
            return rows.map((row) => ({
              chunkId: row.chunk_id, source: row.source, title: row.title, topic: row.topic, reference: row.reference ?? undefined,
              heading: row.heading, body: row.body, keywords: row.keywords, answers: row.answers ?? [],
            }));
          }),
      });
    }),
  );
}
