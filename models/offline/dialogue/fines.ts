/**
 * The built-in model's fines dialogue (check_fines), decided before the sales dialogue:
 * - a fines question with a plate → check_fines({ plate });
 * - without a plate → ask for it (and the next message's plate is taken as the answer);
 * - the tool's answer → the fines with their amounts and the exact total, "no fines", "pending"
 *   (it arrives later), a plate to confirm, or the kind apology when the registry is down;
 * - a follow-up ("¿cuánto era el total?") → from the last result in the conversation, which the
 *   worker stores there too when the answer arrived after the turn.
 * Every amount is the tool's own decimal string, formatted exactly.
 */
import type { ToolExchange, Turn } from "../prompt/conversation.ts";
import { readFines } from "../nlu/plates.ts";
import { pesosExact } from "../replies/format.ts";
import { displayPlate } from "../../../lib/mx-plates.ts";
import type { Action } from "./plan.ts";

const TOOL = "check_fines";
/** The question that makes the next message's plate an answer (recognised in the history). */
export const ASK_PLATE = "¿Me compartes la placa del auto?";

interface FineLine {
  readonly description: string;
  readonly authority: string;
  readonly issuedOn: string;
  readonly amount: string;
}

type Output =
  | { ok: true; status: "done"; plate: string; count: number; total: string; fines: FineLine[]; source: string }
  | { ok: true; status: "pending"; plate: string }
  | { ok: true; status: "unreadable" | "unsure"; plate?: string }
  | { ok: false; error: { code: string; message: string } };

const reply = (text: string): Action => ({ kind: "reply", text });

const APOLOGY =
  "Una disculpa 🙏 En este momento no pude consultar el sistema de multas. ¿Lo intentamos de nuevo en un rato? Si prefieres, un asesor de Kavak te puede ayudar.";

const asOutput = (exchange: ToolExchange): Output | undefined => {
  if (exchange.outcome === undefined || !exchange.outcome.ok) return undefined;
  const value = exchange.outcome.value as Output | null;
  return value !== null && typeof value === "object" && "ok" in value ? value : undefined;
};

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

export const finesLines = (out: Extract<Output, { status: "done" }>): string => {
  if (out.count === 0) return `Revisé la placa *${out.plate}* y no tiene multas pendientes ✅`;
  const lines = out.fines.map((f, i) => `${i + 1}. ${f.description}: ${pesosExact(f.amount)} (${f.authority}, ${dmy(f.issuedOn)})`);
  const count = out.count === 1 ? "1 multa pendiente" : `${out.count} multas pendientes`;
  const sample = out.source === "sample" ? "\n\n_Datos de muestra para demostración._" : "";
  return `La placa *${out.plate}* tiene ${count}:\n\n${lines.join("\n")}\n\n*Total: ${pesosExact(out.total)}*${sample}`;
};

const answer = (exchange: ToolExchange): Action => {
  const out = asOutput(exchange);
  if (out === undefined) return reply(APOLOGY);
  if (!out.ok) {
    if (out.error.code === "no_photo") return reply(`No me llegó la foto 📷 ¿Me la mandas de nuevo? O si prefieres, escríbeme la placa (por ejemplo: ABC-123-D).`);
    if (out.error.code === "invalid_plate")
      return reply("Esa placa no me parece válida 🤔 ¿Me la confirmas? Las placas de auto particular se ven así: ABC-123-D, ABC-1234 o 123-ABC.");
    return reply(APOLOGY);
  }
  switch (out.status) {
    case "done":
      return reply(`${finesLines(out)}\n\n¿Te ayudo con algo más? También puedo buscarte un auto o calcular mensualidades.`);
    case "pending":
      if (out.plate === "") return reply("Estoy revisando la foto y las multas ⏳ En cuanto tenga el resultado te lo escribo por aquí.");
      return reply(`Estoy consultando las multas de la placa *${out.plate}* ⏳ En cuanto tenga el resultado te lo escribo por aquí.`);
    case "unsure":
      return reply(`Leí la placa *${out.plate ?? ""}* en la foto, ¿es correcta? Si sí, escríbemela tal cual y reviso sus multas; si no, escríbeme la placa correcta.`);
    case "unreadable":
      return reply("No pude leer la placa en la foto 📷 ¿Me la escribes? Por ejemplo: ABC-123-D.");
  }
};

/** The last check_fines answer in the history with its fines (the conversation's memory of them). */
const lastResult = (history: ReadonlyArray<Turn>): Extract<Output, { status: "done" }> | undefined => {
  for (const turn of [...history].reverse())
    for (const exchange of [...turn.exchanges].reverse()) {
      if (exchange.call.name !== TOOL) continue;
      const out = asOutput(exchange);
      if (out?.ok === true && out.status === "done") return out;
    }
  return undefined;
};

