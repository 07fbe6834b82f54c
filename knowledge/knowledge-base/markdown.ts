/**
 * Markdown documents: a small front matter (title, topic) and a body split into one chunk per
 * heading. Pure functions; the ingest decides where the text comes from.
 */
import { parse as parseYaml } from "yaml";

export interface ParsedDocument {
  readonly title: string;
  readonly topic: string;
  readonly body: string;
}

export interface DocumentChunk {
  readonly position: number;
  /** The section heading, or the document title for the text before the first section. */
  readonly heading: string;
  readonly body: string;
}

/** Bump when chunking changes, so every document is re-ingested once. */
export const CHUNKER_VERSION = "1";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Reads the front matter. Missing fields fall back to the first `# ` heading (title) and
 * `fallbackTopic`, so plain markdown files can be ingested too.
 */
export const parseMarkdownDocument = (raw: string, fallback: { readonly title: string; readonly topic: string }): ParsedDocument => {
  const match = FRONT_MATTER.exec(raw);
  const meta: unknown = match ? parseYaml(match[1] ?? "") : undefined;
  const field = (name: string) => {
    const value = meta && typeof meta === "object" ? (meta as Record<string, unknown>)[name] : undefined;
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const body = match ? raw.slice(match[0].length) : raw;
  const h1 = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
  return { title: field("title") ?? h1 ?? fallback.title, topic: field("topic") ?? fallback.topic, body };
};

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/**
 * One chunk per section of level 2 or deeper; the `# ` title line is dropped and the text before
 * the first section becomes a chunk headed by the document title. Empty sections are skipped.
 */
export const splitByHeadings = (title: string, body: string): ReadonlyArray<DocumentChunk> => {
  const sections: Array<{ heading: string; lines: string[] }> = [{ heading: title, lines: [] }];
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading && heading[1] === "#") continue;
    if (heading) sections.push({ heading: heading[2]!.trim(), lines: [] });
    else sections.at(-1)!.lines.push(line);
  }
  return sections
    .map((section) => ({ heading: section.heading, body: tidy(section.lines.join("\n")) }))
    .filter((section) => section.body !== "")
    .map((section, position) => ({ position, ...section }));
};

const tidy = (text: string) => text.replace(/\n{3,}/g, "\n\n").trim();
