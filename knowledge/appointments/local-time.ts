/**
 * Wall-clock time in a time zone (America/Mexico_City by default) and back, with Intl only: a
 * local date and time is what a customer says and what a sede's schedule is written in; the
 * database stores the UTC instant.
 */

export interface LocalDateTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
};

/** The wall-clock date and time of an instant in `timeZone`. */
export const toLocal = (instant: Date, timeZone: string): LocalDateTime => {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
};

/** The instant a wall-clock time in `timeZone` names (the zone's offset at that moment). */
export const fromLocal = (local: LocalDateTime, timeZone: string): Date => {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Offset of the zone near that moment; a second pass settles a DST edge.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = toLocal(new Date(guess), timeZone);
    const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess += asUtc - seenUtc;
  }
  return new Date(guess);
};

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: LocalDate): number => new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

export const sameDate = (a: LocalDate, b: LocalDate): boolean => a.year === b.year && a.month === b.month && a.day === b.day;

const WEEKDAYS = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"];
const MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

/** "sábado 14 de marzo" */
export const dateLabel = (date: LocalDate): string => `${WEEKDAYS[weekdayOf(date)]} ${date.day} de ${MONTHS[date.month - 1]}`;
/** "11:00" */
export const timeLabel = (t: { hour: number; minute: number }): string => `${t.hour}:${String(t.minute).padStart(2, "0")}`;
/** "2026-03-14T11:00" (local, no zone): what a tool output carries for a slot. */
export const localIso = (t: LocalDateTime): string =>
  `${t.year}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}T${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;

export const MONTH_NAMES = MONTHS;
export const WEEKDAY_NAMES = WEEKDAYS;
