/**
 * The closing flows' policy (hand-off, booking, moving, cancelling, satisfaction), consulted before
 * the rest of the model: a turn it claims is answered here, one thing missing at a time, and only
 * what the tools confirmed is said to be done. Undefined: not a closing turn.
 */
import type { CarCard } from "../../../tools/contracts.ts";
import type { Conversation, ToolExchange } from "../prompt/conversation.ts";
import * as canned from "../replies/canned.ts";
import * as say from "../replies/closing.ts";
import { carTitle } from "../replies/cards.ts";
import { applyAssistant, applyClosingTools, asAppointment, emptyClosing, readSedeDirectory, readUser, type ClosingEvent, type ClosingState, type SedeDirectory } from "./closing-state.ts";
import type { Action } from "./plan.ts";

export interface ClosingReplay {
  /** State before the current message. */
  readonly before: ClosingState;
  /** Indexes of earlier turns the closing flows answered (the rest of the model skips their text). */
  readonly claimed: ReadonlySet<number>;
  readonly directory: SedeDirectory;
}

export const replayClosing = (conversation: Conversation, bookingDescription: string): ClosingReplay => {
  const directory = readSedeDirectory(bookingDescription);
  let state = emptyClosing();
  const claimed = new Set<number>();
  for (const [i, turn] of conversation.history.entries()) {
    const read = readUser(state, turn.userText, directory);
    if (read.event !== undefined) claimed.add(i);
    state = applyAssistant(applyClosingTools(read.state, turn.exchanges), turn.assistantText);
  }
  return { before: state, claimed, directory };
};

export interface ClosingTurn {
  readonly userText: string;
  readonly replay: ClosingReplay;
  readonly exchanges: ReadonlyArray<ToolExchange>;
  readonly tools: ReadonlySet<string>;
  /** The car being discussed (for the booking and the lead). */
  readonly focus: CarCard | undefined;
  readonly seed: string;
}

const CLOSING_TOOLS = new Set(["request_advisor", "book_appointment", "manage_appointment", "record_satisfaction"]);

const call = (name: string, input: Record<string, unknown>): Action => ({ kind: "tools", calls: [{ name, input }] });
const reply = (text: string): Action => ({ kind: "reply", text });

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The reply to what a closing tool just returned, or the next call it needs. */
const afterTool = (exchange: ToolExchange, state: ClosingState, turn: ClosingTurn): Action | undefined => {
  const value = exchange.outcome?.ok === true ? exchange.outcome.value : undefined;
  if (!isObject(value)) return reply("Perdón, no pude completar eso en este momento. ¿Lo intentamos de nuevo en un momento?");
  const error = isObject(value.error) ? value.error : undefined;
  const message = typeof error?.message === "string" ? error.message : "";
  const options = Array.isArray(error?.options) ? (error.options as Array<{ label: string }>) : [];
  const sedes = Array.isArray(error?.sedes) ? (error.sedes as string[]) : [];
  switch (exchange.call.name) {
    case "request_advisor": {
      if (value.ok === true && typeof value.nextStep === "string") return reply(say.leadDone(value.nextStep));
      const code = error?.code;
      if (code === "missing_phone") return reply(say.askPhone());
      if (code === "invalid_phone") return reply(say.askPhoneAgain());
      if (code === "missing_consent") return reply(say.askConsent(undefined));
      return reply(`${message} ¿Te ayudo con algo más?`);
    }
    case "book_appointment": {
      const appointment = value.ok === true ? asAppointment(value.appointment) : undefined;
      if (appointment !== undefined) return reply(say.booked(appointment, !state.csatAsked));
      return reply(say.refused(message, options, sedes));
    }
    case "manage_appointment": {
      const appointment = value.ok === true ? asAppointment(value.appointment) : undefined;
      if (appointment !== undefined) {
        if (value.action === "cancelar") return reply(say.cancelled(appointment));
        if (value.action === "mover") return reply(say.moved(appointment, typeof value.previousWhen === "string" ? value.previousWhen : undefined));
        return reply(say.consulted(appointment));
      }
      if (value.ok === true) return reply(say.noAppointment());
      if (error?.code === "no_appointment") return reply(say.noAppointment());
      return reply(say.refused(message, options, sedes));
    }
    case "record_satisfaction":
      return reply(say.csatThanks());
  }
  void turn;
  return undefined;
};

const nextStep = (event: ClosingEvent, state: ClosingState, turn: ClosingTurn): Action | undefined => {
  const car = turn.focus === undefined ? undefined : carTitle(turn.focus);
  const carInput = turn.focus === undefined ? {} : { stockId: turn.focus.stockId };
  switch (event.kind) {
    case "csat":
      return call("record_satisfaction", { rating: event.rating, ...(event.comment === undefined ? {} : { comment: event.comment }) });
    case "goodbye":
      return reply(say.goodbyeWithCsat(canned.goodbyeReply(turn.seed)));
    case "consent_denied":
      return reply(say.consentDenied());
    case "choice":
      return reply(say.offerNextSteps(car, event.reserve));
    case "cancel":
      return call("manage_appointment", { action: "cancelar" });
    case "consult":
      return call("manage_appointment", { action: "consultar" });
    case "move":
      return event.when === undefined ? reply(say.askNewWhen()) : call("manage_appointment", { action: "mover", when: event.when });
    case "advisor": {
      const frame = state.advisor;
      if (frame === undefined) return undefined;
      if (frame.phoneAsked === true && frame.phone === undefined) return reply(say.askPhoneAgain());
      if (frame.consent === undefined) return reply(say.askConsent(frame.phone));
      if (frame.callTime === undefined) return reply(say.askCallTime());
      return call("request_advisor", {
        consent: true,
        purpose: frame.purpose,
        callTime: frame.callTime,
        ...(frame.phone === undefined ? {} : { phone: frame.phone }),
        ...(frame.purpose === "queja" ? {} : carInput),
      });
    }
    case "booking": {
      const frame = state.booking;
      if (frame === undefined) return undefined;
      if (frame.kind === undefined) return reply(say.askKind(car));
      if (frame.sede === undefined) return reply(say.askSede(turn.replay.directory.cities));
      if (frame.when === undefined) return reply(say.askWhen());
      return call("book_appointment", { kind: frame.kind, sede: frame.sede, when: frame.when, ...carInput });
    }
  }
};

export const planClosing = (turn: ClosingTurn): Action | undefined => {
  if (![...CLOSING_TOOLS].some((name) => turn.tools.has(name))) return undefined;
  const read = readUser(turn.replay.before, turn.userText, turn.replay.directory);
  const done = turn.exchanges.filter((e) => CLOSING_TOOLS.has(e.call.name));
  const state = applyClosingTools(read.state, turn.exchanges);
  if (done.length > 0) return afterTool(done.at(-1)!, state, turn);
  if (turn.exchanges.length > 0 || read.event === undefined) return undefined;
  const action = nextStep(read.event, read.state, turn);
  if (action?.kind === "tools" && !action.calls.every((c) => turn.tools.has(c.name))) return undefined;
  return action;
};
