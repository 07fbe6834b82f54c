/**
 * The sales admin API (leads, appointments, funnel, calendar files) over real PGlite, and the
 * funnel page drawn in Chromium (screenshot: channels/http/testing/funnel-page.png). The browser
 * part is skipped when /usr/bin/chromium is absent.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import express from "express";
import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppointmentBook } from "../../knowledge/appointments/appointment-book.ts";
import { AppointmentEvents } from "../../knowledge/appointments/events.ts";
import { DEFAULT_SCHEDULE } from "../../knowledge/appointments/schedule.ts";
import { AppointmentSettings } from "../../knowledge/appointments/settings.ts";
import { Database } from "../../knowledge/db/database.ts";
import { TestDatabase } from "../../knowledge/db/test-database.ts";
import { CsatStore } from "../../knowledge/leads/csat-store.ts";
import { LeadEvents } from "../../knowledge/leads/events.ts";
import { FunnelMetrics } from "../../knowledge/leads/funnel.ts";
import { LeadStore } from "../../knowledge/leads/lead-store.ts";
import { salesAdminRouter } from "./sales-admin.ts";

const NOW = new Date("2026-03-10T10:00:00-06:00");
const KEY = "admin-test-key";
const layer = Layer.mergeAll(
  AppointmentBook.layer.pipe(Layer.provideMerge(Layer.mergeAll(AppointmentSettings.fromValues(DEFAULT_SCHEDULE, () => NOW), AppointmentEvents.none))),
  LeadStore.layer.pipe(Layer.provide(LeadEvents.none)),
  CsatStore.layer,
  FunnelMetrics.layer,
).pipe(Layer.provideMerge(TestDatabase));
const runtime = ManagedRuntime.make(layer);
let server: Server;
let url: string;

const toolMessage = (tool: string) => JSON.stringify({ role: "assistant", content: [{ type: "tool-call", toolCallId: `c-${tool}`, toolName: tool, input: {} }] });

beforeAll(async () => {
  await runtime.runPromise(
    Effect.gen(function* () {
      const { db } = yield* Database;
      // Three conversations: one searched only, one went down to a lead and a booking and rated, one on WhatsApp that quoted.
      const conversations = [
        { id: "c-search", channel: "http", tools: ["search_cars"] },
        { id: "c-close", channel: "web", tools: ["search_cars", "get_car_details", "calculate_financing", "request_advisor", "book_appointment"] },
        { id: "wa:+5215500000000", channel: "whatsapp", tools: ["search_cars", "get_car_details", "calculate_financing"] },
      ];
      for (const c of conversations) {
        yield* Effect.promise(() => db.insertInto("conversations").values({ id: c.id, channel: c.channel }).execute());
        for (const [seq, tool] of c.tools.entries())
          yield* Effect.promise(() => db.insertInto("messages").values({ conversation_id: c.id, seq, role: "assistant", text: null, content: toolMessage(tool) }).execute());
      }
      yield* LeadStore.use((s) => s.create({ conversationId: "c-close", channel: "web", name: "Ana", phone: "+525512345678", consent: true, car: null, purpose: "compra", callTime: "en la tarde", notes: null }));
      yield* LeadStore.use((s) => s.create({ conversationId: "wa:+5215500000000", channel: "whatsapp", name: null, phone: "+525500000000", consent: true, car: null, purpose: "queja", callTime: null, notes: null }));
      yield* AppointmentBook.use((b) => b.book({ conversationId: "c-close", channel: "web", kind: "visita", sede: "Antara", when: "mañana a las 11", car: { stockId: 1, title: "Nissan Versa 2020" }, phone: null }));
      yield* CsatStore.use((s) => s.record({ conversationId: "c-close", channel: "web", rating: 4, comment: "bien" }));
      yield* CsatStore.use((s) => s.record({ conversationId: "c-search", channel: "http", rating: 5, comment: null }));
    }),
  );
  const app = express();
  app.use(salesAdminRouter({ run: (effect) => runtime.runPromise(effect), apiKeys: [KEY] }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await runtime.dispose();
});

const get = (path: string, key: string | null = KEY) => fetch(`${url}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });

describe("sales admin API", () => {
  it("needs a key", async () => {
    expect((await get("/v1/admin/leads", null)).status).toBe(401);
    expect((await get("/v1/admin/leads", "wrong")).status).toBe(401);
  });

  it("lists, filters and updates leads", async () => {
    const all = (await (await get("/v1/admin/leads")).json()) as { leads: Array<{ id: string; purpose: string; status: string }> };
    expect(all.leads).toHaveLength(2);
    const complaints = (await (await get("/v1/admin/leads?purpose=queja")).json()) as { leads: Array<{ id: string; phone: string }> };
    expect(complaints.leads.map((l) => l.phone)).toEqual(["+525500000000"]);
    const id = complaints.leads[0]!.id;
    const patched = await fetch(`${url}/v1/admin/leads/${id}`, { method: "PATCH", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify({ status: "contacted", notes: "llamado" }) });
    expect(patched.status).toBe(200);
    expect(((await (await get("/v1/admin/leads?status=contacted")).json()) as { leads: unknown[] }).leads).toHaveLength(1);
    expect((await get("/v1/admin/leads?status=bogus")).status).toBe(400);
  });

  it("lists appointments and serves their calendar file", async () => {
    const body = (await (await get("/v1/admin/appointments?status=confirmed")).json()) as { appointments: Array<{ id: string; sede: { name: string }; startsAt: string }> };
    expect(body.appointments).toHaveLength(1);
    expect(body.appointments[0]!.sede.name).toBe("Antara Fashion Hall");
    const ics = await fetch(`${url}/v1/appointments/${body.appointments[0]!.id}.ics`);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await ics.text();
    expect(text).toContain("DTSTART:20260311T170000Z");
    expect(text).toContain("DTEND:20260311T180000Z");
    expect(text).toContain("LOCATION:Antara Fashion Hall\\, Av. Moliere");
    expect((await fetch(`${url}/v1/appointments/apt_00000000-0000-0000-0000-000000000000.ics`)).status).toBe(404);
  });

  it("counts the funnel and the satisfaction, per channel", async () => {
    const all = (await (await get("/v1/admin/metrics/funnel?from=2020-01-01&to=2100-01-01")).json()) as { stages: Record<string, number>; csat: { count: number; average: number } };
    expect(all.stages).toEqual({ conversations: 3, searched: 3, viewedCar: 2, quoted: 2, lead: 2, booked: 1 });
    expect(all.csat).toEqual({ count: 2, average: 4.5 });
    const web = (await (await get("/v1/admin/metrics/funnel?from=2020-01-01&to=2100-01-01&channel=web")).json()) as { stages: Record<string, number> };
    expect(web.stages).toEqual({ conversations: 1, searched: 1, viewedCar: 1, quoted: 1, lead: 1, booked: 1 });
    expect((await get("/v1/admin/metrics/funnel?from=2030-01-01&to=2020-01-01")).status).toBe(400);
  });
});

const CHROMIUM = "/usr/bin/chromium";
describe.skipIf(!existsSync(CHROMIUM))(`funnel page in Chromium${existsSync(CHROMIUM) ? "" : " (skipped: /usr/bin/chromium is not installed)"}`, () => {
  it("draws one bar per stage and the satisfaction average", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    try {
      const page = await browser.newPage({ viewport: { width: 820, height: 560 } });
      await page.goto(`${url}/admin/funnel?from=2020-01-01&to=2100-01-01`);
      await page.getByLabel("Clave de administración").fill(KEY);
      await page.getByRole("button", { name: "Ver" }).click();
      await expect.poll(() => page.locator(".stage").count()).toBe(6);
      expect(await page.locator('[data-stage="booked"] .count').textContent()).toBe("1");
      expect(await page.locator('[data-stage="conversations"] .count').textContent()).toBe("3");
      expect(await page.locator("#csat").textContent()).toBe("Satisfacción: 4.5 de 5 (2 calificaciones)");
      const full = await page.locator('[data-stage="conversations"] .bar').evaluate((e) => e.getBoundingClientRect().width);
      const booked = await page.locator('[data-stage="booked"] .bar').evaluate((e) => e.getBoundingClientRect().width);
      expect(booked / full).toBeCloseTo(1 / 3, 1);
      mkdirSync(new URL("./testing/", import.meta.url), { recursive: true });
      await page.screenshot({ path: new URL("./testing/funnel-page.png", import.meta.url).pathname, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
