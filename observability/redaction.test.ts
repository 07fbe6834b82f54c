import { describe, expect, it } from "vitest";
import { carriesPersonalData, pseudonymousId, redactText } from "./redaction.ts";

describe("redactText: phone numbers", () => {
  it.each([
    ["llámame al 55 1234 5678 mañana", "llámame al [phone] mañana"],
    ["mi cel: 5512345678", "mi cel: [phone]"],
    ["+52 (55) 1234-5678", "[phone]"],
    ["(55) 1234-5678", "[phone]"],
    ["55-1234-5678", "[phone]"],
    ["55.1234.5678", "[phone]"],
    ["044 55 1234 5678", "[phone]"],
    ["whatsapp:+5215512345678", "whatsapp:[phone]"],
    ["/v1/conversations/wa:+5215512345678/messages", "/v1/conversations/wa:[phone]/messages"],
    ["https://api.twilio.com/Messages.json?To=whatsapp%3A%2B5215512345678", "https://api.twilio.com/Messages.json?To=whatsapp%3A[phone]"],
    ['{"from":"+14155238886","text":"hola"}', '{"from":"[phone]","text":"hola"}'],
  ])("%s", (input, expected) => expect(redactText(input)).toBe(expected));

  it.each([
    "precio 350000 - 2020",
    "$350,000.00 MXN",
    "5478.29",
    "modelos 2018 2019 2020",
    "a 48 meses con 50000 de enganche",
    "trace 4bf92f3577b34da6a3ce929d0e0e4736",
    "550e8400-e29b-41d4-a716-446655440000",
    "Mercedes GLA 200 2021",
    "350 MIL",
    "Nissan Versa 2020, 45,000 km",
    "1.379530347",
    "duration 0.0106718751 s",
  ])("leaves %s alone", (input) => expect(redactText(input)).toBe(input));
});

describe("redactText: licence plates", () => {
  it.each([
    ["mi placa es NXR-452-A", "mi placa es [plate]"],
    ["placas ABC 123 D", "placas [plate]"],
    ["ABC-1234", "[plate]"],
    ["ABC-12-34", "[plate]"],
    ["NXR-452-1", "[plate]"],
    ["es la 123-ABC", "es la [plate]"],
    ["ABC-123", "[plate]"],
    ["nxr4521 y abc123d", "[plate] y [plate]"],
  ])("%s", (input, expected) => expect(redactText(input)).toBe(expected));

  it("redacts phones and plates in one text", () => {
    expect(redactText("Soy el de la placa NXR4521, mi número 55 1234 5678")).toBe("Soy el de la placa [plate], mi número [phone]");
  });
});

describe("pseudonymousId", () => {
  it("hashes ids that carry a phone number, keeping the channel prefix, stable per key", () => {
    const id = "wa:+5215512345678";
    const hashed = pseudonymousId(id, "key-1");
    expect(hashed).toMatch(/^wa:anon-[0-9a-f]{20}$/);
    expect(hashed).not.toContain("5512345678");
    expect(pseudonymousId(id, "key-1")).toBe(hashed);
    expect(pseudonymousId(id, "key-2")).not.toBe(hashed);
    expect(pseudonymousId("wa:+5215587654321", "key-1")).not.toBe(hashed);
  });

  it("leaves ids without personal data as they are", () => {
    expect(pseudonymousId("web:Zk3x9QpL2mN8vB4c", "k")).toBe("web:Zk3x9QpL2mN8vB4c");
    expect(pseudonymousId("eval-financing-term-36-r0-1a2b3c4d", "k")).toBe("eval-financing-term-36-r0-1a2b3c4d");
    expect(carriesPersonalData("demo-1")).toBe(false);
  });
});
