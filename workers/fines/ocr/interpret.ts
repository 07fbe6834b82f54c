/**
 * From tesseract's text to a plate: the read is repaired towards the Mexican formats of
 * lib/mx-plates.ts (letter/digit confusions by position: O/0, I/1, B/8, S/5, Z/2 …), and scored.
 * A stray character at either end (the plate's border or a bolt read as "I" or "1") may be dropped.
 */
import { repairRead } from "../../../lib/mx-plates.ts";

export interface Interpretation {
  readonly plate: string;
  /** 0..1: tesseract's confidence less the repairs it needed. */
  readonly score: number;
}

export const interpret = (text: string, tesseractConfidence: number, groups: ReadonlyArray<number> = []): Interpretation[] => {
  let raw = text.toUpperCase().replace(/[^A-Z0-9\-\s]/g, " ").replace(/\s+/g, " ").trim();
  // Hyphens seen in the photo (locate.ts) say which format was printed, when tesseract dropped them.
  const squeezed = raw.replace(/[\s-]/g, "");
  if (groups.length > 1 && squeezed.length === groups.reduce((a, b) => a + b, 0)) {
    let at = 0;
    raw = groups.map((n) => squeezed.slice(at, (at += n))).join("-");
  }
  const base = Math.max(0, Math.min(1, tesseractConfidence / 100));
  const out: Interpretation[] = [];
  const tries: Array<{ text: string; penalty: number }> = [{ text: raw, penalty: 0 }];
  const compact = raw.replace(/[\s-]/g, "");
  if (compact.length > 6) {
    tries.push({ text: raw.replace(/^[\s-]*[A-Z0-9][\s-]*/, ""), penalty: 0.12 });
    tries.push({ text: raw.replace(/[\s-]*[A-Z0-9][\s-]*$/, ""), penalty: 0.12 });
  }
  for (const t of tries) {
    for (const { plate, changes } of repairRead(t.text)) {
      out.push({ plate: plate.plate, score: Math.max(0, base - t.penalty - changes * 0.1) });
    }
  }
  return out.sort((a, b) => b.score - a.score);
};
