/**
 * A phone number in a message, read as a phone number (never as an amount): ten Mexican digits,
 * grouped any way ("55 1234 5678", "(33) 1234-5678", "55-1234-5678"), with or without +52 / 521 /
 * 044. `typed` is the number as the customer wrote it, to repeat it back verbatim.
 */

export interface PhoneMention {
  readonly typed: string;
  /** Ten national digits. */
  readonly digits: string;
  readonly start: number;
  readonly end: number;
}

const CANDIDATE = /(?:\+?\s?52\s?1?[\s.-]?|\b0?4[45][\s.-]?)?\(?\d{2,3}\)?(?:[\s.-]?\d){7,8}\b/g;

export const findPhone = (text: string): PhoneMention | undefined => {
  for (const m of text.matchAll(CANDIDATE)) {
    let digits = m[0].replace(/\D/g, "");
    if (/^521\d{10}$/.test(digits)) digits = digits.slice(3);
    else if (/^52\d{10}$/.test(digits)) digits = digits.slice(2);
    else if (/^04[45]\d{10}$/.test(digits)) digits = digits.slice(3);
    if (!/^[1-9]\d{9}$/.test(digits)) continue;
    const typed = m[0].trim();
    const start = m.index + m[0].indexOf(typed);
    return { typed, digits, start, end: start + typed.length };
  }
  return undefined;
};

/** The message with the phone number taken out (so its digits are not read as money or a time). */
export const withoutPhone = (text: string, phone: PhoneMention | undefined): string => (phone === undefined ? text : `${text.slice(0, phone.start)} ${text.slice(phone.end)}`);
