/** Kavak answers, only from what search_knowledge returned; abstains when it returned nothing. */
import type { SearchKnowledgeOutput } from "../../../tools/contracts.ts";
import { pickPhrase } from "./variety.ts";

const MAX_TOTAL = 1000;
/** Results this close to the best one answer the same question (chunks of one document). */
const CLOSE_SCORE = 0.9;

/** Notes the knowledge documents leave for the assistant ("no hay que citar uno") are not for the user. */
const dropAssistantNotes = (text: string): string => text.replace(/(?:[,:;]\s*|\s+y\s+)no hay que [a-záéíóúñ]+(?:\s+uno)?(?=[.:,;]|$)/gi, "");

/** First line as a bold title; hard-wrapped lines joined; list items kept on their own line. */
export const formatChunk = (text: string): string => {
  const lines = text.replace(/\r/g, "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const [first, ...rest] = lines;
  if (first === undefined) return "";
  const body: string[] = [];
  for (const line of rest) {
    const item = /^[-•*]\s+/.test(line);
    if (item || body.length === 0) body.push(item ? `• ${line.replace(/^[-•*]\s+/, "")}` : line);
    else if (body[body.length - 1]!.startsWith("• ")) body.push(line);
    else body[body.length - 1] = `${body[body.length - 1]} ${line}`;
  }
  const title = first.replace(/^#+\s*/, "").replace(/\*/g, "");
  return body.length === 0 ? title : `*${title}*\n${body.map(dropAssistantNotes).join("\n")}`;
};

export const knowledgeReply = (output: SearchKnowledgeOutput, _seed: string): string => {
  const results = [...output.results].sort((a, b) => b.score - a.score);
  const top = results[0];
  if (top === undefined) return "";
  const parts: string[] = [];
  let size = 0;
  for (const result of results) {
    if (result !== top && result.score < top.score * CLOSE_SCORE) break;
    const chunk = formatChunk(result.text);
    if (chunk === "" || parts.includes(chunk)) continue;
    if (parts.length > 0 && size + chunk.length > MAX_TOTAL) break;
    parts.push(chunk.length > MAX_TOTAL ? `${chunk.slice(0, chunk.lastIndexOf(" ", MAX_TOTAL))}…` : chunk);
    size += chunk.length;
  }
  return parts.join("\n\n");
};

export const noKnowledgeReply = (seed: string): string =>
  pickPhrase(seed, "no-knowledge", [
    "Esa información no la tengo y prefiero no darte un dato incorrecto. Si quieres, te pongo en contacto con un asesor de Kavak que te lo confirme.",
    "Uy, de eso no tengo información confiable 🙏 Un asesor de Kavak te lo puede confirmar; ¿quieres que te canalice?",
  ]);
