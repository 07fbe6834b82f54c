/**
 * The closing flows as slot-filling dialogues, rebuilt from the prompt like the rest of the state:
 * hand-off to an advisor (consent → when to call → the tool; the phone only when the tool asks for
 * it: WhatsApp already has it), booking (kind → sede → day and time → the tool), moving or
 * cancelling the appointment, the "lo quiero" choice, and the satisfaction question (asked once).
 * A message that answers none of what a flow waits for leaves the flow, and the rest of the model
 * reads it as usual.
 */
import type { AppointmentView } from "../../../tools/closing-contracts.ts";
import { ABOUT_APPOINTMENT, ADVISOR_REQUEST, BOOKING_REQUEST, CANCEL_APPOINTMENT, COMPLAINT, CONSULT_APPOINTMENT, FINANCING_WORDS, MOVE_APPOINTMENT, NEXT_STEP, readRating, TEST_DRIVE, TRADE_IN, VISIT } from "../nlu/closing-cues.ts";
import { normalize, words } from "../nlu/normalize.ts";
import { findPhone } from "../nlu/phone.ts";
import { understand } from "../nlu/understand.ts";
import { mentionsWhen, whenPhrase } from "../nlu/when.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import { CSAT_MARKER } from "../replies/closing.ts";

export type Purpose = "compra" | "financiamiento" | "toma_a_cuenta" | "queja";
export type Kind = "visita" | "prueba_de_manejo";
export interface SlotOption {
  readonly startsAt: string;
  readonly label: string;
}

export interface AdvisorFrame {
  readonly purpose: Purpose;
  readonly consent?: boolean;
  readonly callTime?: string;
  /** As typed, to repeat it back. */
  readonly phone?: string;
  /** The tool asked for a phone (web, HTTP): now it is the missing thing. */
  readonly phoneAsked?: boolean;
}

export interface BookingFrame {
  readonly kind?: Kind;
  readonly sede?: string;
  readonly when?: string;
  /** Slots the tool offered instead of the one asked. */
  readonly options: ReadonlyArray<SlotOption>;
}

export interface ClosingState {
  readonly advisor?: AdvisorFrame;
  readonly booking?: BookingFrame;
  /** A move asked without a new time (or refused): waiting for one. */
  readonly moving?: { readonly options: ReadonlyArray<SlotOption> };
  /** "lo quiero" was answered with the choice visit / test drive / advisor. */
  readonly choice?: boolean;
  readonly appointment?: AppointmentView;
  readonly csatAsked: boolean;
  /** The previous reply asked for the rating. */
  readonly csatAwaiting: boolean;
  /** The previous reply offered an advisor. */
  readonly advisorOffered: boolean;
}

export type ClosingEvent =
  | { readonly kind: "advisor" }
  | { readonly kind: "consent_denied" }
  | { readonly kind: "booking" }
  | { readonly kind: "choice"; readonly reserve: boolean }
  | { readonly kind: "move"; readonly when?: string }
  | { readonly kind: "cancel" }
  | { readonly kind: "consult" }
  | { readonly kind: "csat"; readonly rating: number; readonly comment?: string }
  | { readonly kind: "goodbye" };

export const emptyClosing = (): ClosingState => ({ csatAsked: false, csatAwaiting: false, advisorOffered: false });

/** Sedes by city, read from the booking tool's description ("Sedes: Puebla: Kavak Explanada, Kavak Las Torres; ..."). */
export interface SedeDirectory {
  readonly cities: ReadonlyArray<string>;
  readonly names: ReadonlyArray<{ readonly name: string; readonly city: string }>;
}

export const readSedeDirectory = (description: string): SedeDirectory => {
  const list = description.match(/Sedes: ([^]*?)\.?$/)?.[1] ?? "";
  const names: Array<{ name: string; city: string }> = [];
  const cities: string[] = [];
  for (const group of list.split(/;\s*/)) {
    const [city, rest] = group.split(/:\s*/, 2);
    if (city === undefined || rest === undefined) continue;
    cities.push(city.trim());
    for (const name of rest.split(/,\s*/)) names.push({ name: name.trim(), city: city.trim() });
  }
  return { cities: [...new Set(cities)], names };
};

const GENERIC_NAME_WORDS = new Set(["kavak", "plaza", "patio", "punto", "puerta", "town", "center", "fashion", "nuevo"]);

