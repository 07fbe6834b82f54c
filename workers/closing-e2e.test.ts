/**
 * Closing the sale end to end through the real job queue (pg-boss) on a test database (PGlite, or
 * PostgreSQL with DATABASE_URL), against local stand-ins speaking the real wire formats:
 * - a WhatsApp booking queues its 24 h and 2 h reminders; once due (an injected clock: bookings in
 *   the past of the real clock, so pg-boss releases the jobs at once), the reminder worker sends them
 *   to the Twilio stand-in, as text or as the WHATSAPP_REMINDER_CONTENT_SID template; a moved
 *   appointment's old reminders and a cancelled one's are not sent;
 * - LEADS_WEBHOOK_URL: an HTTP stand-in receives the lead with a valid HMAC signature; its first
 *   500 is retried and the lead is delivered once.
 */
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect";
import { sql } from "kysely";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM, testConfig } from "../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../channels/whatsapp/testing/twilio-stand-in.ts";
import { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import { DEFAULT_SCHEDULE } from "../knowledge/appointments/schedule.ts";
import { AppointmentSettings } from "../knowledge/appointments/settings.ts";
import { Database, type DatabaseShape } from "../knowledge/db/database.ts";
import { TestDatabase } from "../knowledge/db/test-database.ts";
import { LeadStore } from "../knowledge/leads/lead-store.ts";
import { LEADS_WEBHOOK_QUEUE, LeadEventsLive, leadsWebhookWorker } from "./leads-webhook.ts";
import { JobQueue } from "./queue.ts";
import { AppointmentEventsLive, REMINDERS_QUEUE, remindersWorker } from "./reminders.ts";

vi.setConfig({ testTimeout: 90_000 });
const dbRuntime = ManagedRuntime.make(TestDatabase);
let database: DatabaseShape;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await dbRuntime.runPromise(Database.use(Effect.succeed));
}, 120_000);
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});
afterAll(() => dbRuntime.dispose());

/** The injected clock: Tuesday 10 March 2026, 10:00 in Mexico City, until a test moves it. */
const BOOKED_AT = new Date("2026-03-10T16:00:00Z");
let clockNow = BOOKED_AT;
const clock = () => new Date(clockNow);

const databaseLayer = () => Layer.succeed(Database, database);
const bookLayer = () =>
  AppointmentBook.layer.pipe(Layer.provideMerge(AppointmentEventsLive), Layer.provideMerge(AppointmentSettings.fromValues(DEFAULT_SCHEDULE, clock)), Layer.provide(databaseLayer()));

const runtimeOf = <A, E>(layer: Layer.Layer<A, E>) => {
  const runtime = ManagedRuntime.make(layer);
  cleanups.push(() => runtime.dispose());
  return runtime;
};

const twilio = async (): Promise<TwilioStandIn> => {
  const server = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
  cleanups.push(server.close);
  return server;
};

/** The settings the workers read (WHATSAPP_REMINDER_CONTENT_SID, LEADS_WEBHOOK_*), as an environment. */
const environment = (env: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromUnknown(env));

/** Starts the reminder worker. */
const startReminders = async (server: TwilioStandIn, env: Record<string, string> = {}) => {
  const whatsapp = testConfig({ accountSid: ACCOUNT_SID, whatsappFrom: SANDBOX_FROM, apiBaseUrl: server.baseUrl });
  const runtime = runtimeOf(
    remindersWorker({ whatsapp, concurrency: 1 }).pipe(Layer.provideMerge(JobQueue.layer), Layer.provideMerge(bookLayer()), Layer.provide(databaseLayer()), Layer.provide(environment(env))),
  );
  await runtime.runPromise(Effect.void);
};

const jobs = async (queue: string) =>
  (await sql<{ state: string; data: { appointmentId?: string; version?: number; before?: string; leadId?: string } }>`select state, data from pgboss.job where name = ${queue}`.execute(database.db)).rows;

/** Waits until every job of the queue has settled (pg-boss's "completed" or "failed"). */
const settled = async (queue: string, ids: (data: Record<string, unknown>) => boolean) => {
  await expect
    .poll(async () => (await jobs(queue)).filter((j) => ids(j.data)).map((j) => j.state), { timeout: 40_000, interval: 200 })
    .toSatisfy((states: string[]) => states.length > 0 && states.every((s) => s === "completed" || s === "failed"));
  return (await jobs(queue)).filter((j) => ids(j.data));
};