/** The assistant's last message asked for a plate (or to confirm one). */
const awaitingPlate = (history: ReadonlyArray<Turn>): boolean => {
  const last = history.at(-1);
  if (last === undefined) return false;
  return last.assistantText.includes(ASK_PLATE) || /¿Me la (?:confirmas|escribes)\?|Escríbemela|escríbemela|escríbeme la placa|¿es correcta\?/.test(last.assistantText);
};

/** The assistant's last message asked for a photo of the plate. */
const awaitingPhoto = (history: ReadonlyArray<Turn>): boolean => history.at(-1)?.assistantText.includes(ASK_PHOTO) === true;

/** "te mando foto de mis placas": a photo of the plate is announced (or is what the message is). */
const PHOTO_OF_PLATE = /\bfotos?\b[^.?!]*\b(?:placas?|matricula|auto|carro|coche)\b|\b(?:placas?|matricula)\b[^.?!]*\bfotos?\b/;
/** What a channel tells the model when a message is only photos ("Te envío una foto."). */
const PHOTOS_ONLY = /^(?:te env[ií]o (?:una|\d+) fotos?\.?)?$/i;
/** The question that makes the next message's photo a plate photo. */
export const ASK_PHOTO = "Mándame la foto de la placa";

export interface FinesTurn {
  /** Images attached to the current message. */
  readonly images?: number;
  readonly userText: string;
  readonly exchanges: ReadonlyArray<ToolExchange>;
  readonly history: ReadonlyArray<Turn>;
  readonly tools: ReadonlySet<string>;
}

/** The fines action of this turn, or undefined when the message is not about fines. */
export const planFines = (turn: FinesTurn): Action | undefined => {
  const done = [...turn.exchanges].reverse().find((e) => e.call.name === TOOL);
  if (done !== undefined) return answer(done);
  const reading = readFines(turn.userText);
  const folded = turn.userText.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  // A photo of the plate (or of the car) to read the plate from, when no plate is typed.
  if ((turn.images ?? 0) > 0 && reading.plates.length === 0) {
    const aboutPlate = reading.asksFines || reading.namesPlateWord || PHOTO_OF_PLATE.test(folded) || PHOTOS_ONLY.test(turn.userText.trim()) || awaitingPlate(turn.history) || awaitingPhoto(turn.history);
    if (aboutPlate && turn.tools.has(TOOL)) return { kind: "tools", calls: [{ name: TOOL, input: { photo: 1 } }] };
  }
  // "te mando foto de mis placas" before the photo arrives: ask for it.
  if ((turn.images ?? 0) === 0 && reading.plates.length === 0 && PHOTO_OF_PLATE.test(folded) && /\b(?:mando|envio|paso|mandare|enviare|pasare|mandar|enviar|puedo)\b/.test(folded) && turn.tools.has(TOOL))
    return reply(`¡Claro! ${ASK_PHOTO} 📷 y reviso si el auto tiene multas pendientes. También me la puedes escribir (por ejemplo: ABC-123-D).`);
  // "sí" to "Leí la placa ABC-123-D en la foto, ¿es correcta?": that plate is looked up.
  const unsure = turn.history.at(-1)?.exchanges.map(asOutput).find((out) => out?.ok === true && out.status === "unsure");
  if (unsure?.ok === true && unsure.status === "unsure" && unsure.plate && reading.plates.length === 0 && /^(?:si|sip|correcto|es correcta|asi es|esa es|exacto)\b/.test(folded.trim()) && turn.tools.has(TOOL))
    return { kind: "tools", calls: [{ name: TOOL, input: { plate: unsure.plate } }] };
  const answersAsk = awaitingPlate(turn.history) && reading.plates.length > 0;
  if (!reading.asksFines && !answersAsk) {
    // "¿y el total?" right after fines were shown
    const previous = turn.history.at(-1);
    const justShown = previous?.exchanges.some((e) => e.call.name === TOOL) === true;
    const remembered = justShown ? lastResult(turn.history) : undefined;
    if (remembered !== undefined && reading.followUp && /\b(?:multa|total|debo|adeudo)/i.test(turn.userText)) return reply(`${finesLines(remembered)}\n\n¿Te ayudo con algo más?`);
    return undefined;
  }
  if (!turn.tools.has(TOOL)) return reply("Por ahora no puedo consultar multas de tránsito desde aquí; un asesor de Kavak te puede ayudar con eso.");
  const plate = reading.plates[0];
  if (plate !== undefined) return { kind: "tools", calls: [{ name: TOOL, input: { plate: displayPlate(plate.plate) } }] };
  const remembered = lastResult(turn.history);
  if (remembered !== undefined && reading.followUp) return reply(`${finesLines(remembered)}\n\n¿Quieres que revise otra placa?`);
  return reply(`Con gusto reviso si el auto tiene multas de tránsito pendientes 🚗 ${ASK_PLATE} Por ejemplo: ABC-123-D o ABC-1234.`);
};
