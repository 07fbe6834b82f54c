import { describe, expect, it } from "vitest";
import { CLOSING_ORACLES, checkClosingReply } from "./closing-checks.ts";

const booked = { name: "book_appointment", output: { ok: true, appointment: {} } };
const refused = { name: "book_appointment", output: { ok: false, error: { code: "closed", message: "" } } };

describe("closing reply rules", () => {
  it("an appointment is only confirmed when a tool of the turn confirmed it", () => {
    expect(checkClosingReply("✅ ¡Listo! Tu visita quedó *confirmada*", [booked])).toEqual([]);
    expect(checkClosingReply("✅ ¡Listo! Tu visita quedó *confirmada*", [refused])[0]).toMatch(/^\[appointment-claim\]/);
    expect(checkClosingReply("Te agendé la prueba de manejo", [])[0]).toMatch(/^\[appointment-claim\]/);
    expect(checkClosingReply("Bluetooth: no confirmado", [])).toEqual([]);
  });

  it("no time offered or confirmed outside the opening hours", () => {
    expect(checkClosingReply("Horarios disponibles:\n1. sábado 14 de marzo a las 17:00\n2. lunes 16 de marzo a las 10:00", [refused])).toEqual([]);
    expect(checkClosingReply("Horarios disponibles:\n1. domingo 15 de marzo a las 11:00", [refused])[0]).toMatch(/^\[opening-hours\]/);
    expect(checkClosingReply("Horarios disponibles:\n1. lunes 16 de marzo a las 19:00", [refused])[0]).toMatch(/^\[opening-hours\]/);
    // The day the customer asked for may be named in a refusal before the options.
    expect(checkClosingReply("El domingo 15 de marzo a las 11:00 no hay horario.\n\nHorarios disponibles:\n1. lunes 16 de marzo a las 10:00", [refused])).toEqual([]);
  });
});

describe("closing oracles", () => {
  it("reject a slot outside the schedule, a sede not in the knowledge base and a lead without consent", () => {
    const at = (startsAt: string, label: string) => ({ ok: true, appointment: { status: "confirmed", startsAt, when: label, sede: { name: "Antara Fashion Hall", city: "Ciudad de México", address: "Av. Moliere, Polanco II Sección, Miguel Hidalgo" } } });
    expect(CLOSING_ORACLES.book_appointment!({}, at("2099-03-14T11:00", "sábado 14 de marzo a las 11:00"))).toEqual([]);
    expect(CLOSING_ORACLES.book_appointment!({}, at("2099-03-15T11:00", "domingo 15 de marzo a las 11:00")).join()).toMatch(/domingo/);
    expect(CLOSING_ORACLES.book_appointment!({}, at("2099-03-14T19:00", "sábado 14 de marzo a las 19:00")).join()).toMatch(/opening hours/);
    expect(CLOSING_ORACLES.book_appointment!({}, { ok: true, appointment: { status: "confirmed", startsAt: "2099-03-14T11:00", when: "sábado 14 de marzo a las 11:00", sede: { name: "Kavak Luna" } } }).join()).toMatch(/not in the knowledge base/);
    expect(CLOSING_ORACLES.request_advisor!({ phone: "5512345678" }, { ok: true, lead: { phone: "55 1234 5678" }, nextStep: "al 55 1234 5678" })).toEqual(["a lead registered without consent"]);
  });
});
