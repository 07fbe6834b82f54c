import { describe, expect, it } from "vitest";
import { CONVERSATION_ID_PATTERN } from "../../core/turn.ts";
import { conversationIdFor, parseInbound } from "./inbound.ts";

describe("conversationIdFor", () => {
  it("maps a WhatsApp number to a core conversation id", () => {
    expect(conversationIdFor("whatsapp:+5215512345678")).toBe("wa:5215512345678");
    expect(CONVERSATION_ID_PATTERN.test(conversationIdFor("whatsapp:+5215512345678")!)).toBe(true);
  });

  it("refuses what is not a WhatsApp number", () => {
    for (const from of ["+5215512345678", "whatsapp:+52155abc", "whatsapp:", "messenger:123456789", "whatsapp:+1"]) {
      expect(conversationIdFor(from), from).toBeUndefined();
    }
  });
});

describe("parseInbound", () => {
  it("reads Twilio's fields and media list", () => {
    const parsed = parseInbound({
      MessageSid: "SM0123456789abcdef0123456789abcdef",
      AccountSid: "AC1",
      From: "whatsapp:+5215512345678",
      To: "whatsapp:+14155238886",
      Body: "  Hola  ",
      NumMedia: "2",
      MediaUrl0: "https://api.twilio.com/a",
      MediaContentType0: "image/JPEG",
      MediaUrl1: "https://api.twilio.com/b",
      MediaContentType1: "audio/ogg",
    });
    expect(parsed).toMatchObject({
      ok: true,
      message: {
        messageSid: "SM0123456789abcdef0123456789abcdef",
        body: "Hola",
        conversationId: "wa:5215512345678",
        media: [
          { url: "https://api.twilio.com/a", contentType: "image/jpeg" },
          { url: "https://api.twilio.com/b", contentType: "audio/ogg" },
        ],
      },
    });
  });

  it("rejects a message without a usable MessageSid or sender", () => {
    expect(parseInbound({ From: "whatsapp:+5215512345678", Body: "Hola" }).ok).toBe(false);
    expect(parseInbound({ MessageSid: "SM0123456789abcdef0123456789abcdef", From: "+5215512345678" }).ok).toBe(false);
    expect(parseInbound({ MessageSid: "<script>", From: "whatsapp:+5215512345678" }).ok).toBe(false);
  });
});
