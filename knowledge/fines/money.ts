/** Money of fines: integer cents everywhere, decimal strings ("1234.50") only at the edges. Exact. */

/** 123450 → "1234.50". */
export const centsToDecimal = (cents: number): string => {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
};

/** "1234.5" / "1234.50" / "1234" / 1234.5 → 123450; undefined for anything else (never rounds). */
export const decimalToCents = (amount: string | number): number | undefined => {
  const text = typeof amount === "number" ? (Number.isFinite(amount) ? String(amount) : "") : amount.trim();
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
};

/** Sum of cents, exact (every addend is a safe integer). */
export const sumCents = (amounts: ReadonlyArray<number>): number => amounts.reduce((total, cents) => total + cents, 0);
