/**
 * Splits a reply into WhatsApp messages of at most `max` characters, cutting at paragraph breaks
 * first, then line breaks, then sentence ends, then spaces; a single overlong word is cut as a last resort.
 */
export const WHATSAPP_MAX_CHARS = 1600;

const LEVELS: ReadonlyArray<{ readonly split: RegExp; readonly join: string }> = [
  { split: /\n[ \t]*\n\s*/, join: "\n\n" },
  { split: /\n/, join: "\n" },
  { split: /(?<=[.!?…])\s+/, join: " " },
  { split: /\s+/, join: " " },
];

export const splitMessage = (text: string, max: number = WHATSAPP_MAX_CHARS): string[] => {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  return splitAt(trimmed, 0, max).map((part) => part.trim()).filter((part) => part !== "");
};

const splitAt = (text: string, level: number, max: number): string[] => {
  if (text.length <= max) return [text];
  const rule = LEVELS[level];
  if (!rule) return hardCut(text, max);
  const parts: string[] = [];
  let current = "";
  for (const piece of text.split(rule.split)) {
    if (piece === "") continue;
    const candidate = current === "" ? piece : current + rule.join + piece;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== "") parts.push(current);
    if (piece.length <= max) {
      current = piece;
    } else {
      parts.push(...splitAt(piece, level + 1, max));
      current = "";
    }
  }
  if (current !== "") parts.push(current);
  return parts;
};

/** Cuts by code points so an emoji is never split in half. */
const hardCut = (text: string, max: number): string[] => {
  const parts: string[] = [];
  let current = "";
  for (const char of text) {
    if (current.length + char.length > max) {
      parts.push(current);
      current = "";
    }
    current += char;
  }
  if (current !== "") parts.push(current);
  return parts;
};
