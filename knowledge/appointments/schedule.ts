/**
 * When a sede takes appointments: the dealer's configuration, not a Kavak fact. Opening hours per
 * weekday, slot length, how many appointments one slot takes (advisors and cars on the floor),
 * minimum notice and how far ahead one can book; per-sede overrides. The documented default
 * (README, "Appointments"): Monday to Saturday 10:00-18:00, closed on Sunday, 60-minute slots,
 * 2 appointments per slot and sede, at least 60 minutes' notice, up to 30 days ahead, in
 * America/Mexico_City. APPOINTMENTS_SCHEDULE_FILE points at a JSON file of the same shape.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { addDays, fromLocal, weekdayOf, type LocalDate, type LocalDateTime } from "./local-time.ts";

const hhmm = z.string().regex(/^\d{1,2}:\d{2}$/);
const hours = z.object({ open: hhmm, close: hhmm }).nullable();
/** Sunday first, like Date#getDay. */
const week = z.array(hours).length(7);

export const scheduleSchema = z.object({
  timeZone: z.string().default("America/Mexico_City"),
  slotMinutes: z.number().int().min(15).max(240).default(60),
  capacity: z.number().int().min(0).default(2),
  minNoticeMinutes: z.number().int().min(0).default(60),
  horizonDays: z.number().int().min(1).max(365).default(30),
  week: week.default([null, ...Array.from({ length: 6 }, () => ({ open: "10:00", close: "18:00" }))]),
  /** Per sede id (knowledge/documents/sedes.yaml): its own capacity or week. */
  sedes: z.record(z.string(), z.object({ capacity: z.number().int().min(0).optional(), week: week.optional() })).default({}),
});

export type Schedule = z.output<typeof scheduleSchema>;

export const DEFAULT_SCHEDULE: Schedule = scheduleSchema.parse({});

export const loadSchedule = (file: string | undefined): Schedule => (file === undefined ? DEFAULT_SCHEDULE : scheduleSchema.parse(JSON.parse(readFileSync(file, "utf8"))));

const minutesOf = (text: string): number => {
  const [h, m] = text.split(":").map(Number);
  return h! * 60 + m!;
};

export const capacityOf = (schedule: Schedule, sedeId: string): number => schedule.sedes[sedeId]?.capacity ?? schedule.capacity;

/** Opening and closing minute of the day at a sede, or undefined when it takes no appointments that day. */
export const hoursOn = (schedule: Schedule, sedeId: string, date: LocalDate): { open: number; close: number } | undefined => {
  const day = (schedule.sedes[sedeId]?.week ?? schedule.week)[weekdayOf(date)];
  return day === null || day === undefined ? undefined : { open: minutesOf(day.open), close: minutesOf(day.close) };
};

/** Every slot start of a day at a sede (local times). */
export const slotsOn = (schedule: Schedule, sedeId: string, date: LocalDate): LocalDateTime[] => {
  const h = hoursOn(schedule, sedeId, date);
  if (h === undefined) return [];
  const out: LocalDateTime[] = [];
  for (let m = h.open; m + schedule.slotMinutes <= h.close; m += schedule.slotMinutes) out.push({ ...date, hour: Math.floor(m / 60), minute: m % 60 });
  return out;
};

export type SlotProblem = "past" | "too_soon" | "too_far" | "closed_day" | "closed_hour";

/** Why a start time cannot be booked, leaving capacity aside; undefined when it is a bookable slot. */
export const slotProblem = (schedule: Schedule, sedeId: string, start: LocalDateTime, now: Date): SlotProblem | undefined => {
  const instant = fromLocal(start, schedule.timeZone);
  if (instant.getTime() <= now.getTime()) return "past";
  if (instant.getTime() < now.getTime() + schedule.minNoticeMinutes * 60_000) return "too_soon";
  if (instant.getTime() > now.getTime() + schedule.horizonDays * 86_400_000) return "too_far";
  const h = hoursOn(schedule, sedeId, start);
  if (h === undefined) return "closed_day";
  const minute = start.hour * 60 + start.minute;
  if (minute < h.open || minute + schedule.slotMinutes > h.close || (minute - h.open) % schedule.slotMinutes !== 0) return "closed_hour";
  return undefined;
};

/**
 * The free slots nearest to `target`: up to half of `limit` just before it, the rest just after
 * (never in the past or outside the hours), in time order. `booked` counts the appointments already in a slot.
 */
export const nearestFreeSlots = (
  schedule: Schedule,
  sedeId: string,
  target: LocalDateTime,
  now: Date,
  booked: (start: Date) => number,
  limit = 4,
): LocalDateTime[] => {
  const capacity = capacityOf(schedule, sedeId);
  const targetAt = fromLocal(target, schedule.timeZone).getTime();
  const candidates: Array<{ slot: LocalDateTime; at: number }> = [];
  for (let offset = -7; offset <= 14; offset++) {
    const day = addDays(target, offset);
    for (const slot of slotsOn(schedule, sedeId, day)) {
      if (slotProblem(schedule, sedeId, slot, now) !== undefined) continue;
      const at = fromLocal(slot, schedule.timeZone);
      if (booked(at) >= capacity) continue;
      candidates.push({ slot, at: at.getTime() });
    }
  }
  // Both sides of what was asked ("el domingo": Saturday's last slots and Monday's first), up to half before.
  const before = candidates.filter((c) => c.at < targetAt).sort((a, b) => b.at - a.at).slice(0, Math.floor(limit / 2));
  const after = candidates.filter((c) => c.at >= targetAt).sort((a, b) => a.at - b.at).slice(0, limit - before.length);
  return [...before, ...after].sort((a, b) => a.at - b.at).map((c) => c.slot);
};
