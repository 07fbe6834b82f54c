/** Exact money: integer cents as bigint. Rounding is half-up to the cent. */

/** Divides two non-negative bigints rounding half-up. */
export const divideHalfUp = (numerator: bigint, denominator: bigint): bigint => {
  if (numerator < 0n || denominator <= 0n) throw new RangeError("divideHalfUp expects a non-negative numerator and a positive denominator");
  return (numerator * 2n + denominator) / (denominator * 2n);
};

export const pesosToCents = (pesos: number): bigint => {
  if (!Number.isSafeInteger(pesos)) throw new RangeError(`not an integer amount of pesos: ${pesos}`);
  return BigInt(pesos) * 100n;
};

/** "5478.29" */
export const centsToDecimal = (cents: bigint): string => {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
};

/** "$5,478.29" or "$265,999" (whole pesos print without cents). */
export const formatPesos = (cents: bigint, options: { alwaysCents?: boolean } = {}): string => {
  const abs = cents < 0n ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = abs % 100n;
  const tail = fraction === 0n && !options.alwaysCents ? "" : `.${fraction.toString().padStart(2, "0")}`;
  return `${cents < 0n ? "-" : ""}$${whole}${tail}`;
};
