/** Kavak answers, only from what search_knowledge returned; abstains when it returned nothing. */
import type { SearchKnowledgeOutput } from "../../../../tools/contracts.ts";
import { pickPhrase } from "./variety.ts";

const MAX_TEXT = 700;

const clip = (text: string, max: number): string => {
  const clean = text.replace(/^#+\s*/gm, "").replace(/\s+\n/g, "\n").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const sentence = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"));
  return sentence > max / 3 ? cut.slice(0, sentence + 1) : `${cut.slice(0, cut.lastIndexOf(" "))}…`;
};

export const knowledgeReply = (output: SearchKnowledgeOutput, seed: string): string => {
  const results = [...output.results].sort((a, b) => b.score - a.score);
  const top = results[0];
  if (top === undefined) return noKnowledgeReply(seed);
  const parts = [clip(top.text, MAX_TEXT)];
  const second = results[1];
  if (second !== undefined && second.score >= top.score * 0.8 && second.text !== top.text) parts.push(clip(second.text, 400));
  return parts.join("\n\n");
};

export const noKnowledgeReply = (seed: string): string =>
  pickPhrase(seed, "no-knowledge", [
    "Esa información no la tengo y prefiero no darte un dato incorrecto. Si quieres, te pongo en contacto con un asesor de Kavak que te lo confirme.",
    "Uy, de eso no tengo información confiable 🙏 Un asesor de Kavak te lo puede confirmar; ¿quieres que te canalice?",
  ]);
