/**
 * Kavak answers, only from what search_knowledge returned; abstains when it returned nothing.
 * search_knowledge already chose what to quote (the best section, and a second one only when it
 * answers another part of the question): the reply quotes it briefly, in the assistant's voice,
 * and names the source the knowledge base keeps for it.
 */
import type { SearchKnowledgeOutput } from "../../../tools/contracts.ts";
import { pickPhrase } from "./variety.ts";

const MAX_TOTAL = 1000;
/** Sections quoted at most (search_knowledge returns one or two). */
const MAX_SECTIONS = 2;

/** Notes the knowledge documents leave for the assistant ("no hay que citar uno") are not for the user. */
const dropAssistantNotes = (text: string): string => text.replace(/(?:[,:;]\s*|\s+y\s+)no hay que [a-záéíóúñ]+(?:\s+uno)?(?=[.:,;]|$)/gi, "");

/** First line as a bold title; hard-wrapped lines joined; list items (bullets or numbers) kept on their own line. */
export const formatChunk = (text: string): string => {
  const lines = text.replace(/\r/g, "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const [first, ...rest] = lines;
  if (first === undefined) return "";
  const body: string[] = [];
  for (const line of rest) {
    const bullet = /^[-•*]\s+/.test(line);
    const numbered = /^\d+\.\s+/.test(line);
    if (bullet || numbered || body.length === 0) body.push(bullet ? `• ${line.replace(/^[-•*]\s+/, "")}` : line);
    else if (body[body.length - 1]!.startsWith("• ") || /^\d+\.\s/.test(body[body.length - 1]!)) body.push(line);
    else body[body.length - 1] = `${body[body.length - 1]} ${line}`;
  }
  const title = first.replace(/^#+\s*/, "").replace(/\*/g, "");
  return body.length === 0 ? title : `*${title}*\n${body.map(dropAssistantNotes).join("\n")}`;
};

type Result = SearchKnowledgeOutput["results"][number];

/** "Fuente: «Garantía y Kavak Total», kavak.com/mx/blog/…": the document and the link (or source name) it keeps. */
const sourceLine = (quoted: ReadonlyArray<Result>): string => {
  const sources: string[] = [];
  for (const result of quoted) {
    const source = result.reference ? `«${result.title}», ${result.reference}` : `«${result.title}»`;
    if (!sources.includes(source)) sources.push(source);
  }
  // one link for all when the documents share it
  const references = new Set(quoted.map((r) => r.reference ?? ""));
  if (sources.length > 1 && references.size === 1 && quoted[0]?.reference) return `_Fuente: ${[...new Set(quoted.map((r) => `«${r.title}»`))].join(" y ")}, ${quoted[0].reference}_`;
  return `_Fuente: ${sources.join("; ")}_`;
};

export const knowledgeReply = (output: SearchKnowledgeOutput, seed: string): string => {
  const results = output.results.slice(0, MAX_SECTIONS);
  if (results.length === 0) return "";
  const parts: string[] = [];
  const quoted: Result[] = [];
  let size = 0;
  for (const result of results) {
    const chunk = formatChunk(result.text);
    if (chunk === "" || parts.includes(chunk)) continue;
    if (parts.length > 0 && size + chunk.length > MAX_TOTAL) break;
    parts.push(chunk.length > MAX_TOTAL ? `${chunk.slice(0, chunk.lastIndexOf(" ", MAX_TOTAL))}…` : chunk);
    quoted.push(result);
    size += chunk.length;
  }
  if (parts.length === 0) return "";
  const lead = pickPhrase(seed, "knowledge-lead", ["Te cuento:", "Claro, mira:", "Esto es lo que tengo:"]);
  return [lead, ...parts, sourceLine(quoted)].join("\n\n");
};

export const noKnowledgeReply = (seed: string): string =>
  pickPhrase(seed, "no-knowledge", [
    "Esa información no la tengo y prefiero no darte un dato incorrecto. Si quieres, te pongo en contacto con un asesor de Kavak que te lo confirme.",
    "Uy, de eso no tengo información confiable 🙏 Un asesor de Kavak te lo puede confirmar; ¿quieres que te canalice?",
  ]);
