import { tool } from "ai";
import { Effect } from "effect";
import { z } from "zod";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { LeadStore, type LeadPurpose } from "../knowledge/leads/lead-store.ts";
import { parsePhone, phoneOfConversation } from "../knowledge/leads/phone.ts";
import { requestAdvisorInput, type RequestAdvisorInput, type RequestAdvisorOutput } from "./closing-contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

/** Which conversation and channel the lead comes from (WhatsApp gives the phone number). */
export const closingContext = z.object({ conversationId: z.string(), channel: z.string() });
export type ClosingContext = z.infer<typeof closingContext>;

const refuse = (code: Extract<RequestAdvisorOutput, { ok: false }>["error"]["code"], message: string): RequestAdvisorOutput => ({ ok: false, error: { code, message } });

const PURPOSE_LABEL: Record<LeadPurpose, string> = { compra: "compra", financiamiento: "financiamiento", toma_a_cuenta: "auto a cuenta", queja: "queja" };

export const requestAdvisor = Effect.fnUntraced(function* (input: RequestAdvisorInput, context: ClosingContext) {
  const fromChat = context.channel === "whatsapp" ? phoneOfConversation(context.conversationId) : undefined;
  const given = input.phone === undefined || input.phone.trim() === "" ? undefined : input.phone;
  const phone = given === undefined ? fromChat : parsePhone(given);
  if (phone === undefined)
    return given === undefined
      ? refuse("missing_phone", "Necesito un teléfono para que un asesor te contacte.")
      : refuse("invalid_phone", "Ese número no parece un teléfono de 10 dígitos.");
  if (input.consent !== true) return refuse("missing_consent", "Necesito tu autorización para que un asesor te contacte a ese número.");
  let car: { stockId: number; title: string } | null = null;
  if (input.stockId !== undefined) {
    const found = yield* (yield* CarStore).get(input.stockId);
    if (found === undefined) return refuse("car_not_found", "Ese auto ya no aparece en el inventario.");
    car = { stockId: found.stockId, title: `${found.make} ${found.model} ${found.year}` };
  }
  const purpose = input.purpose ?? "compra";
  const callTime = input.callTime?.trim() || null;
  const lead = yield* (yield* LeadStore).create({
    conversationId: context.conversationId,
    channel: context.channel,
    name: input.name?.trim() || null,
    phone: phone.e164,
    consent: true,
    car,
    purpose,
    callTime,
    notes: input.notes?.trim() || null,
  });
  const output: RequestAdvisorOutput = {
    ok: true,
    lead: { name: lead.name, phone: phone.display, purpose: PURPOSE_LABEL[purpose], car: car?.title ?? null, callTime },
    nextStep: `Tu solicitud quedó registrada para el equipo de asesores de Kavak; un asesor te contactará al ${phone.display}${callTime === null ? "" : ` (preferencia: ${callTime})`}.`,
  };
  return output;
});

export const requestAdvisorTool = (run: RunTool<LeadStore | CarStore>) =>
  tool({
    description:
      "Registra que el cliente quiere que un asesor humano lo contacte (compra, financiamiento, auto a cuenta o queja). Pide UNA cosa a la vez lo que falte: teléfono (en WhatsApp ya lo tienes), su autorización para contactarlo (consent) y cuándo prefiere la llamada. Solo después de ok: true di que quedó registrado, con el nextStep tal cual; no prometas horarios ni llamadas inmediatas.",
    inputSchema: modelSchema(requestAdvisorInput),
    contextSchema: closingContext,
    execute: (input, { context }) => run(requestAdvisor(input, context)),
  });