/** The sede or city a message names, as the tool will read it. */
export const sedeMention = (text: string, directory: SedeDirectory): string | undefined => {
  const plain = ` ${normalize(text)} `;
  const has = (name: string) => plain.includes(` ${normalize(name)} `);
  const named = directory.names.find((s) => has(s.name.replace(/^Kavak /, "")));
  if (named !== undefined) return named.name;
  // "en Antara", "en Midtown": a distinctive word of one sede's name
  const distinctive = (name: string) => normalize(name).split(" ").filter((w) => w.length >= 5 && !GENERIC_NAME_WORDS.has(w) && !directory.cities.some((c) => normalize(c).split(" ").includes(w)));
  const byWord = directory.names.filter((s) => distinctive(s.name).some((w) => plain.includes(` ${w} `)));
  if (byWord.length === 1) return byWord[0]!.name;
  if (/ (?:cdmx|df) /.test(plain)) return "Ciudad de México";
  return directory.cities.find((c) => has(c));
};

const AFFIRM_START = /^(?:si|sip|claro|ok|okay|va|dale|sale|orale|adelante|de acuerdo|autorizo|por supuesto|perfecto|esta bien|andale)\b/;
const DENY_START = /^(?:no|nel|mejor no|no gracias|prefiero que no)\b/;
const OFFERED_ADVISOR = /\b(?:un asesor|una asesora)\b[^.?!\n]{0,60}\b(?:te (?:puede|podria) (?:ayudar|contactar|llamar|dar)|te (?:contacte|llame|ayude)|contact|canaliz|comunic)|\b(?:contactar|canalizar|comunicar|poner en contacto)\w*\b[^.?!\n]{0,30}\bcon un asesor\b/;

const purposeOf = (plain: string): Purpose => (COMPLAINT.test(plain) ? "queja" : TRADE_IN.test(plain) ? "toma_a_cuenta" : FINANCING_WORDS.test(plain) ? "financiamiento" : "compra");

/** "la primera", "el 2", "la de las 12": one of the slots offered. */
const pickOption = (plain: string, options: ReadonlyArray<SlotOption>): SlotOption | undefined => {
  if (options.length === 0) return undefined;
  const ordinals = ["primer", "segund", "tercer", "cuart"];
  const byWord = ordinals.findIndex((o) => new RegExp(`\\b${o}[oa]?\\b`).test(plain));
  if (byWord >= 0) return options[byWord];
  const byNumber = plain.match(/^(?:la |el |opcion |la opcion )?([1-4])$/);
  if (byNumber) return options[Number(byNumber[1]) - 1];
  if (/\b(?:esa|ese|la que dices|la que me dices)\b/.test(plain) && options.length === 1) return options[0];
  const hour = plain.match(/\blas? (\d{1,2})(?::(\d{2}))?\b/);
  if (hour) {
    let h = Number(hour[1]);
    if (h >= 1 && h <= 7) h += 12;
    const hits = options.filter((o) => Number(o.startsAt.slice(11, 13)) === h && (hour[2] === undefined || o.startsAt.slice(14, 16) === hour[2]));
    if (hits.length >= 1 && !/\b(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|hoy|el \d)/.test(plain)) return hits[0];
  }
  return undefined;
};

const whenOf = (text: string, options: ReadonlyArray<SlotOption>): string | undefined => {
  const plain = normalize(text);
  const picked = pickOption(plain, options);
  if (picked !== undefined) return picked.startsAt;
  return mentionsWhen(text) ? whenPhrase(text) : undefined;
};

/** "una prueba de manejo", "una visita"; "una cita" with no test drive named is a visit. */
const kindOf = (plain: string): Kind | undefined => (TEST_DRIVE.test(plain) ? "prueba_de_manejo" : VISIT.test(plain) || /\bcita\b/.test(plain) ? "visita" : undefined);

/** Slots a message gives a booking. */
const bookingSlots = (frame: BookingFrame, text: string, directory: SedeDirectory, awaitingSede: boolean): BookingFrame => {
  const plain = normalize(text);
  const kind = kindOf(plain);
  const sede = sedeMention(text, directory) ?? (awaitingSede && words(plain).length <= 6 && !mentionsWhen(text) ? text.trim() : undefined);
  const when = whenOf(text, frame.options);
  return { ...frame, ...(kind === undefined ? {} : { kind }), ...(sede === undefined ? {} : { sede }), ...(when === undefined ? {} : { when }) };
};

const advisorSlots = (frame: AdvisorFrame, text: string): AdvisorFrame => {
  const phone = findPhone(text);
  return { ...frame, ...(phone === undefined ? {} : { phone: phone.typed }) };
};

