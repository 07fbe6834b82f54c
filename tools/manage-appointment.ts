import { tool } from "ai";
import { Effect } from "effect";
import { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import type { AppointmentError } from "../knowledge/appointments/appointment.ts";
import type { DatabaseError } from "../knowledge/db/database.ts";
import { manageAppointmentInput, type ManageAppointmentInput, type ManageAppointmentOutput } from "./closing-contracts.ts";
import { appointmentRefusal, appointmentView } from "./book-appointment.ts";
import { modelSchema } from "./model-schema.ts";
import { closingContext, type ClosingContext } from "./request-advisor.ts";
import type { RunTool } from "./run-tool.ts";

export const manageAppointment = Effect.fnUntraced(function* (input: ManageAppointmentInput, context: ClosingContext) {
  const book = yield* AppointmentBook;
  const view = (a: Parameters<typeof appointmentView>[0]) => appointmentView(a, book.label(a.startsAt), book.localIso(a.startsAt));
  const done: Effect.Effect<ManageAppointmentOutput, AppointmentError | DatabaseError> =
    input.action === "mover"
      ? book.move(context.conversationId, input.when).pipe(Effect.map(({ before, after }) => ({ ok: true as const, action: "mover" as const, appointment: view(after), previousWhen: book.label(before.startsAt) })))
      : input.action === "cancelar"
        ? book.cancel(context.conversationId).pipe(Effect.map((a) => ({ ok: true as const, action: "cancelar" as const, appointment: view(a) })))
        : book.current(context.conversationId).pipe(
            Effect.map((a): ManageAppointmentOutput => ({ ok: true, action: "consultar", appointment: a === undefined ? null : view(a) })),
          );
  return yield* done.pipe(Effect.catchTag("AppointmentError", (error) => Effect.succeed<ManageAppointmentOutput>(appointmentRefusal(error))));
});

export const manageAppointmentTool = (run: RunTool<AppointmentBook>) =>
  tool({
    description:
      "Consulta, mueve (action mover con el nuevo día y hora en palabras del cliente) o cancela la cita agendada en esta conversación; conserva la sede y el auto. Solo di que se movió o canceló si devuelve ok: true; si rechaza el horario, ofrece SOLO error.options.",
    inputSchema: modelSchema(manageAppointmentInput),
    contextSchema: closingContext,
    execute: (input, { context }) => run(manageAppointment(input, context)),
  });
