/**
 * What telemetry may carry about people. Pure functions:
 * - `redactText` replaces phone numbers and Mexican licence plates in free text (span attributes,
 *   captured prompts and messages, URLs, log lines) with "[phone]" / "[plate]";
 * - `pseudonymousId` turns an identifier that carries a phone number (WhatsApp conversations are
 *   "wa:<number>") into a stable keyed hash, so one conversation's turns still group together in a
 *   tracing backend without the number leaving the process.
 */
import { createHmac } from "node:crypto";

export const PHONE_MARK = "[phone]";
export const PLATE_MARK = "[plate]";

/**
 * A phone candidate: an optional "+", then digits with single separators (space, hyphen, dot,
 * parentheses). Not glued to letters, digits, hyphens or dots on either side, so hex ids, UUID
 * segments, decimals and prices with thousands commas are left alone; the digit count decides.
 */
const PHONE_CANDIDATE = /(?<![\w.\-])(?:\+\s?)?\(?\d(?:[\d]|[ .\-]\(?(?=\d)|\)\s?(?=\d))+\d(?![\w]|[.\-]\d)/g;

/** National numbers have 10 digits; with country code (52) and the old mobile prefix (1) up to 13; international up to 15. */
const MIN_PHONE_DIGITS = 10;
const MAX_PHONE_DIGITS = 15;

/** "2018 2019 2020": a list of model years, not a phone number. */
const isYearList = (candidate: string): boolean => {
  const groups = candidate.split(/[ .\-()]+/).filter((group) => group !== "");
  return groups.length >= 2 && groups.every((group) => /^(19|20)\d\d$/.test(group));
};

/** A "+" percent-encoded in a URL query ("To=whatsapp%3A%2B5215512345678"). */
const ENCODED_PHONE = /%2B\d{10,15}(?!\d)/gi;

/** "1.379530347": a decimal (a dot followed by more digits than a phone group has), not "55.1234.5678". */
const isDecimal = (candidate: string): boolean => /\.\d{5,}/.test(candidate);

const redactPhones = (text: string): string =>
  text.replace(ENCODED_PHONE, PHONE_MARK).replace(PHONE_CANDIDATE, (candidate) => {
    const digits = candidate.replace(/\D/g, "").length;
    if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS || isYearList(candidate) || isDecimal(candidate)) return candidate;
    return PHONE_MARK;
  });

/** Plate letters (NOM-001-SCT-2: no I, O or Q); see knowledge/fines/plates.ts for the formats. */
const L = "[A-HJ-NPR-Z]";
const l = "[a-hj-npr-z]";
const SEP = "[ -]?";
/**
 * Mexican private-car plates as people type them: ABC-123-D, ABC-1234 (separators anywhere), and with a
 * hyphen ABC-123 and 123-ABC (without one, "GLA 200" and "350 MIL" are car models and amounts).
 * Upper case, or lower case written compactly ("nxr4521").
 */
const PLATES = [
  new RegExp(`(?<![\\w-])${L}{3}${SEP}\\d{3}${SEP}${L}(?![\\w-])`, "g"),
  new RegExp(`(?<![\\w-])${L}{3}(?:${SEP}\\d){4}(?![\\w-])`, "g"),
  new RegExp(`(?<![\\w-])${L}{3}-\\d{3}(?![\\w-])`, "g"),
  new RegExp(`(?<![\\w-])\\d{3}-${L}{3}(?![\\w-])`, "g"),
  new RegExp(`(?<![\\w-])${l}{3}\\d{3}${l}(?![\\w-])`, "g"),
  new RegExp(`(?<![\\w-])${l}{3}\\d{4}(?![\\w-])`, "g"),
];

const redactPlates = (text: string): string => PLATES.reduce((out, pattern) => out.replace(pattern, PLATE_MARK), text);

/** The text with phone numbers and licence plates replaced by "[phone]" and "[plate]". */
export const redactText = (text: string): string => {
  // Most attribute values are short words or numbers: skip the regular expressions when no digit.
  if (!/\d/.test(text)) return text;
  return redactPlates(redactPhones(text));
};

/** Whether the text carries a phone number or a plate. */
export const carriesPersonalData = (text: string): boolean => redactText(text) !== text;

/**
 * A stable stand-in for an identifier that carries personal data ("wa:+5215512345678" →
 * "wa:anon-3f9c…"), keyed so it cannot be reversed by hashing every phone number; other
 * identifiers are returned as they are. The prefix up to the first ":" (the channel) is kept.
 */
export const pseudonymousId = (id: string, key: string): string => {
  if (!carriesPersonalData(id)) return id;
  const colon = id.indexOf(":");
  const prefix = colon > 0 && colon < 16 ? id.slice(0, colon + 1) : "";
  const digest = createHmac("sha256", key).update(id).digest("hex").slice(0, 20);
  return `${prefix}anon-${digest}`;
};
