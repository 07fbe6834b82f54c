/**
 * What the gate holds the closing tools and replies to (issue 14), from the rules as the issue and
 * README state them, not from the code under test:
 * - appointments are only at a sede of knowledge/documents/sedes.yaml (its name, city, address),
 *   in the dealer's default schedule (Monday to Saturday, slots starting 10:00 … 17:00 on the hour,
 *   Sunday closed), after "now", with a Spanish label naming the same day and time; every slot
 *   offered instead keeps the same rules;
 * - a lead is only registered with consent, and its phone has ten digits;
 * - a rating is 1 to 5;
 * - a reply says an appointment is confirmed, moved or cancelled only when a tool of that turn
 *   returned ok: true; no time a reply offers is outside the opening hours.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { foldAccents } from "../lib/fold-accents.ts";

type Problem = string;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const SEDES_FILE = new URL("../knowledge/documents/sedes.yaml", import.meta.url).pathname;
let sedes: Array<{ name: string; city: string; address: string }> | undefined;
const knownSedes = () => (sedes ??= (parse(readFileSync(SEDES_FILE, "utf8")) as { sedes: Array<{ name: string; city: string; address: string }> }).sedes);

/** The default schedule (README "Appointments"): weekday → first and last slot start hour. */
const OPEN = { days: [1, 2, 3, 4, 5, 6], firstHour: 10, lastHour: 17 } as const;
const WEEKDAYS = ["domingo", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado"];
const MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

const now = (): number => {
  const fixed = process.env.APPOINTMENTS_FIXED_NOW;
  return fixed ? new Date(fixed).getTime() : Date.now();
};

/** "2026-03-14T11:00" (Mexico City, UTC-6 all year since 2022). */
const slotProblems = (startsAt: string, label: string | undefined, what: string): Problem[] => {
  const m = startsAt.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
  if (!m) return [`${what}: startsAt ${startsAt} is not a local ISO time`];
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  const instant = Date.UTC(y, mo - 1, d, h + 6, mi);
  const problems: Problem[] = [];
  if (!(OPEN.days as readonly number[]).includes(weekday)) problems.push(`${what}: ${startsAt} is a ${WEEKDAYS[weekday]}, no appointments that day`);
  if (h < OPEN.firstHour || h > OPEN.lastHour || mi !== 0) problems.push(`${what}: ${startsAt} is outside the opening hours`);
  if (instant <= now()) problems.push(`${what}: ${startsAt} is not after now`);
  if (label !== undefined) {
    const want = `${WEEKDAYS[weekday]} ${d} de ${MONTHS[mo - 1]} a las ${h}:${String(mi).padStart(2, "0")}`;
    if (foldAccents(label).toLowerCase() !== want) problems.push(`${what}: label "${label}" for ${startsAt}, expected "${want}"`);
  }
  return problems;
};

const checkAppointmentOutput = (output: Record<string, unknown>): Problem[] => {
  if (output.ok === true) {
    const a = output.appointment;
    if (a === null && output.action === "consultar") return [];
    if (!isRecord(a) || !isRecord(a.sede)) return ["ok without an appointment"];
    const sede = a.sede;
    const known = knownSedes().find((s) => s.name === sede.name);
    const problems: Problem[] = [];
    if (known === undefined) problems.push(`sede ${String(sede.name)} is not in the knowledge base`);
    else if (known.city !== sede.city || known.address !== sede.address) problems.push(`sede ${known.name}: city/address differ from the knowledge base`);
    if (a.status === "confirmed") problems.push(...slotProblems(String(a.startsAt), String(a.when), "appointment"));
    return problems;
  }
  const error = isRecord(output.error) ? output.error : undefined;
  if (error === undefined || typeof error.code !== "string" || typeof error.message !== "string") return ["a refusal without code and message"];
  const options = Array.isArray(error.options) ? error.options.filter(isRecord) : [];
  if (options.length > 4) return [`${options.length} slots offered, at most 4`];
  return options.flatMap((o, i) => slotProblems(String(o.startsAt), String(o.label), `option ${i + 1}`));
};

const checkAdvisor = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  if (output.ok !== true) return [];
  const problems: Problem[] = [];
  if (input.consent !== true) problems.push("a lead registered without consent");
  const lead = isRecord(output.lead) ? output.lead : {};
  if (!/^(?:\d{2} \d{4} \d{4}|\+\d{8,15})$/.test(String(lead.phone))) problems.push(`lead phone ${String(lead.phone)}`);
  if (typeof output.nextStep !== "string" || !output.nextStep.includes(String(lead.phone))) problems.push("the next step does not say which number will be called");
  return problems;
};

const checkSatisfaction = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] =>
  output.ok === true && !(Number.isInteger(input.rating) && Number(input.rating) >= 1 && Number(input.rating) <= 5) ? [`rating ${String(input.rating)} stored`] : [];

export const CLOSING_ORACLES: Record<string, (input: Record<string, unknown>, output: Record<string, unknown>) => Problem[]> = {
  request_advisor: checkAdvisor,
  book_appointment: (_input, output) => checkAppointmentOutput(output),
  manage_appointment: (_input, output) => checkAppointmentOutput(output),
  record_satisfaction: checkSatisfaction,
};

const CLAIMS_DONE = /\b(?:(?:quedo|queda|esta|sigue) (?:confirmad[ao]|agendad[ao])|(?:cita|visita|prueba de manejo) (?:confirmad[ao]|agendad[ao])|te (?:agende|la agende)|movi tu|cancele tu)\b/;
const SLOT_IN_REPLY = /\b(lunes|martes|miercoles|jueves|viernes|sabado|domingo) (\d{1,2}) de (\w+) a las (\d{1,2}):(\d{2})\b/g;

/**
 * A reply's appointment claims: "confirmada" (or moved, cancelled) only after a closing tool of
 * this turn returned ok; every day-and-time it states is inside the opening hours, unless it is
 * the one the customer asked for and the reply refuses it.
 */
export const checkClosingReply = (reply: string, turnCalls: ReadonlyArray<{ readonly name: string; readonly output: unknown }>): Problem[] => {
  const text = foldAccents(reply).toLowerCase().replace(/\*/g, "");
  const problems: Problem[] = [];
  const confirmedByTool = turnCalls.some((c) => (c.name === "book_appointment" || c.name === "manage_appointment") && isRecord(c.output) && c.output.ok === true);
  if (CLAIMS_DONE.test(text) && !confirmedByTool) problems.push(`[appointment-claim] says "${text.match(CLAIMS_DONE)![0]}" with no appointment tool confirming it this turn`);
  const offered = text.includes("horarios disponibles") ? text.slice(text.indexOf("horarios disponibles")) : confirmedByTool ? text : "";
  for (const m of offered.matchAll(SLOT_IN_REPLY)) {
    const [, weekday, , , hour, minute] = m;
    const day = WEEKDAYS.indexOf(weekday!);
    if (!(OPEN.days as readonly number[]).includes(day) || Number(hour) < OPEN.firstHour || Number(hour) > OPEN.lastHour || minute !== "00")
      problems.push(`[opening-hours] offers or confirms "${m[0]}", outside the opening hours`);
  }
  return problems;
};
