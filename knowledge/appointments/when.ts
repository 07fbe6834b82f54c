/**
 * A day and time as a customer writes it in Spanish, read against "now" in the dealer's time zone:
 * "mañana a las 11", "el sábado en la mañana", "el 15 a las 4", "hoy a las 5 de la tarde",
 * "pasado mañana 10:30", "el 20 de marzo a mediodía", or an ISO local time "2026-03-14T11:00"
 * (what a tool offered). Dates with a month name go through chrono-node's Spanish parser; the
 * rest are read here, because chrono reads "el 15 a las 4" as 4 in the morning of tomorrow.
 * An hour from 1 to 7 with no "de la mañana" is in the afternoon (nobody visits a dealer at 4 a.m.).
 */
import * as chrono from "chrono-node";
import { addDays, toLocal, weekdayOf, type LocalDate, type LocalDateTime } from "./local-time.ts";

export type DayWindow = "morning" | "afternoon" | "evening";

export type WhenReading =
  /** A day and a time. */
  | { readonly kind: "exact"; readonly at: LocalDateTime }
  /** A day, maybe a part of it ("el sábado en la mañana"). */
  | { readonly kind: "day"; readonly date: LocalDate; readonly window?: DayWindow }
  /** A time with no day ("a las 11"). */
  | { readonly kind: "time"; readonly hour: number; readonly minute: number }
  | { readonly kind: "none" };

const fold = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\s+/g, " ")
    .trim();

const WEEKDAYS: Record<string, number> = { domingo: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6 };
const MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

const readWindow = (text: string): DayWindow | undefined => {
  if (/\b(?:en|por|de|a) la manana\b|\bmananita\b|\btemprano\b/.test(text)) return "morning";
  if (/\b(?:en|por|de|a) la tarde\b|\bpm\b|\bp\.m\.|\bmediodia\b/.test(text)) return "afternoon";
  if (/\b(?:en|por|de|a) la noche\b/.test(text)) return "evening";
  return undefined;
};

/** The day part of the message, if any. */
const readDate = (text: string, today: LocalDate, original: string, now: Date): LocalDate | undefined => {
  const iso = text.match(/\b(\d{4})-(\d{2})-(\d{2})(?!\d)/);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  if (/\bpasado manana\b/.test(text)) return addDays(today, 2);
  // "mañana" as a day, not "en la mañana" / "de la mañana"
  if (/(?:^|[^a-z])manana\b/.test(text.replace(/\b(?:en|por|de|a) la manana\b/g, " "))) return addDays(today, 1);
  if (/\bhoy\b/.test(text)) return today;
  if (MONTHS.some((m) => text.includes(m))) {
    const found = chrono.es.parse(original, { instant: now, timezone: "America/Mexico_City" }, { forwardDate: true })[0];
    if (found !== undefined && found.start.isCertain("day") && found.start.isCertain("month")) {
      const month = found.start.get("month")!;
      const day = found.start.get("day")!;
      let year = found.start.isCertain("year") ? found.start.get("year")! : today.year;
      if (!found.start.isCertain("year") && (month < today.month || (month === today.month && day < today.day))) year += 1;
      return { year, month, day };
    }
  }
  const slash = text.match(/\b(\d{1,2})\/(\d{1,2})\b/);
  if (slash) {
    const day = Number(slash[1]);
    const month = Number(slash[2]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return { year: month < today.month ? today.year + 1 : today.year, month, day };
  }
  for (const [name, weekday] of Object.entries(WEEKDAYS)) {
    if (new RegExp(`\\b${name}\\b`).test(text)) {
      const ahead = (weekday - weekdayOf(today) + 7) % 7;
      const next = /\b(?:proximo|siguiente|que viene)\b/.test(text) && ahead === 0 ? 7 : ahead;
      return addDays(today, next);
    }
  }
  // "el 15", "el día 15": this month's, or next month's once it has passed
  const dayOnly = text.match(/\b(?:el|dia|para el)\s+(?:dia\s+)?(\d{1,2})\b(?!\s*(?::|de la|hrs|horas|am|pm))/);
  if (dayOnly) {
    const day = Number(dayOnly[1]);
    if (day >= 1 && day <= 31) {
      const next = day < today.day ? addDays({ ...today, day: 1 }, 32) : today;
      return { year: next.year, month: next.month, day };
    }
  }
  return undefined;
};

/** The time part of the message, if any. */
const readTime = (text: string, window: DayWindow | undefined): { hour: number; minute: number } | undefined => {
  const iso = text.match(/\b\d{4}-\d{2}-\d{2}[t ](\d{2}):(\d{2})(?!\d)/);
  if (iso) return { hour: Number(iso[1]), minute: Number(iso[2]) };
  if (/\bmediodia\b/.test(text)) return { hour: 12, minute: 0 };
  const m =
    text.match(/\b(?:a las|a la|las|la|tipo|como a las|sobre las)\s+(\d{1,2})(?:(?::|\.)(\d{2}))?(?:\s*(am|pm|a\.m\.|p\.m\.|hrs?|horas))?(?:\s+y\s+(media|cuarto))?/) ??
    text.match(/\b(\d{1,2}):(\d{2})\s*(am|pm|hrs?|horas)?\b/) ??
    text.match(/\b(\d{1,2})\s*(am|pm|hrs|horas)\b()/);
  if (!m) return undefined;
  let hour = Number(m[1]);
  let minute = m[2] !== undefined && /^\d+$/.test(m[2]) ? Number(m[2]) : 0;
  const suffix = [m[2], m[3], m[4]].find((x) => x !== undefined && /^(am|pm|a\.m\.|p\.m\.)$/.test(x));
  const half = [m[3], m[4], m[5]].find((x) => x === "media" || x === "cuarto");
  if (half === "media") minute = 30;
  if (half === "cuarto") minute = 15;
  if (hour > 23 || minute > 59) return undefined;
  if (suffix === "pm" || suffix === "p.m.") hour = hour < 12 ? hour + 12 : hour;
  else if (suffix === "am" || suffix === "a.m.") hour = hour === 12 ? 0 : hour;
  else if (window === "afternoon" || window === "evening") hour = hour < 12 ? hour + 12 : hour;
  else if (window !== "morning" && hour >= 1 && hour <= 7) hour += 12;
  return { hour, minute };
};

export const readWhen = (text: string, now: Date, timeZone: string): WhenReading => {
  const plain = fold(text);
  const local = toLocal(now, timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const window = readWindow(plain);
  const date = readDate(plain, today, text, now);
  const time = readTime(plain, window);
  if (date !== undefined && time !== undefined) return { kind: "exact", at: { ...date, ...time } };
  if (date !== undefined) return window === undefined ? { kind: "day", date } : { kind: "day", date, window };
  if (time !== undefined) return { kind: "time", ...time };
  return { kind: "none" };
};

/** Minutes of the day a window covers (for offering slots "en la mañana"). */
export const windowMinutes = (window: DayWindow): readonly [number, number] =>
  window === "morning" ? [0, 12 * 60] : window === "afternoon" ? [12 * 60, 19 * 60] : [18 * 60, 24 * 60];
