/** Twilio's inbound WhatsApp webhook, read into what the channel needs. */
import { z } from "zod";
import { prefixedIds } from "../../core/channel.ts";
import { MAX_USER_TEXT_LENGTH } from "../../core/turn.ts";

export interface InboundMedia {
  readonly url: string;
  readonly contentType: string;
}

/** One inbound WhatsApp message as Twilio described it (JSON-safe: it is stored until answered). */
export interface WhatsAppMessage {
  readonly messageSid: string;
  /** Twilio's account of the message; used to authenticate media downloads. */
  readonly accountSid: string | undefined;
  /** e.g. "whatsapp:+5215512345678" */
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly profileName: string | undefined;
  readonly media: ReadonlyArray<InboundMedia>;
  /** The core's conversation for this number, e.g. "wa:5215512345678". */
  readonly conversationId: string;
}

/** Twilio allows at most 10 media per message. */
const MAX_MEDIA = 10;

/** The channel's conversations: "wa:" + the number's digits (the platform thread). */
export const whatsappConversationIds = prefixedIds("wa");

/** The thread (the number's digits) of a WhatsApp address such as "whatsapp:+5215512345678". */
export const threadOf = (from: string): string | undefined => /^whatsapp:\+?([0-9]{6,20})$/i.exec(from.trim())?.[1];

/** The WhatsApp address of a thread: "5215512345678" -> "whatsapp:+5215512345678". */
export const addressOf = (thread: string): string => `whatsapp:+${thread}`;

/**
 * One conversation per WhatsApp number. The core's ids allow [A-Za-z0-9_.:-], so
 * "whatsapp:+5215512345678" becomes "wa:5215512345678".
 */
export const conversationIdFor = (from: string): string | undefined => {
  const thread = threadOf(from);
  return thread ? whatsappConversationIds.encode(thread) : undefined;
};

export type ParseResult = { readonly ok: true; readonly message: WhatsAppMessage } | { readonly ok: false; readonly reason: string };

/** A form field as Twilio sends it; a repeated field counts by its first value. */
const formField = z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.string());
const optionalField = formField.optional();

const mediaFields = Object.fromEntries(
  Array.from({ length: MAX_MEDIA }, (_, i) => [
    [`MediaUrl${i}`, optionalField],
    [`MediaContentType${i}`, optionalField],
  ]).flat(),
) as Record<`MediaUrl${number}` | `MediaContentType${number}`, typeof optionalField>;

/**
 * Twilio's inbound message webhook (application/x-www-form-urlencoded), the fields the channel reads;
 * Twilio sends more (all kept for the signature check, which covers every field).
 */
export const inboundFormSchema = z
  .looseObject({
    MessageSid: formField.pipe(z.string().regex(/^[A-Za-z0-9]{10,64}$/)).optional(),
    SmsMessageSid: formField.pipe(z.string().regex(/^[A-Za-z0-9]{10,64}$/)).optional(),
    AccountSid: optionalField,
    From: formField.pipe(z.string().refine((from) => threadOf(from) !== undefined, "From is not a WhatsApp number")).meta({ example: "whatsapp:+5215512345678" }),
    To: optionalField,
    Body: optionalField,
    ProfileName: optionalField,
    NumMedia: formField
      .pipe(z.string().regex(/^\d{1,3}$/))
      .transform((n) => Math.min(Number(n), MAX_MEDIA))
      .optional()
      .catch(0),
    ...mediaFields,
  })
  .refine((form) => form.MessageSid !== undefined || form.SmsMessageSid !== undefined, { message: "MessageSid is missing or malformed", path: ["MessageSid"] })
  .meta({ id: "TwilioInboundMessage", description: "Twilio's WhatsApp message webhook form (signed with X-Twilio-Signature)." });

/** Twilio's delivery status callback form. */
export const statusFormSchema = z
  .looseObject({
    MessageSid: formField.pipe(z.string().min(1).max(64)).optional(),
    MessageStatus: formField.pipe(z.string().min(1).max(32)).optional(),
    SmsStatus: formField.pipe(z.string().min(1).max(32)).optional(),
    ErrorCode: optionalField,
  })
  .meta({ id: "TwilioStatusCallback", description: "Twilio's message status callback form (signed)." });

const reasonOf = (error: z.ZodError): string => {
  const field = String(error.issues[0]?.path[0] ?? "");
  if (field === "MessageSid" || field === "SmsMessageSid") return "MessageSid is missing or malformed";
  if (field === "From") return error.issues[0]!.code === "custom" ? "From is not a WhatsApp number" : "From is missing";
  return `${field || "the form"} is malformed`;
};

export const parseInbound = (params: Record<string, unknown>): ParseResult => {
  const parsed = inboundFormSchema.safeParse(params);
  if (!parsed.success) return { ok: false, reason: reasonOf(parsed.error) };
  const form = parsed.data;
  const from = form.From;
  const media: InboundMedia[] = [];
  const fields = form as unknown as Readonly<Record<string, string | undefined>>;
  for (let i = 0; i < (form.NumMedia ?? 0); i++) {
    const url = fields[`MediaUrl${i}`];
    if (url) media.push({ url, contentType: (fields[`MediaContentType${i}`] ?? "application/octet-stream").toLowerCase() });
  }
  return {
    ok: true,
    message: {
      messageSid: (form.MessageSid ?? form.SmsMessageSid)!,
      accountSid: form.AccountSid,
      from,
      to: form.To ?? "",
      body: (form.Body ?? "").replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "").trim().slice(0, MAX_USER_TEXT_LENGTH),
      profileName: form.ProfileName,
      media,
      conversationId: conversationIdFor(from)!,
    },
  };
};
