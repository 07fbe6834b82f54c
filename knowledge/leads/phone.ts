/**
 * Mexican phone numbers as customers type them: "55 1234 5678", "(33) 1234-5678", "+52 1 55 1234
 * 5678", "044 55 1234 5678", "5512345678". Read as ten national digits; stored E.164 (+52…);
 * shown grouped ("55 1234 5678"). WhatsApp conversation ids carry the number (wa:+5215512345678).
 */

export interface Phone {
  /** "+525512345678" */
  readonly e164: string;
  /** "55 1234 5678" */
  readonly display: string;
}

export const parsePhone = (text: string): Phone | undefined => {
  let digits = text.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) digits = digits.slice(1);
  if (/^52\d{11}$/.test(digits) && digits[2] === "1") digits = `52${digits.slice(3)}`;
  if (/^52\d{10}$/.test(digits)) digits = digits.slice(2);
  if (/^0(?:44|45)\d{10}$/.test(digits)) digits = digits.slice(3);
  if (!/^[1-9]\d{9}$/.test(digits)) return undefined;
  return { e164: `+52${digits}`, display: `${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}` };
};

/** The number of a WhatsApp conversation ("wa:+5215512345678" or "wa:whatsapp:+52…"). */
export const phoneOfConversation = (conversationId: string): Phone | undefined => {
  const m = conversationId.match(/^wa:(?:whatsapp:)?(\+?\d{8,15})$/);
  if (!m) return undefined;
  const mexican = parsePhone(m[1]!);
  if (mexican !== undefined) return mexican;
  const e164 = m[1]!.startsWith("+") ? m[1]! : `+${m[1]!}`;
  return { e164, display: e164 };
};
