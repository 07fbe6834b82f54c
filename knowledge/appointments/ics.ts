/** An appointment as an iCalendar file (RFC 5545), for "add to my calendar". */
import type { Appointment } from "./appointment.ts";

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
/** Escapes text values and folds nothing: lines stay short enough for the fields used here. */
const text = (value: string): string => value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");

export const appointmentIcs = (appointment: Appointment, slotMinutes: number, now: Date = new Date()): string => {
  const kind = appointment.kind === "prueba_de_manejo" ? "Prueba de manejo" : "Visita";
  const end = new Date(appointment.startsAt.getTime() + slotMinutes * 60_000);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Kavak sales assistant//ES",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${appointment.id}@kavak-assistant`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(appointment.startsAt)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${text(`${kind} en ${appointment.sede.name}${appointment.car === null ? "" : ` (${appointment.car.title})`}`)}`,
    `LOCATION:${text(`${appointment.sede.name}, ${appointment.sede.address}`)}`,
    `STATUS:${appointment.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`,
    `SEQUENCE:${appointment.version - 1}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.join("\r\n")}\r\n`;
};
