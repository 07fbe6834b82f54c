/**
 * From tesseract's text to a plate: the read is repaired towards the Mexican formats of
 * lib/mx-plates.ts (letter/digit confusions by position: O/0, I/1, B/8, S/5, Z/2 …), and scored.
 * A stray character at either end (the plate's border or a bolt read as "I" or "1") may be dropped.
 *
 * Candidates are ranked by how much had to be assumed (repairs, a dropped character, hyphens that
 * contradict the format), not by tesseract's confidence alone: tesseract is often sure of a wrong
 * character, and its mean confidence drops to 0 when one character is doubtful.
 */
import { displayPlate, repairRead } from "../../../lib/mx-plates.ts";

export interface Interpretation {
  readonly plate: string;
  /** 0..1: tesseract's confidence less what had to be assumed. */
  readonly score: number;
  /** Lower is more plausible: repairs, dropped characters and hyphen disagreement. */
  readonly cost: number;
  /** Read as printed: no repair, nothing dropped, hyphens (when seen) where the format puts them. */
  readonly clean: boolean;
}

/**
 * In the plate fonts tesseract's English model reads J as a closing bracket or brace (and drops
 * it when those are not allowed); the reader allows them so the J can be recovered here.
 */
const BRACKET_J = /[)\]}]/g;

/** Character counts between hyphens: "ABC-12-34" → [3, 2, 2]; [] when the text has no hyphen. */
export const hyphenGroups = (text: string): number[] => {
  const parts = text.split(/[\s-]+/).filter(Boolean);
  return parts.length > 1 ? parts.map((p) => p.length) : [];
};

/** Whether hyphen groups fit a canonical plate's format (ABC-1234 is also printed ABC-12-34). */
export const groupsFit = (plate: string, groups: ReadonlyArray<number>): boolean => {
  const printed = displayPlate(plate).split("-").map((p) => p.length).join(",");
  const seen = groups.join(",");
  return seen === printed || (printed === "3,4" && seen === "3,2,2");
};

export const interpret = (text: string, tesseractConfidence: number, groups: ReadonlyArray<number> = []): Interpretation[] => {
  // The J glyph is sometimes read as both ("]J", "J)"): one character.
  const once = text.replace(/[)\]}]J|J[)\]}]/g, "J");
  const bracketJ = (once.match(BRACKET_J) ?? []).length;
  let raw = once.toUpperCase().replace(BRACKET_J, "J").replace(/[^A-Z0-9\-\s]/g, " ").replace(/\s+/g, " ").trim();
  // Leading and trailing hyphens are the plate's border or nothing at all.
  raw = raw.replace(/^[\s-]+|[\s-]+$/g, "");
  const seen = hyphenGroups(raw);
  // Hyphens seen in the photo (locate.ts) say which format was printed, when tesseract dropped them.
  const squeezed = raw.replace(/[\s-]/g, "");
  const located = groups.length > 1 && groups.reduce((a, b) => a + b, 0) === squeezed.length ? groups : [];
  const base = Math.max(0, Math.min(1, tesseractConfidence / 100));
  const tries: Array<{ text: string; dropped: number }> = [{ text: raw, dropped: 0 }];
  if (squeezed.length > 6) {
    tries.push({ text: raw.replace(/^[A-Z0-9][\s-]*/, ""), dropped: 1 });
    tries.push({ text: raw.replace(/[\s-]*[A-Z0-9]$/, ""), dropped: 1 });
  }
  // A thin stroke beside a printed hyphen (blur spreading it, a bolt) read as 1 or I.
  for (const m of raw.matchAll(/-[1IJL]|[1IJL]-/g)) {
    const at = m[0].startsWith("-") ? m.index + 1 : m.index;
    if (squeezed.length > 6) tries.push({ text: raw.slice(0, at) + raw.slice(at + 1), dropped: 1 });
  }
  if (squeezed.length > 7) tries.push({ text: raw.replace(/^[A-Z0-9][\s-]*/, "").replace(/[\s-]*[A-Z0-9]$/, ""), dropped: 2 });
  const out: Interpretation[] = [];
  for (const t of tries) {
    const tGroups = hyphenGroups(t.text);
    for (const { plate, changes } of repairRead(t.text)) {
      // A dropped end character takes its group with it: the remaining groups are judged as read.
      const evidence = t.dropped === 0 ? (seen.length > 0 ? seen : located) : tGroups;
      const fits = evidence.length === 0 ? undefined : groupsFit(plate.plate, evidence);
      // A bracket read where the format wants a letter is the J tesseract cannot name: a small doubt.
      const brackets = t.dropped === 0 ? bracketJ : 0;
      const cost = changes + brackets * 0.3 + t.dropped * 1.2 + (fits === false ? 1.5 : 0) - (fits === true ? 0.5 : 0);
      const score = Math.max(0, base - changes * 0.1 - brackets * 0.03 - t.dropped * 0.15 - (fits === false ? 0.15 : 0));
      out.push({ plate: plate.plate, score, cost, clean: changes === 0 && t.dropped === 0 && fits !== false });
    }
  }
  const best = new Map<string, Interpretation>();
  for (const i of out) {
    const b = best.get(i.plate);
    if (b === undefined || i.cost < b.cost) best.set(i.plate, i);
  }
  return [...best.values()].sort((a, b) => a.cost - b.cost || b.score - a.score);
};
