/** Twilio's inbound WhatsApp webhook, read into what the channel needs. */
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

const field = (params: Record<string, unknown>, name: string): string | undefined => {
  const value = params[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
};

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

export const parseInbound = (params: Record<string, unknown>): ParseResult => {
  const messageSid = field(params, "MessageSid") ?? field(params, "SmsMessageSid");
  if (!messageSid || !/^[A-Za-z0-9]{10,64}$/.test(messageSid)) return { ok: false, reason: "MessageSid is missing or malformed" };
  const from = field(params, "From");
  if (!from) return { ok: false, reason: "From is missing" };
  const conversationId = conversationIdFor(from);
  if (!conversationId) return { ok: false, reason: "From is not a WhatsApp number" };
  const declared = Number.parseInt(field(params, "NumMedia") ?? "0", 10);
  const numMedia = Number.isFinite(declared) ? Math.min(Math.max(declared, 0), MAX_MEDIA) : 0;
  const media: InboundMedia[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = field(params, `MediaUrl${i}`);
    if (url) media.push({ url, contentType: (field(params, `MediaContentType${i}`) ?? "application/octet-stream").toLowerCase() });
  }
  return {
    ok: true,
    message: {
      messageSid,
      accountSid: field(params, "AccountSid"),
      from,
      to: field(params, "To") ?? "",
      body: (field(params, "Body") ?? "").trim().slice(0, MAX_USER_TEXT_LENGTH),
      profileName: field(params, "ProfileName"),
      media,
      conversationId,
    },
  };
};
