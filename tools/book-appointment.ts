import { tool } from "ai";
import { Effect } from "effect";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import type { Appointment, AppointmentError } from "../knowledge/appointments/appointment.ts";
import { sedesByCity } from "../knowledge/appointments/sede-lookup.ts";
import { parsePhone, phoneOfConversation } from "../knowledge/leads/phone.ts";
import { bookAppointmentInput, type AppointmentToolError, type AppointmentView, type BookAppointmentInput, type BookAppointmentOutput } from "./closing-contracts.ts";
import { modelSchema } from "./model-schema.ts";
import { closingContext, type ClosingContext } from "./request-advisor.ts";
import type { RunTool } from "./run-tool.ts";

export const appointmentView = (appointment: Appointment, label: string, startsAt: string): AppointmentView => ({
  kind: appointment.kind,
  when: label,
  startsAt,
  sede: { name: appointment.sede.name, city: appointment.sede.city, address: appointment.sede.address },
  car: appointment.car?.title ?? null,
  status: appointment.status,
  reminders: appointment.channel === "whatsapp" ? "whatsapp" : "none",
  calendarPath: `/v1/appointments/${appointment.id}.ics`,
});

export const appointmentRefusal = (error: AppointmentError): AppointmentToolError => ({
  ok: false,
  error: { code: error.code, message: error.message, ...(error.options === undefined ? {} : { options: error.options }), ...(error.sedes === undefined ? {} : { sedes: error.sedes }) },
});

export const bookAppointment = Effect.fnUntraced(function* (input: BookAppointmentInput, context: ClosingContext) {
  const book = yield* AppointmentBook;
  let car: { stockId: number; title: string } | null = null;
  if (input.stockId !== undefined) {
    const found = yield* (yield* CarStore).get(input.stockId);
    if (found === undefined) return { ok: false, error: { code: "car_not_found", message: "Ese auto ya no aparece en el inventario." } } satisfies BookAppointmentOutput;
    car = { stockId: found.stockId, title: `${found.make} ${found.model} ${found.year}` };
  }
  const phone = (input.phone === undefined ? undefined : parsePhone(input.phone)) ?? (context.channel === "whatsapp" ? phoneOfConversation(context.conversationId) : undefined);
  return yield* book
    .book({ conversationId: context.conversationId, channel: context.channel, kind: input.kind ?? "visita", sede: input.sede, when: input.when, car, phone: phone?.e164 ?? null })
    .pipe(
      Effect.map((appointment): BookAppointmentOutput => ({ ok: true, confirmed: true, appointment: appointmentView(appointment, book.label(appointment.startsAt), book.localIso(appointment.startsAt)) })),
      Effect.catchTag("AppointmentError", (error) => Effect.succeed<BookAppointmentOutput>(appointmentRefusal(error))),
    );
});

export const bookAppointmentTool = (run: RunTool<AppointmentBook | CarStore>) =>
  tool({
    description: `Agenda una visita o prueba de manejo en una sede de Kavak (horarios de citas configurados por el distribuidor). Pide UNA cosa a la vez lo que falte: tipo, sede o ciudad, día y hora; pasa el día y la hora con las palabras del cliente. Solo confirma la cita si devuelve ok: true; si la rechaza (hora pasada, sin horario, lleno), ofrece SOLO los horarios de error.options. Sedes: ${sedesByCity()}.`,
    inputSchema: modelSchema(bookAppointmentInput),
    contextSchema: closingContext,
    execute: (input, { context }) => run(bookAppointment(input, context)),
  });
