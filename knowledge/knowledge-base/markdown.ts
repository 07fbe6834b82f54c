/**
 * Markdown documents: a small front matter (title, topic, reference) and a body split into one
 * chunk per heading. A section may carry metadata in an HTML comment line (invisible in rendered
 * markdown, never part of the answer text):
 *
 *   ## Devolver el auto si no te convence
 *   <!-- answers: condition, possibility; keywords: no me gusta, regresarlo -->
 *
 * `answers` names the kinds of question the section answers (see QUESTION_KINDS in
 * question-intent.ts); `keywords` are words customers use for it, indexed like the heading.
 * Pure functions; the ingest decides where the text comes from.
 */
import { parse as parseYaml } from "yaml";

export interface ParsedDocument {
  readonly title: string;
  readonly topic: string;
  /** Where the facts come from (a link or a source name), quoted with answers; undefined when unknown. */
  readonly reference?: string | undefined;
  readonly body: string;
}

export interface DocumentChunk {
  readonly position: number;
  /** The section heading, or the document title for the text before the first section. */
  readonly heading: string;
  readonly body: string;
  /** Kinds of question the section answers (its `answers:` metadata). */
  readonly answers: ReadonlyArray<string>;
  /** Extra words customers use for the section (its `keywords:` metadata), searched like the heading. */
  readonly keywords: ReadonlyArray<string>;
}

/** Bump when chunking changes, so every document is re-ingested once. */
export const CHUNKER_VERSION = "2";

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
  const reference = field("reference");
  return { title: field("title") ?? h1 ?? fallback.title, topic: field("topic") ?? fallback.topic, ...(reference ? { reference } : {}), body };
};

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const METADATA = /^\s*<!--\s*([\s\S]*?)\s*-->\s*$/;

/** "answers: definition, process; keywords: qué es, a qué se dedican" → its lists (other keys ignored). */
export const parseSectionMetadata = (text: string): { answers: string[]; keywords: string[] } => {
  const meta = { answers: [] as string[], keywords: [] as string[] };
  for (const part of text.split(";")) {
    const [key, value] = [part.slice(0, part.indexOf(":")).trim().toLowerCase(), part.slice(part.indexOf(":") + 1)];
    if (!part.includes(":") || (key !== "answers" && key !== "keywords")) continue;
    meta[key].push(...value.split(",").map((v) => v.trim()).filter((v) => v !== ""));
  }
  return meta;
};

/**
 * One chunk per section of level 2 or deeper; the `# ` title line is dropped and the text before
 * the first section becomes a chunk headed by the document title. Empty sections are skipped.
 */
export const splitByHeadings = (title: string, body: string): ReadonlyArray<DocumentChunk> => {
  const sections: Array<{ heading: string; lines: string[]; answers: string[]; keywords: string[] }> = [{ heading: title, lines: [], answers: [], keywords: [] }];
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    const metadata = inFence ? null : METADATA.exec(line);
    if (heading && heading[1] === "#") continue;
    if (heading) sections.push({ heading: heading[2]!.trim(), lines: [], answers: [], keywords: [] });
    else if (metadata) {
      const { answers, keywords } = parseSectionMetadata(metadata[1]!);
      sections.at(-1)!.answers.push(...answers);
      sections.at(-1)!.keywords.push(...keywords);
    } else sections.at(-1)!.lines.push(line);
  }
  return sections
    .map((section) => ({ heading: section.heading, body: tidy(section.lines.join("\n")), answers: section.answers, keywords: section.keywords }))
    .filter((section) => section.body !== "")
    .map((section, position) => ({ position, ...section }));
};

const tidy = (text: string) => text.replace(/\n{3,}/g, "\n\n").trim();
