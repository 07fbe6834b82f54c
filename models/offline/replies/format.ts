/** Numbers as a Mexican reader expects them: $265,999 · $5,478.29 · 45,837 km. */

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Integer pesos → "$265,999". */
export const pesos = (amount: number): string => `${amount < 0 ? "-" : ""}$${group(String(Math.abs(Math.round(amount))))}`;

/** A decimal string from a tool ("5478.29") → "$5,478.29", kept exact (no float round-trip). */
export const pesosExact = (decimal: string): string => {
  const m = decimal.trim().match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (m === null) return decimal;
  const cents = (m[3] ?? "").padEnd(2, "0").slice(0, 2);
  return `${m[1]}$${group(m[2]!)}.${cents}`;
};

export const kilometres = (km: number): string => `${group(String(Math.round(km)))} km`;

/** "36, 48 y 60 meses" */
export const listSpanish = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} y ${items.at(-1)!}`;

/** Keeps a WhatsApp message under the 1,600-character cap, cutting at a line break. */
export const fitMessage = (text: string, max = 1600): string => {
  const clean = text.replace(/\n{3,}/g, "\n\n").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastBreak = cut.lastIndexOf("\n");
  return `${(lastBreak > max / 2 ? cut.slice(0, lastBreak) : cut).trim()}…`;
};
