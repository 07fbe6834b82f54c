/**
 * Accent folding: "Automático" → "Automatico", "ñ" → "n", "ü" → "u". Canonical decomposition (NFD)
 * splits an accented letter into its base letter and combining marks; the marks are then dropped.
 * Case is kept: callers lower- or upper-case before or after, as their comparison needs.
 * Pure; ASCII text is returned as is (NFD leaves it unchanged and it has no marks).
 */

const ASCII = /^[\x00-\x7f]*$/;

/** Every combining mark removed (Unicode category M, in any script). */
export const foldAccents = (text: string): string => (ASCII.test(text) ? text : text.normalize("NFD").replace(/\p{M}/gu, ""));

/**
 * Only the Combining Diacritical Marks block (U+0300–U+036F) removed: the accents, tildes and
 * diaereses of Latin letters. Marks of other scripts stay; for Spanish text it equals foldAccents.
 */
export const foldLatinAccents = (text: string): string =>
  ASCII.test(text) ? text : text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