/** What a user message does to the closing flows; `event` undefined: not a closing message. */
export const readUser = (state: ClosingState, text: string, directory: SedeDirectory): { state: ClosingState; event?: ClosingEvent } => {
  const plain = normalize(text);
  const phone = findPhone(text);
  const { choice: _choice, moving, ...rest } = state;
  const base: ClosingState = { ...rest, csatAwaiting: false, advisorOffered: false };
  const intent = () => understand(text).intent;
  const affirm = AFFIRM_START.test(plain) || intent() === "affirm";
  const deny = DENY_START.test(plain) && !affirm;

  if (state.csatAwaiting) {
    const rating = readRating(plain);
    if (rating !== undefined) {
      const comment = text.replace(/^\D*?[1-5]\b(?:\s*(?:estrellas?|de 5))?[\s,.!:-]*/i, "").trim();
      return { state: base, event: { kind: "csat", rating: rating.rating, ...(comment === "" ? {} : { comment }) } };
    }
  }
  // The appointment already made: cancel, move, ask about it.
  const aboutIt = ABOUT_APPOINTMENT.test(plain);
  if ((CANCEL_APPOINTMENT.test(plain) && aboutIt) || /\bya no (?:voy a ir|puedo ir|podre ir)\b/.test(plain)) return { state: { ...base, booking: undefined }, event: { kind: "cancel" } };
  if (CONSULT_APPOINTMENT.test(plain)) return { state: base, event: { kind: "consult" } };
  if (state.appointment !== undefined && MOVE_APPOINTMENT.test(plain) && (aboutIt || mentionsWhen(text))) {
    const when = whenOf(text, []);
    return { state: { ...base, ...(when === undefined ? { moving: { options: [] } } : {}) }, event: when === undefined ? { kind: "move" } : { kind: "move", when } };
  }
  if (moving !== undefined) {
    const when = whenOf(text, moving.options);
    if (when !== undefined) return { state: base, event: { kind: "move", when } };
  }

  // Hand-off in progress: consent, when to call, the phone the tool asked for.
  if (state.advisor !== undefined) {
    const frame = state.advisor;
    if (frame.phoneAsked === true && frame.phone === undefined) {
      if (phone !== undefined) return { state: { ...base, advisor: { ...frame, phone: phone.typed } }, event: { kind: "advisor" } };
      if (/\d{5,}/.test(plain.replace(/\s/g, ""))) return { state: { ...base, advisor: frame }, event: { kind: "advisor" } };
    } else if (frame.consent === undefined) {
      if (deny) return { state: { ...base, advisor: undefined }, event: { kind: "consent_denied" } };
      if (affirm || phone !== undefined) {
        const callTime = mentionsWhen(text) ? whenPhrase(text) : undefined;
        return { state: { ...base, advisor: { ...advisorSlots(frame, text), consent: true, ...(callTime === undefined ? {} : { callTime }) } }, event: { kind: "advisor" } };
      }
    } else if (frame.callTime === undefined && words(plain).length <= 10 && !plain.includes("?")) {
      return { state: { ...base, advisor: { ...advisorSlots(frame, text), callTime: text.trim().replace(/[.!]+$/, "") } }, event: { kind: "advisor" } };
    }
  }

  // Booking in progress: the first missing thing, and whatever else the message gives.
  if (state.booking !== undefined) {
    const frame = state.booking;
    const awaitingSede = frame.kind !== undefined && frame.sede === undefined;
    const next = bookingSlots(frame, text, directory, awaitingSede);
    const kindAnswered = frame.kind === undefined && next.kind === undefined && (next.sede !== undefined || next.when !== undefined);
    const filled = JSON.stringify(next) !== JSON.stringify(frame) || kindAnswered;
    if (filled) return { state: { ...base, booking: kindAnswered ? { ...next, kind: "visita" } : next }, event: { kind: "booking" } };
  }

  // "lo quiero" was answered with the choice.
  if (state.choice === true) {
    if (ADVISOR_REQUEST.test(plain) || /\basesor|llam/.test(plain)) return { state: { ...base, advisor: advisorSlots({ purpose: purposeOf(plain) }, text) }, event: { kind: "advisor" } };
    const kind = kindOf(plain);
    if (kind !== undefined || BOOKING_REQUEST.test(plain)) return { state: { ...base, booking: bookingSlots({ options: [], ...(kind === undefined ? {} : { kind }) }, text, directory, false) }, event: { kind: "booking" } };
  }

  // New requests.
  if (ADVISOR_REQUEST.test(plain) || (state.advisorOffered && affirm && !plain.includes("?")) || (phone !== undefined && state.booking === undefined && onlyGivesPhone(text, phone))) {
    const callTime = mentionsWhen(withoutDigits(text)) ? whenPhrase(withoutDigits(text)) : undefined;
    return { state: { ...base, advisor: { ...advisorSlots({ purpose: purposeOf(plain) }, text), ...(callTime === undefined ? {} : { callTime }) } }, event: { kind: "advisor" } };
  }
  if (BOOKING_REQUEST.test(plain)) return { state: { ...base, booking: bookingSlots({ options: [] }, text, directory, false) }, event: { kind: "booking" } };
  if (NEXT_STEP.test(plain)) return { state: { ...base, choice: true }, event: { kind: "choice", reserve: /\b(?:apart|reserv)/.test(plain) } };
  if (!state.csatAsked && intent() === "goodbye") return { state: { ...base, advisor: undefined, booking: undefined, csatAsked: true }, event: { kind: "goodbye" } };
  // Anything else leaves the flows; the rest of the model reads it.
  return { state: { ...base, advisor: undefined, booking: undefined } };
};

