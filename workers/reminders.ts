/**
 * Appointment reminders, one day and 2 hours before, on the channel the customer booked from.
 * Only WhatsApp can reach a customer first: web and HTTP have no push, so they get none.
 *
 * - Queued in the booking's own transaction (AppointmentEventsLive): one job per reminder, due at
 *   its time (`startAfter`), tagged with the appointment's version. A move bumps the version and
 *   queues new reminders; a cancellation bumps it too. A job whose version is not the appointment's
 *   current one, or whose appointment is cancelled, completes without sending.
 * - Sent through Twilio's Messages API. Outside WhatsApp's 24-hour customer-service window, only
 *   an approved template may be sent: set WHATSAPP_REMINDER_CONTENT_SID to its Content SID
 *   (variables {{1}} day and time, {{2}} sede, {{3}} address); without it a free-form text is sent,
 *   which WhatsApp delivers only inside the window. Without REST credentials nothing can be sent:
 *   the job completes with a warning.
 */
import { Config, Effect, Layer, Option } from "effect";
import type { WhatsAppConfig } from "../channels/whatsapp/config.ts";
import { restCredentials } from "../channels/whatsapp/channel.ts";
import { messagesUrl, type TwilioRestCredentials } from "../channels/whatsapp/twilio-rest.ts";
import { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import type { Appointment } from "../knowledge/appointments/appointment.ts";
import { AppointmentEvents } from "../knowledge/appointments/events.ts";
import { AppointmentSettings } from "../knowledge/appointments/settings.ts";
import { JobQueue, type QueueSettings } from "./queue.ts";

export const REMINDERS_QUEUE = "appointment-reminders";

export const REMINDER_OFFSETS = { "24h": 24 * 60 * 60_000, "2h": 2 * 60 * 60_000 } as const;
export type ReminderKind = keyof typeof REMINDER_OFFSETS;

export interface ReminderJob {
  readonly appointmentId: string;
  readonly version: number;
  readonly before: ReminderKind;
  /** When it is due (ISO): pg-boss starts it then; a fixed clock (tests, the gate) never reaches it. */
  readonly dueAt: string;
}

export const remindersQueueSettings: QueueSettings = {
  policy: "standard",
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 60,
  deleteAfterSeconds: 7 * 24 * 60 * 60,
};

/** The reminders each change of an appointment needs: due times after `now`. */
export const remindersFor = (appointment: Appointment, now: Date): Array<{ job: ReminderJob; at: Date }> =>
  appointment.channel !== "whatsapp" || appointment.status !== "confirmed"
    ? []
    : (Object.entries(REMINDER_OFFSETS) as Array<[ReminderKind, number]>)
        .map(([before, offset]) => {
          const at = new Date(appointment.startsAt.getTime() - offset);
          return { job: { appointmentId: appointment.id, version: appointment.version, before, dueAt: at.toISOString() }, at };
        })
        .filter((r) => r.at.getTime() > now.getTime());

/** AppointmentEvents on the job queue (every instance: the tool books, the queue keeps the reminders). */
export const AppointmentEventsLive = Layer.effect(
  AppointmentEvents,
  Effect.gen(function* () {
    const queue = yield* JobQueue;
    const { now } = yield* AppointmentSettings;
    yield* queue.define(REMINDERS_QUEUE, remindersQueueSettings);
    return AppointmentEvents.of({
      changed: async (trx, appointment) => {
        for (const { job, at } of remindersFor(appointment, now()))
          await queue.sendInTransaction(trx, REMINDERS_QUEUE, job, { startAfter: at, singletonKey: `${job.appointmentId}:${job.version}:${job.before}` });
      },
      committed: () => queue.announce(REMINDERS_QUEUE),
    });
  }),
).pipe(Layer.provide(JobQueue.layer));

const KIND: Record<Appointment["kind"], string> = { visita: "visita", prueba_de_manejo: "prueba de manejo" };

export const reminderText = (appointment: Appointment, label: string, before: ReminderKind): string =>
  `⏰ Recordatorio: tu ${KIND[appointment.kind]} en *${appointment.sede.name}* (${appointment.sede.address}) es ${before === "24h" ? "mañana" : "hoy"}, ${label}${appointment.car === null ? "" : `, para el ${appointment.car.title}`}. Si necesitas moverla o cancelarla, respóndeme por aquí.`;

/** The WhatsApp address a conversation id names ("wa:+5215512345678" → "whatsapp:+5215512345678"). */
export const whatsappAddress = (conversationId: string): string | undefined => {
  const raw = conversationId.startsWith("wa:") ? conversationId.slice(3) : undefined;
  if (raw === undefined || raw === "") return undefined;
  return raw.startsWith("whatsapp:") ? raw : `whatsapp:${raw}`;
};

const send = (credentials: TwilioRestCredentials, to: string, message: { body: string } | { contentSid: string; variables: Record<string, string> }) =>
  Effect.tryPromise({
    try: async (signal) => {
      const form = new URLSearchParams({ From: credentials.from, To: to });
      if ("body" in message) form.set("Body", message.body);
      else {
        form.set("ContentSid", message.contentSid);
        form.set("ContentVariables", JSON.stringify(message.variables));
      }
      const response = await fetch(messagesUrl(credentials), {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: form,
        signal: AbortSignal.any([signal, AbortSignal.timeout(8_000)]),
      });
      if (!response.ok) throw new Error(`Twilio answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    },
    catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause))),
  }).pipe(Effect.withSpan("twilio.reminder.send"));

export const remindersConfig = Config.String("WHATSAPP_REMINDER_CONTENT_SID").pipe(
  Config.option,
  Config.map((o) => Option.getOrUndefined(Option.filter(o, (v) => v.trim() !== ""))),
);

/** The worker: sends each due reminder that is still current. */
export const remindersWorker = (options: { readonly whatsapp: WhatsAppConfig; readonly concurrency: number }) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const queue = yield* JobQueue;
      const book = yield* AppointmentBook;
      const { now } = yield* AppointmentSettings;
      const contentSid = yield* remindersConfig;
      const credentials = restCredentials(options.whatsapp);
      yield* queue.define(REMINDERS_QUEUE, remindersQueueSettings);
      yield* queue.work<ReminderJob, never>(REMINDERS_QUEUE, { concurrency: options.concurrency }, (job) =>
        Effect.gen(function* () {
          const appointment = yield* book.get(job.data.appointmentId);
          if (appointment === undefined || appointment.status !== "confirmed" || appointment.version !== job.data.version) return;
          // Due by pg-boss's (real) clock but not by the injected one: a fixed clock, never sent.
          if (new Date(job.data.dueAt).getTime() > now().getTime()) return;
          const to = whatsappAddress(appointment.conversationId);
          if (to === undefined) return;
          if (credentials === undefined) return yield* Effect.logWarning(`reminder ${job.id}: no Twilio REST credentials, not sent`);
          const label = book.label(appointment.startsAt);
          yield* send(
            credentials,
            to,
            contentSid === undefined
              ? { body: reminderText(appointment, label, job.data.before) }
              : { contentSid, variables: { "1": label, "2": appointment.sede.name, "3": appointment.sede.address } },
          );
        }),
      );
    }),
  );
