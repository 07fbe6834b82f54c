/**
 * What happens inside an appointment's transaction besides the row: the reminders worker
 * (workers/reminders.ts) queues its jobs here, so reminders exist exactly when the booking commits.
 * The default does nothing (no queue: web and HTTP tests, tools without workers).
 */
import { Context, Layer } from "effect";
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Appointment } from "./appointment.ts";

export interface AppointmentEventsShape {
  /** Called in the booking's (or move's, or cancellation's) transaction. */
  readonly changed: (trx: Kysely<DB>, appointment: Appointment) => Promise<void>;
  /** Called after the commit. */
  readonly committed: (appointment: Appointment) => void;
}

export class AppointmentEvents extends Context.Service<AppointmentEvents, AppointmentEventsShape>()("AppointmentEvents") {
  static readonly none = Layer.succeed(AppointmentEvents, AppointmentEvents.of({ changed: async () => {}, committed: () => {} }));
}