/** "mi cel es 55 1234 5678", "5512345678": the message only leaves a number (a search with it is still a search). */
const PHONE_FILLER = new Set(["mi", "el", "es", "al", "a", "este", "aqui", "te", "le", "les", "dejo", "paso", "cel", "celular", "numero", "telefono", "tel", "whatsapp", "whats", "movil", "por", "favor", "porfa", "gracias", "hola", "ok", "para", "que", "me", "llamen", "llames", "llame", "marquen", "contacten"]);
const onlyGivesPhone = (text: string, phone: { start: number; end: number }): boolean =>
  words(normalize(`${text.slice(0, phone.start)} ${text.slice(phone.end)}`)).filter((w) => !PHONE_FILLER.has(w)).length <= 2 ||
  /\b(?:llam|marc|contact)\w*/.test(normalize(text));

const withoutDigits = (text: string): string => text.replace(/\+?\d[\d\s().-]{6,}\d/g, " ");

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const optionsOf = (error: Record<string, unknown>): SlotOption[] =>
  Array.isArray(error.options) ? error.options.filter((o): o is SlotOption => isObject(o) && typeof o.startsAt === "string" && typeof o.label === "string") : [];
export const asAppointment = (v: unknown): AppointmentView | undefined => (isObject(v) && typeof v.when === "string" && isObject(v.sede) ? (v as unknown as AppointmentView) : undefined);

/** What this turn's closing tools returned does to the flows. */
export const applyClosingTools = (state: ClosingState, exchanges: ReadonlyArray<ToolExchange>): ClosingState => {
  let next = state;
  for (const exchange of exchanges) {
    const value = exchange.outcome?.ok === true ? exchange.outcome.value : undefined;
    if (!isObject(value)) continue;
    const error = isObject(value.error) ? value.error : undefined;
    const code = typeof error?.code === "string" ? error.code : undefined;
    switch (exchange.call.name) {
      case "request_advisor":
        if (value.ok === true) next = { ...next, advisor: undefined };
        else if (next.advisor !== undefined && (code === "missing_phone" || code === "invalid_phone")) next = { ...next, advisor: { ...next.advisor, phone: undefined, phoneAsked: true } };
        else if (next.advisor !== undefined && code === "missing_consent") next = { ...next, advisor: { ...next.advisor, consent: undefined } };
        else next = { ...next, advisor: undefined };
        break;
      case "book_appointment": {
        const appointment = value.ok === true ? asAppointment(value.appointment) : undefined;
        if (appointment !== undefined) next = { ...next, booking: undefined, appointment };
        else if (next.booking !== undefined && error !== undefined) {
          const frame = next.booking;
          if (code === "missing_sede" || code === "unknown_sede" || code === "choose_sede") next = { ...next, booking: { ...frame, sede: undefined } };
          else if (code === "car_not_found") next = { ...next, booking: undefined };
          else next = { ...next, booking: { ...frame, when: undefined, options: optionsOf(error) } };
        }
        break;
      }
      case "manage_appointment": {
        const appointment = value.ok === true ? asAppointment(value.appointment) : undefined;
        if (appointment !== undefined) next = value.action === "cancelar" ? { ...next, appointment: undefined, moving: undefined } : { ...next, appointment, moving: undefined };
        else if (code === "no_appointment" || value.ok === true) next = { ...next, appointment: undefined, moving: undefined };
        else if (error !== undefined) next = { ...next, moving: { options: optionsOf(error) } };
        break;
      }
      case "record_satisfaction":
        next = { ...next, csatAwaiting: false, csatAsked: true };
        break;
    }
  }
  return next;
};

/** What the assistant's reply of a turn says about the next one. */
export const applyAssistant = (state: ClosingState, text: string): ClosingState => {
  const asked = text.includes(CSAT_MARKER);
  return { ...state, csatAsked: state.csatAsked || asked, csatAwaiting: asked, advisorOffered: OFFERED_ADVISOR.test(normalize(text)) };
};
