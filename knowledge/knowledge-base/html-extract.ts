/**
 * The main text of a web page, as markdown headings and paragraphs, so a page is chunked exactly
 * like a local document. Readability drops navigation, footers and scripts.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

export interface ExtractedPage {
  readonly title: string;
  readonly markdown: string;
}

/** Returns undefined when the page has no readable main content. */
export const extractMainText = (html: string): ExtractedPage | undefined => {
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  const article = new Readability(document as unknown as Document).parse();
  if (!article?.content) return undefined;
  const { document: content } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
  const markdown = blocksToMarkdown(content.body as unknown as Element);
  if (markdown.trim() === "") return undefined;
  return { title: (article.title ?? "").trim() || pageTitle || "Página web", markdown };
};

const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, th, dt, dd";

const blocksToMarkdown = (root: Element): string => {
  const lines: string[] = [];
  for (const element of Array.from(root.querySelectorAll(BLOCKS))) {
    // A paragraph inside a list item (or similar) is already covered by its outer block.
    if (element.parentElement?.closest(BLOCKS)) continue;
    const text = (element.textContent ?? "").replace(/\s+/g, " ").trim();
    if (text === "") continue;
    const tag = element.tagName.toLowerCase();
    if (/^h[1-6]$/.test(tag)) lines.push("", `${"#".repeat(Math.max(2, Number(tag[1])))} ${text}`, "");
    else if (tag === "li") lines.push(`- ${text}`);
    else lines.push(text, "");
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
};
