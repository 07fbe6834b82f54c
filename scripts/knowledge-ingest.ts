/**
 * npm run knowledge:ingest [folder | file.md | http(s)://url]
 * Default: knowledge/documents. A folder is synced (new/changed files re-chunked, removed files
 * deleted); a file or URL is added or updated. Uses DATABASE_URL, or the PGlite at PGLITE_DATA_DIR
 * (stop the app first: an on-disk PGlite is single-process).
 */
import { Cause, Effect } from "effect";
import { loadConfig } from "../core/config.ts";
import { Database } from "../knowledge/db/database.ts";
import { DEFAULT_DOCUMENTS_DIR, ingestKnowledgeSource } from "../knowledge/knowledge-base/sync.ts";

const target = process.argv[2] ?? DEFAULT_DOCUMENTS_DIR;
const { database } = await loadConfig();

const program = ingestKnowledgeSource(target).pipe(
  Effect.tap((outcome) =>
    Effect.sync(() => {
      if (outcome.kind === "folder") {
        console.log(`synced ${target}: ${outcome.added.length} added, ${outcome.updated.length} updated, ${outcome.removed.length} removed, ${outcome.unchanged} unchanged`);
        for (const [label, sources] of [["added", outcome.added], ["updated", outcome.updated], ["removed", outcome.removed]] as const) {
          for (const source of sources) console.log(`  ${label}: ${source}`);
        }
      } else {
        console.log(`${outcome.changed ? "ingested" : "unchanged"}: ${outcome.source} "${outcome.title}" (${outcome.chunks} chunks)`);
      }
    }),
  ),
  Effect.provide(Database.layer({ url: database.url, pgliteDataDir: database.pgliteDataDir })),
);

const exit = await Effect.runPromiseExit(program);
if (exit._tag === "Failure") {
  const error = Cause.squash(exit.cause) as { _tag?: string; source?: string; reason?: string };
  console.error(error?._tag === "KnowledgeIngestError" ? `knowledge ingest failed: ${error.source}: ${error.reason}` : Cause.pretty(exit.cause));
  process.exitCode = 1;
}
