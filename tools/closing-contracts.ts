/**
 * Contracts of the tools that close a sale (issue 14): hand-off to an advisor, appointments and the
 * satisfaction rating. Names are in contracts.ts TOOL_NAMES; the offline model and the evals read these.
 */
import { z } from "zod";

export const requestAdvisorInput = z.object({
  purpose: z.enum(["compra", "financiamiento", "toma_a_cuenta", "queja"]).optional().describe("Para qué: compra, financiamiento, toma_a_cuenta (su auto a cuenta) o queja"),
  phone: z.string().max(40).optional().describe("Teléfono que dio el cliente; en WhatsApp se usa su número"),
  consent: z.boolean().optional().describe("true solo si el cliente aceptó que un asesor lo contacte"),
  name: z.string().max(80).optional(),
  stockId: z.number().int().positive().optional().describe("Auto del catálogo que le interesa"),
  callTime: z.string().max(80).optional().describe("Cuándo prefiere que le llamen, en sus palabras"),
  notes: z.string().max(500).optional(),
});
export type RequestAdvisorInput = z.infer<typeof requestAdvisorInput>;
export type RequestAdvisorOutput =
  | {
      readonly ok: true;
      readonly lead: { readonly name: string | null; readonly phone: string; readonly purpose: string; readonly car: string | null; readonly callTime: string | null };
      /** What happens next, to tell the customer as is. */
      readonly nextStep: string;
    }
  | { readonly ok: false; readonly error: { readonly code: "missing_phone" | "invalid_phone" | "missing_consent" | "car_not_found"; readonly message: string } };

export const bookAppointmentInput = z.object({
  kind: z.enum(["visita", "prueba_de_manejo"]).optional().describe("visita (default) o prueba_de_manejo"),
  sede: z.string().max(80).optional().describe("Sede, zona o ciudad como la dijo el cliente"),
  when: z.string().max(80).optional().describe('Día y hora en palabras del cliente ("mañana a las 11") o un horario ofrecido ("2026-03-14T11:00")'),
  stockId: z.number().int().positive().optional().describe("Auto del catálogo para la cita"),
  phone: z.string().max(40).optional(),
});
export type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;

/** An appointment as a tool reports it: local date label, sede and car. */
export interface AppointmentView {
  readonly kind: "visita" | "prueba_de_manejo";
  /** "sábado 14 de marzo a las 11:00" (America/Mexico_City) */
  readonly when: string;
  /** Local ISO time, "2026-03-14T11:00". */
  readonly startsAt: string;
  readonly sede: { readonly name: string; readonly city: string; readonly address: string };
  readonly car: string | null;
  readonly status: "confirmed" | "cancelled";
  /** How reminders reach the customer: "whatsapp" (1 day and 2 hours before) or "none" (web and HTTP have no push). */
  readonly reminders: "whatsapp" | "none";
  /** Path of the appointment's calendar file (.ics). */
  readonly calendarPath: string;
}

export interface AppointmentToolError {
  readonly ok: false;
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** The nearest free slots: the only times to offer. */
    readonly options?: ReadonlyArray<{ readonly startsAt: string; readonly label: string }>;
    readonly sedes?: ReadonlyArray<string>;
  };
}

export type BookAppointmentOutput = { readonly ok: true; readonly confirmed: true; readonly appointment: AppointmentView } | AppointmentToolError;

export const manageAppointmentInput = z.object({
  action: z.enum(["consultar", "mover", "cancelar"]).describe("consultar, mover (con when) o cancelar la cita de esta conversación"),
  when: z.string().max(80).optional().describe("Nuevo día y hora al mover"),
});
export type ManageAppointmentInput = z.infer<typeof manageAppointmentInput>;
export type ManageAppointmentOutput =
  | { readonly ok: true; readonly action: "mover" | "cancelar"; readonly appointment: AppointmentView; readonly previousWhen?: string }
  /** `appointment` null: the conversation has no appointment to come. */
  | { readonly ok: true; readonly action: "consultar"; readonly appointment: AppointmentView | null }
  | AppointmentToolError;

export const recordSatisfactionInput = z.object({
  rating: z.number().int().min(1).max(5).describe("Calificación del cliente, 1 a 5"),
  comment: z.string().max(500).optional(),
});
export type RecordSatisfactionInput = z.infer<typeof recordSatisfactionInput>;
export interface RecordSatisfactionOutput {
  readonly ok: true;
  /** False when this conversation had already rated (the first rating stands). */
  readonly recorded: boolean;
}
