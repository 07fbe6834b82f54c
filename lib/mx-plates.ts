/**
 * Mexican licence plates of private cars: recognise, validate and normalise them. Pure.
 *
 * Sources (read November 2026):
 * - NOM-001-SCT-2-2016, "Placas metálicas, calcomanías de identificación y tarjetas de circulación…"
 *   (Diario Oficial de la Federación, 24 June 2016): the national standard every state's plate
 *   follows; series are assigned per vehicle type, service and state.
 * - es.wikipedia.org/wiki/Matrículas_automovilísticas_de_México (citing the NOM): private cars carry
 *   three letters followed by four or three digits depending on the state (letters I, O and Q are
 *   not used, they look like 1 and 0); private trucks two letters and five or four digits.
 * - El Universal, "¿Sabes qué significan los elementos de tu placa vehicular?": the most common
 *   private-car format in Mexico City today is ABC-123-A (three letters, three digits, one letter).
 * - Mexico City's earlier private series (still on the road) put the digits first: 123-ABC.
 *
 * Accepted formats (what people type and what OCR reads, hyphens and spaces optional):
 *   LLL-NNN-L   (ABC-123-D, 2016 series; CDMX, Edomex, Jalisco, Nuevo León …)
 *   LLL-NNNN    (ABC-1234, also printed ABC-12-34; states with four digits)
 *   LLL-NNN     (ABC-123; states with three digits)
 *   NNN-LLL     (123-ABC; earlier CDMX series)
 * The canonical form is upper case with no separators ("NXR4521"); `displayPlate` adds the hyphens.
 */

export type PlateFormat = "LLL-NNN-L" | "LLL-NNNN" | "LLL-NNN" | "NNN-LLL";

export interface Plate {
  /** Canonical: upper case, no separators, e.g. "NXR4521". */
  readonly plate: string;
  readonly format: PlateFormat;
}

/** Letters a plate series may use (NOM-001-SCT-2: no I, O or Q). */
const L = "[A-HJ-NPR-Z]";
const N = "[0-9]";

const FORMATS: ReadonlyArray<{ readonly format: PlateFormat; readonly pattern: RegExp; readonly groups: ReadonlyArray<number> }> = [
  { format: "LLL-NNN-L", pattern: new RegExp(`^${L}{3}${N}{3}${L}$`), groups: [3, 3, 1] },
  { format: "LLL-NNNN", pattern: new RegExp(`^${L}{3}${N}{4}$`), groups: [3, 4] },
  { format: "LLL-NNN", pattern: new RegExp(`^${L}{3}${N}{3}$`), groups: [3, 3] },
  { format: "NNN-LLL", pattern: new RegExp(`^${N}{3}${L}{3}$`), groups: [3, 3] },
];

export const PLATE_FORMATS: ReadonlyArray<PlateFormat> = FORMATS.map((f) => f.format);

/** The format of a canonical plate, or undefined. */
export const plateFormat = (canonical: string): PlateFormat | undefined => FORMATS.find((f) => f.pattern.test(canonical))?.format;

/** Upper case, accents and separators (spaces, hyphens, dots) removed. */
const squeeze = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[\s.\-–—_·]/g, "");

/**
 * A typed or read plate, validated and canonical, or undefined when it is not a private-car plate
 * of the formats above. Separators may be anywhere ("nxr 45-21"); nothing else is corrected.
 */
export const normalizePlate = (text: string): Plate | undefined => {
  const plate = squeeze(text);
  if (plate.length < 6 || plate.length > 7) return undefined;
  const format = plateFormat(plate);
  return format === undefined ? undefined : { plate, format };
};

/** "NXR4521" → "NXR-4521", "ABC123D" → "ABC-123-D". */
export const displayPlate = (canonical: string): string => {
  const spec = FORMATS.find((f) => f.pattern.test(canonical));
  if (spec === undefined) return canonical;
  const parts: string[] = [];
  let at = 0;
  for (const size of spec.groups) {
    parts.push(canonical.slice(at, at + size));
    at += size;
  }
  return parts.join("-");
};

interface Span {
  readonly start: number;
  readonly end: number;
  readonly plate: Plate;
}

/**
 * Plates in free text: runs of one to three alphanumeric words joined by single separators
 * ("NXR-4521", "abc 123 d", "123-ABC"), longest first; a plate mixes letters and digits.
 */
