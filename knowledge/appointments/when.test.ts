import { describe, expect, it } from "vitest";
import { parsePhone, phoneOfConversation } from "../leads/phone.ts";
import { readWhen } from "./when.ts";

const NOW = new Date("2026-03-10T10:00:00-06:00"); // a Tuesday
const read = (text: string) => readWhen(text, NOW, "America/Mexico_City");

describe("readWhen (Spanish, America/Mexico_City)", () => {
  it.each([
    ["mañana a las 11", { year: 2026, month: 3, day: 11, hour: 11, minute: 0 }],
    ["el 15 a las 4", { year: 2026, month: 3, day: 15, hour: 16, minute: 0 }],
    ["hoy a las 5 de la tarde", { year: 2026, month: 3, day: 10, hour: 17, minute: 0 }],
    ["pasado mañana 10:30", { year: 2026, month: 3, day: 12, hour: 10, minute: 30 }],
    ["el 20 de marzo a mediodía", { year: 2026, month: 3, day: 20, hour: 12, minute: 0 }],
    ["el lunes a las 9 y media", { year: 2026, month: 3, day: 16, hour: 9, minute: 30 }],
    ["2026-03-14T11:00", { year: 2026, month: 3, day: 14, hour: 11, minute: 0 }],
    ["el 5 a las 11", { year: 2026, month: 4, day: 5, hour: 11, minute: 0 }],
  ])("%s", (text, at) => expect(read(text)).toEqual({ kind: "exact", at }));

  it("reads a day with a part of it, a time alone, and nothing", () => {
    expect(read("el sábado en la mañana")).toEqual({ kind: "day", date: { year: 2026, month: 3, day: 14 }, window: "morning" });
    expect(read("a las 12")).toEqual({ kind: "time", hour: 12, minute: 0 });
    expect(read("cuando puedas")).toEqual({ kind: "none" });
  });
});

describe("phones", () => {
  it("reads Mexican numbers as typed and WhatsApp conversation ids", () => {
    expect(parsePhone("(55) 1234-5678")).toEqual({ e164: "+525512345678", display: "55 1234 5678" });
    expect(parsePhone("+52 1 33 1234 5678")?.e164).toBe("+523312345678");
    expect(parsePhone("250000")).toBeUndefined();
    expect(phoneOfConversation("wa:+5215512345678")?.display).toBe("55 1234 5678");
    expect(phoneOfConversation("web:abc")).toBeUndefined();
  });
});
