import { describe, expect, it } from "vitest";
import type { Appointment } from "../knowledge/appointments/appointment.ts";
import { leadPayload, signLead } from "./leads-webhook.ts";
import { reminderText, remindersFor, whatsappAddress } from "./reminders.ts";
import { createHmac } from "node:crypto";

const appointment = (over: Partial<Appointment> = {}): Appointment => ({
  id: "apt_1",
  conversationId: "wa:+5215512345678",
  channel: "whatsapp",
  kind: "prueba_de_manejo",
  sede: { id: "antara", name: "Antara Fashion Hall", city: "Ciudad de México", address: "Av. Moliere, Polanco II Sección, Miguel Hidalgo" },
  car: { stockId: 1, title: "Nissan Versa 2020" },
  startsAt: new Date("2026-03-12T17:00:00Z"),
  status: "confirmed",
  version: 2,
  phone: "+525512345678",
  createdAt: new Date("2026-03-10T16:00:00Z"),
  ...over,
});

describe("appointment reminders", () => {
  it("are due a day and 2 hours before, on WhatsApp only, tagged with the appointment's version", () => {
    const due = remindersFor(appointment(), new Date("2026-03-10T16:00:00Z"));
    expect(due.map((r) => [r.job.before, r.at.toISOString(), r.job.version])).toEqual([
      ["24h", "2026-03-11T17:00:00.000Z", 2],
      ["2h", "2026-03-12T15:00:00.000Z", 2],
    ]);
    expect(remindersFor(appointment(), new Date("2026-03-12T12:00:00Z")).map((r) => r.job.before)).toEqual(["2h"]);
    expect(remindersFor(appointment({ channel: "web", conversationId: "web:abc" }), new Date("2026-03-10T16:00:00Z"))).toEqual([]);
    expect(remindersFor(appointment({ status: "cancelled" }), new Date("2026-03-10T16:00:00Z"))).toEqual([]);
  });

  it("say where, when and for which car, to the conversation's own WhatsApp address", () => {
    expect(reminderText(appointment(), "jueves 12 de marzo a las 11:00", "24h")).toContain("prueba de manejo en *Antara Fashion Hall*");
    expect(reminderText(appointment(), "jueves 12 de marzo a las 11:00", "2h")).toContain("es hoy, jueves 12 de marzo a las 11:00, para el Nissan Versa 2020");
    expect(whatsappAddress("wa:+5215512345678")).toBe("whatsapp:+5215512345678");
    expect(whatsappAddress("web:abc")).toBeUndefined();
  });
});

describe("the CRM webhook signature", () => {
  it("is the HMAC-SHA256 of timestamp.body, hex, prefixed sha256=", () => {
    const body = '{"event":"lead.created"}';
    expect(signLead("s3cret", 1_700_000_000, body)).toBe(`sha256=${createHmac("sha256", "s3cret").update(`1700000000.${body}`).digest("hex")}`);
    expect(signLead("s3cret", 1_700_000_001, body)).not.toBe(signLead("s3cret", 1_700_000_000, body));
  });

  it("carries the lead with its consent", () => {
    const payload = JSON.parse(
      leadPayload({ id: "lead_1", conversationId: "c", channel: "web", name: null, phone: "+525512345678", consent: true, car: null, purpose: "compra", callTime: "en la tarde", notes: null, status: "new", createdAt: new Date(0), updatedAt: new Date(0) }),
    );
    expect(payload).toMatchObject({ event: "lead.created", lead: { phone: "+525512345678", consent: true, purpose: "compra", callTime: "en la tarde" } });
  });
});