const plateSpans = (text: string): Span[] => {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
  const spans: Span[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(3, words.length - i); n >= 1; n--) {
      const group = words.slice(i, i + n);
      const joinedBySeparators = group.every((w, k) => k === 0 || /^[\s\-.]$/.test(text.slice(group[k - 1]!.end, w.start)));
      if (!joinedBySeparators) continue;
      const token = group.map((w) => w.text).join("");
      if (!/[0-9]/.test(token) || !/\p{L}/u.test(token)) continue;
      const plate = normalizePlate(token);
      if (plate === undefined) continue;
      spans.push({ start: group[0]!.start, end: group.at(-1)!.end, plate });
      i += n - 1;
      break;
    }
  }
  return spans;
};

/** Plates in free text, canonical, in order of appearance, each once. */
export const findPlates = (text: string): Plate[] => {
  const found: Plate[] = [];
  for (const { plate } of plateSpans(text)) if (!found.some((p) => p.plate === plate.plate)) found.push(plate);
  return found;
};

/** Digits OCR takes for letters and back, used only to repair a read into a valid format. */
const AS_LETTER: Record<string, string> = { "0": "D", "1": "J", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B" };
const AS_DIGIT: Record<string, string> = { O: "0", Q: "0", D: "0", U: "0", I: "1", L: "1", J: "1", Z: "2", A: "4", S: "5", G: "6", T: "7", B: "8" };

/**
 * A raw OCR read repaired towards a plate format: for each format of the read's length, every
 * position is coerced to a letter or a digit with the usual confusions (0/O/D, 1/I, 5/S, 8/B …).
 * Answers the candidates with how many characters had to change, fewest first.
 */
export const repairRead = (raw: string): ReadonlyArray<{ readonly plate: Plate; readonly changes: number }> => {
  const text = squeeze(raw).replace(/[^A-Z0-9]/g, "");
  // Separators where a format puts them ("A8C-123-0") say which format was printed.
  const rawGroups = raw.trim().split(/[\s\-.]+/).filter(Boolean).map((g) => g.length).join(",");
  const out: Array<{ plate: Plate; changes: number; cost: number }> = [];
  for (const spec of FORMATS) {
    const kinds = spec.format.replace(/-/g, "");
    if (kinds.length !== text.length) continue;
    let changes = 0;
    let repaired = "";
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (kinds[i] === "L") {
        const letter = /[A-Z]/.test(ch) ? (ch === "O" || ch === "Q" ? "D" : ch === "I" ? "J" : ch) : AS_LETTER[ch];
        if (letter === undefined) {
          repaired = "";
          break;
        }
        // I, O and Q never appear on a plate: read as a letter they are a weaker guess than as a digit.
        if (letter !== ch) changes += /[IOQ]/.test(ch) ? 2 : 1;
        repaired += letter;
      } else {
        const digit = /[0-9]/.test(ch) ? ch : AS_DIGIT[ch];
        if (digit === undefined) {
          repaired = "";
          break;
        }
        if (digit !== ch) changes++;
        repaired += digit;
      }
    }
    const plate = repaired === "" ? undefined : normalizePlate(repaired);
    const agrees = rawGroups.includes(",") && (rawGroups === spec.groups.join(",") || (spec.format === "LLL-NNNN" && rawGroups === "3,2,2"));
    if (plate !== undefined) out.push({ plate, changes, cost: changes - (agrees ? 1.5 : 0) });
  }
  return out.sort((a, b) => a.cost - b.cost).map(({ plate, changes }) => ({ plate, changes }));
};

/** "NXR4521" → "NX•••21": enough to tell two plates apart in a log, not enough to identify one. */
export const maskPlate = (canonical: string): string =>
  canonical.length <= 4 ? "•".repeat(canonical.length) : `${canonical.slice(0, 2)}${"•".repeat(canonical.length - 4)}${canonical.slice(-2)}`;

/**
 * A text with every plate in it masked (logs, traces, error messages): plates are personal data.
 * Recognises the same plates as `findPlates`, written with or without separators.
 */
export const redactPlates = (text: string): string => {
  let out = "";
  let at = 0;
  for (const span of plateSpans(text)) {
    out += `${text.slice(at, span.start)}[placa ${maskPlate(span.plate.plate)}]`;
    at = span.end;
  }
  return out + text.slice(at);
};