describe("appointment reminders through the job queue", () => {
  it("sends a moved booking's new 24 h and 2 h reminders to Twilio, and neither the old ones nor a cancelled booking's", async () => {
    clockNow = BOOKED_AT;
    const server = await twilio();
    const booking = runtimeOf(bookLayer());
    const moved = "wa:+5215511110001";
    const cancelled = "wa:+5215511110002";
    const first = await booking.runPromise(
      AppointmentBook.use((b) => b.book({ conversationId: moved, channel: "whatsapp", kind: "visita", sede: "Patio Santa Fe", when: "el jueves a las 12", car: null, phone: "+525511110001" })),
    );
    const other = await booking.runPromise(
      AppointmentBook.use((b) =>
        b.book({ conversationId: cancelled, channel: "whatsapp", kind: "prueba_de_manejo", sede: "Patio Santa Fe", when: "el jueves a las 17", car: null, phone: "+525511110002" }),
      ),
    );
    // Queued with the booking: one job per reminder, due a day and 2 hours before.
    const queued = (await jobs(REMINDERS_QUEUE)).filter((j) => j.data.appointmentId === first.id);
    expect(queued.map((j) => j.data.before).sort()).toEqual(["24h", "2h"]);
    const { after } = await booking.runPromise(AppointmentBook.use((b) => b.move(moved, "el viernes a las 4")));
    expect(after.version).toBeGreaterThan(first.version);
    await booking.runPromise(AppointmentBook.use((b) => b.cancel(cancelled)));

    // Time passes (the injected clock) beyond every reminder; the worker starts.
    clockNow = new Date("2026-03-14T00:00:00Z");
    await startReminders(server);
    const ours = (data: Record<string, unknown>) => data.appointmentId === first.id || data.appointmentId === other.id;
    const done = await settled(REMINDERS_QUEUE, ours);
    expect(done.every((j) => j.state === "completed")).toBe(true);
    expect(done.length).toBe(6); // 2 first booking + 2 after the move + 2 cancelled booking

    expect(server.rejected).toEqual([]);
    const sent = server.messages.filter((m) => m.to === "whatsapp:+5215511110001" || m.to === "whatsapp:+5215511110002");
    expect(sent.map((m) => m.to)).toEqual(["whatsapp:+5215511110001", "whatsapp:+5215511110001"]);
    expect(sent.every((m) => m.from === SANDBOX_FROM && m.contentSid === undefined)).toBe(true);
    expect(sent.map((m) => m.body).sort()).toEqual([expect.stringContaining("es hoy, viernes 13 de marzo a las 16:00"), expect.stringContaining("es mañana, viernes 13 de marzo a las 16:00")].sort());
    expect(sent.some((m) => m.body.includes("jueves"))).toBe(false);
    await sleep(1_500); // nothing more arrives
    expect(server.messages.filter((m) => m.to === "whatsapp:+5215511110002").length).toBe(0);
    expect(server.messages.filter((m) => m.to === "whatsapp:+5215511110001").length).toBe(2);
  });

  it("sends the approved template (Content SID and its variables) when WHATSAPP_REMINDER_CONTENT_SID is set", async () => {
    clockNow = BOOKED_AT;
    const contentSid = `HX${"0123456789abcdef".repeat(2)}`;
    const server = await twilio();
    const booking = runtimeOf(bookLayer());
    const appointment = await booking.runPromise(
      AppointmentBook.use((b) => b.book({ conversationId: "wa:+5215511110003", channel: "whatsapp", kind: "visita", sede: "Patio Santa Fe", when: "el miércoles a las 11", car: null, phone: "+525511110003" })),
    );
    clockNow = new Date("2026-03-14T00:00:00Z");
    await startReminders(server, { WHATSAPP_REMINDER_CONTENT_SID: contentSid });
    await settled(REMINDERS_QUEUE, (data) => data.appointmentId === appointment.id);
    const sent = server.messages.filter((m) => m.to === "whatsapp:+5215511110003");
    expect(sent.length).toBe(2);
    for (const message of sent) {
      expect(message.contentSid).toBe(contentSid);
      expect(message.contentVariables).toEqual({ "1": "miércoles 11 de marzo a las 11:00", "2": appointment.sede.name, "3": appointment.sede.address });
    }
  });
});

interface Delivery {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly status: number;
}

/** A CRM stand-in: answers `statuses` in order (then 200), records every request. */
const startCrm = async (statuses: number[]) => {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = statuses.shift() ?? 200;
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? '{"ok":true}' : '{"error":"boom"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm/leads`, deliveries };
};

describe("the CRM webhook through the job queue", () => {
  it("delivers a new lead signed, retries the CRM's first 500, and delivers it once", async () => {
    const crm = await startCrm([500]);
    const secret = "crm-shared-secret";
    const runtime = runtimeOf(
      leadsWebhookWorker({ concurrency: 1 }).pipe(Layer.provideMerge(LeadStore.layer.pipe(Layer.provide(LeadEventsLive))), Layer.provideMerge(JobQueue.layer), Layer.provide(databaseLayer()), Layer.provide(environment({ LEADS_WEBHOOK_URL: crm.url, LEADS_WEBHOOK_SECRET: secret }))),
    );
    const lead = await runtime.runPromise(
      LeadStore.use((s) =>
        s.create({ conversationId: "web:closing-e2e-lead-0001", channel: "web", name: "Ana", phone: "+525512345678", consent: true, car: null, purpose: "financiamiento", callTime: "en la tarde", notes: null }),
      ),
    );
    const done = await settled(LEADS_WEBHOOK_QUEUE, (data) => data.leadId === lead.id);
    expect(done.map((j) => j.state)).toEqual(["completed"]);
    expect(crm.deliveries.map((d) => d.status)).toEqual([500, 200]);
    for (const delivery of crm.deliveries) {
      const timestamp = String(delivery.headers["x-kavak-timestamp"]);
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${delivery.body}`).digest("hex")}`;
      expect(delivery.headers["x-kavak-signature"]).toBe(expected);
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(delivery.body)).toMatchObject({ event: "lead.created", lead: { id: lead.id, phone: "+525512345678", consent: true, purpose: "financiamiento", name: "Ana" } });
    }
    // One delivery id for both attempts (the receiver can drop duplicates), and nothing after the 200.
    expect(new Set(crm.deliveries.map((d) => d.headers["x-kavak-delivery"])).size).toBe(1);
    await sleep(1_500);
    expect(crm.deliveries.length).toBe(2);
  });
});
