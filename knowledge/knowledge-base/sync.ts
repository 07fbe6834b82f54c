/**
 * Entry points for the application and the command line: they need only the Database.
 * The app calls `syncKnowledgeDocuments()` at start-up; with unchanged files it reads the folder,
 * compares hashes in one query and writes nothing.
 */
import { Effect } from "effect";
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ingestMarkdownFile, ingestUrl, KnowledgeIngestError, syncDocumentsFolder } from "./ingest.ts";
import { KnowledgeStore } from "./knowledge-store.ts";

/** The project's own documents (knowledge/documents), wherever the process was started from. */
export const DEFAULT_DOCUMENTS_DIR = fileURLToPath(new URL("../documents/", import.meta.url));

/** Makes the stored local documents match the markdown files in `dir` (see syncDocumentsFolder). */
export const syncKnowledgeDocuments = (dir: string = DEFAULT_DOCUMENTS_DIR) =>
  syncDocumentsFolder(dir).pipe(Effect.provide(KnowledgeStore.layer));

export type IngestOutcome =
  | { readonly kind: "folder"; readonly added: ReadonlyArray<string>; readonly updated: ReadonlyArray<string>; readonly removed: ReadonlyArray<string>; readonly unchanged: number }
  | { readonly kind: "file" | "url"; readonly source: string; readonly title: string; readonly chunks: number; readonly changed: boolean };

/** A folder (synced), a markdown file or an http(s) URL. */
export const ingestKnowledgeSource = (target: string) =>
  Effect.gen(function* () {
    if (/^https?:\/\//i.test(target)) return { kind: "url" as const, ...(yield* ingestUrl(target)) };
    const info = yield* Effect.tryPromise({
      try: () => stat(target),
      catch: (cause) => new KnowledgeIngestError({ source: target, reason: "no such file or folder", cause }),
    });
    if (info.isDirectory()) return { kind: "folder" as const, ...(yield* syncDocumentsFolder(target)) };
    return { kind: "file" as const, ...(yield* ingestMarkdownFile(target)) };
  }).pipe(Effect.provide(KnowledgeStore.layer)) satisfies Effect.Effect<IngestOutcome, unknown, unknown>;
