/**
 * Closing the sale (issue 14), composed for the application: leads, appointments and satisfaction
 * ratings on the database. Appointment reminders and the CRM webhook ride on the job queue
 * (workers/reminders.ts, workers/leads-webhook.ts): their jobs are queued in the same transaction
 * as the appointment or the lead.
 */
import { Layer } from "effect";
import { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import { AppointmentSettings } from "../knowledge/appointments/settings.ts";
import { CsatStore } from "../knowledge/leads/csat-store.ts";
import { FunnelMetrics } from "../knowledge/leads/funnel.ts";
import { LeadStore } from "../knowledge/leads/lead-store.ts";
import { LeadEventsLive } from "./leads-webhook.ts";
import { AppointmentEventsLive } from "./reminders.ts";

export const ClosingServices = Layer.mergeAll(
  AppointmentBook.layer.pipe(Layer.provideMerge(AppointmentEventsLive), Layer.provideMerge(AppointmentSettings.layer)),
  LeadStore.layer.pipe(Layer.provide(LeadEventsLive)),
  CsatStore.layer,
  FunnelMetrics.layer,
);
