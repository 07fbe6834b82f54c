/**
 * Ingestion: markdown files from a folder (the folder is the whole set of local documents) or a
 * web page by URL. Unchanged content (same hash) is skipped, so a sync at every start-up is cheap.
 */
import { Data, Effect } from "effect";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { extractMainText } from "./html-extract.ts";
import { KnowledgeStore, type DocumentToStore } from "./knowledge-store.ts";
import { CHUNKER_VERSION, parseMarkdownDocument, splitByHeadings } from "./markdown.ts";

export class KnowledgeIngestError extends Data.TaggedError("KnowledgeIngestError")<{
  readonly source: string;
  readonly reason: string;
  readonly cause?: unknown;
}> {}

export interface SyncReport {
  readonly added: ReadonlyArray<string>;
  readonly updated: ReadonlyArray<string>;
  readonly removed: ReadonlyArray<string>;
  readonly unchanged: number;
}

const isUrlSource = (source: string) => /^https?:\/\//i.test(source);

const contentHash = (...parts: ReadonlyArray<string>) =>
  createHash("sha256").update([CHUNKER_VERSION, ...parts].join("\u0000")).digest("hex");

/** A markdown text as the document to store, keyed by `source`. */
export const markdownDocument = (source: string, raw: string, fallbackTopic = "general"): DocumentToStore => {
  const fallbackTitle = basename(source).replace(/\.(md|markdown)$/i, "").replace(/[-_]+/g, " ");
  const parsed = parseMarkdownDocument(raw, { title: fallbackTitle, topic: fallbackTopic });
  return {
    source,
    title: parsed.title,
    topic: parsed.topic,
    reference: parsed.reference,
    contentHash: contentHash(raw),
    chunks: splitByHeadings(parsed.title, parsed.body),
  };
};

const listMarkdownFiles = (dir: string) =>
  Effect.tryPromise({
    try: async () => {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
        .map((entry) => join(entry.parentPath, entry.name))
        .sort();
    },
    catch: (cause) => new KnowledgeIngestError({ source: dir, reason: "cannot list the documents folder", cause }),
  });

const readText = (path: string) =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) => new KnowledgeIngestError({ source: path, reason: "cannot read the file", cause }),
  });

const toSource = (root: string, file: string) => relative(root, file).split(sep).join("/");

/**
 * Makes the stored local documents equal to the markdown files under `dir`: new and changed
 * files are (re)chunked, documents whose file is gone are removed with their chunks. Documents
 * ingested from URLs are left alone. Writes nothing when every hash matches.
 */
export const syncDocumentsFolder = Effect.fn("knowledge.sync")(function* (dir: string) {
  const store = yield* KnowledgeStore;
  const files = yield* listMarkdownFiles(dir);
  const stored = yield* store.hashes();
  const upserts: DocumentToStore[] = [];
  const added: string[] = [];
  const updated: string[] = [];
  const present = new Set<string>();
  for (const file of files) {
    const source = toSource(dir, file);
    present.add(source);
    const document = markdownDocument(source, yield* readText(file));
    const previous = stored.get(source);
    if (previous === document.contentHash) continue;
    upserts.push(document);
    (previous === undefined ? added : updated).push(source);
  }
  const removed = [...stored.keys()].filter((source) => !isUrlSource(source) && !present.has(source)).sort();
  if (upserts.length > 0 || removed.length > 0) yield* store.apply({ upserts, removals: removed });
  const report: SyncReport = { added, updated, removed, unchanged: files.length - upserts.length };
  if (upserts.length > 0 || removed.length > 0) yield* Effect.logInfo("knowledge documents synced", report);
  return report;
});

/** Ingests one markdown file; its source is its path relative to its folder, as a sync of that folder would name it. */
export const ingestMarkdownFile = Effect.fn("knowledge.ingest_file")(function* (file: string) {
  const store = yield* KnowledgeStore;
  const document = markdownDocument(toSource(dirname(file), file), yield* readText(file));
  const stored = yield* store.hashes();
  const changed = stored.get(document.source) !== document.contentHash;
  if (changed) yield* store.apply({ upserts: [document], removals: [] });
  return { source: document.source, title: document.title, chunks: document.chunks.length, changed };
});

/** Fetches a page, keeps its main text (Readability) and stores it as a document with topic "web". */
export const ingestUrl = Effect.fn("knowledge.ingest_url")(function* (url: string, options: { readonly timeoutMs?: number; readonly topic?: string } = {}) {
  const store = yield* KnowledgeStore;
  const page = yield* Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
        headers: { accept: "text/html, text/markdown;q=0.9, text/plain;q=0.8" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return { contentType: response.headers.get("content-type") ?? "", text: await response.text() };
    },
    catch: (cause) => new KnowledgeIngestError({ source: url, reason: `cannot fetch the page (${String((cause as Error)?.message ?? cause)})`, cause }),
  });
  const topic = options.topic ?? "web";
  let document: DocumentToStore;
  if (/html/i.test(page.contentType) || /^\s*<(!doctype|html)/i.test(page.text)) {
    const extracted = extractMainText(page.text);
    if (!extracted) return yield* new KnowledgeIngestError({ source: url, reason: "the page has no readable main text" });
    document = {
      source: url,
      title: extracted.title,
      topic,
      reference: url,
      contentHash: contentHash(extracted.title, extracted.markdown),
      chunks: splitByHeadings(extracted.title, extracted.markdown),
    };
  } else {
    const fromMarkdown = markdownDocument(url, page.text, topic);
    document = { ...fromMarkdown, source: url, reference: fromMarkdown.reference ?? url };
  }
  if (document.chunks.length === 0) return yield* new KnowledgeIngestError({ source: url, reason: "the page has no text" });
  const stored = yield* store.hashes();
  const changed = stored.get(url) !== document.contentHash;
  if (changed) yield* store.apply({ upserts: [document], removals: [] });
  return { source: url, title: document.title, chunks: document.chunks.length, changed };
});

/** Removes one document (file source or URL) and its chunks. */
export const removeKnowledgeDocument = Effect.fn("knowledge.remove")(function* (source: string) {
  const store = yield* KnowledgeStore;
  yield* store.apply({ upserts: [], removals: [source] });
});
