/**
 * A fines job survives kill -9 of the worker (issue 16): the real server (`node --import tsx
 * app/main.ts`, workers in process) gets a plate photo on WhatsApp (media served by a local Twilio
 * stand-in with basic auth, as Twilio serves it), or, every other round, a typed plate. The check_fines turn answers "pending" (the
 * registry is slow), the fines worker reads the photo and asks the external fines registry (a local
 * stand-in that holds the request): the process is killed with SIGKILL right then, in the middle of
 * the job. The registry is made to answer and the server restarted: the retried job reads the photo
 * again (kept in fines_images while the check is pending; a typed plate needs none), looks the plate up, and the customer
 * gets exactly one fines answer, the right one; the conversation learns it once; the photo is gone.
 * Round after round (FINES_CRASH_ROUNDS, default 3). Database: a fresh database on DATABASE_URL,
 * else an on-disk PGlite in a temporary folder (the two ways the suite runs).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redacted } from "effect";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startChildApp, type ChildApp } from "../../app/testing/child-app.ts";
import { ACCOUNT_SID, AUTH_TOKEN, inboundParams, newMessageSid, PUBLIC_BASE_URL, SANDBOX_FROM, signedPost } from "../../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn } from "../../channels/whatsapp/testing/twilio-stand-in.ts";
import { createTestDatabase } from "../../knowledge/db/test-database.ts";
import { platePhoto } from "../../knowledge/fines/testing/plate-photo.ts";
import { startRegistryStandIn } from "../../knowledge/fines/testing/registry-stand-in.ts";

const ROUNDS = Number(process.env.FINES_CRASH_ROUNDS ?? 3);
const KEY = "crash-test-key";
const FINES = {
  NXR4521: [
    { folio: "C-1", description: "Exceso de velocidad", authority: "SSC CDMX", issued_on: "2026-01-18", amount: "1737.12" },
    { folio: "C-2", description: "No respetar el semáforo", authority: "SSC CDMX", issued_on: "2026-03-02", amount: "2171.40" },
  ],
};
const TOTAL = "Total: $3,908.52";
/** The turn's answer while the check is pending (typed plate or photo). */
const PENDING = /⏳/;

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const until = async (what: string, ready: () => boolean | Promise<boolean>, withinMs: number, app?: ChildApp) => {
  const started = Date.now();
  while (!(await ready())) {
    if (Date.now() - started > withinMs) throw new Error(`timed out (${withinMs} ms) waiting for ${what}${app ? `\n${app.output().split("\n").slice(-30).join("\n")}` : ""}`);
    await sleep(100);
  }
};

describe("fines worker under kill -9 (real server, WhatsApp photo, external registry)", () => {
  it(`completes a fines job interrupted by kill -9 with exactly one answer, ${ROUNDS} rounds`, { timeout: 180_000 + ROUNDS * 180_000 }, async () => {
    const began = performance.now();
    const twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
    cleanups.push(() => twilio.close());
    const registry = await startRegistryStandIn({ key: KEY, fines: FINES });
    cleanups.push(() => registry.close());
    const { options, drop } = await createTestDatabase();
    const pgliteDir = options.url ? undefined : mkdtempSync(join(tmpdir(), "kavak-fines-crash-"));
    cleanups.push(async () => {
      await drop();
      // The app's PGlite and its traces' beside it.
      if (pgliteDir) for (const dir of [pgliteDir, `${pgliteDir}-traces`]) rmSync(dir, { recursive: true, force: true });
    });
    const env: Record<string, string> = {
      ...(options.url ? { DATABASE_URL: Redacted.value(options.url) } : { PGLITE_DATA_DIR: pgliteDir! }),
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_WHATSAPP_FROM: SANDBOX_FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL,
      WHATSAPP_INLINE_BUDGET_MS: "0",
      RUN_WORKERS: "true",
      FINES_REGISTRY_URL: registry.url,
      FINES_REGISTRY_KEY: KEY,
      // The registry stand-in holds the request: the job stays in the lookup until the kill.
      FINES_REGISTRY_TIMEOUT_MS: "120000",
      FINES_INLINE_WAIT_MS: "1000",
      LOG_LEVEL: "warn",
    };
    const photo = await platePhoto({ plate: "NXR-4521", state: "CIUDAD DE MÉXICO" });
    let app = await startChildApp("fines-crash", env, 150_000);
    cleanups.push(() => app.stop());

    const senders: string[] = [];
    const restarts: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const from = `whatsapp:+52155${String(70000 + round).padStart(5, "0")}${String(Date.now() % 1000).padStart(3, "0")}`;
      senders.push(from);
      registry.mode = "hang";
      const lookupsBefore = registry.requests.length;
      const sid = newMessageSid();
      const withPhoto = round % 2 === 0;
      const media = withPhoto ? [{ url: twilio.addMedia(`ME${sid.slice(2)}`, "image/png", photo), contentType: "image/png" }] : [];
      const body = withPhoto ? "¿esta placa tiene multas?" : "placas NXR-4521, ¿cuánto debo?";
      const response = await signedPost(app.url, "/webhook", inboundParams({ sid, from, body, media }));
      expect(response.status).toBe(200);
      // The turn answers "pending"; the fines worker (having read the photo) waits on the registry: kill it there.
      await until("the pending answer", () => twilio.messages.some((m) => m.to === from && PENDING.test(m.body)), 60_000, app);
      await until("the registry lookup", () => registry.requests.length > lookupsBefore, 60_000, app);
      expect(registry.requests.at(-1)?.path).toBe("/v1/plates/NXR4521/fines");
      app.child.kill("SIGKILL");
      await until("the process to die", () => app.exit() !== undefined, 10_000);
      expect(app.exit()?.signal).toBe("SIGKILL");
      registry.mode = "ok";
      const restarted = performance.now();
      app = await startChildApp("fines-crash", env, 150_000);
      cleanups.push(() => app.stop());
      // pg-boss retries the dead worker's job once its heartbeat (10 s) lapses.
      await until("the fines answer after the restart", () => twilio.messages.some((m) => m.to === from && m.body.includes(TOTAL)), 150_000, app);
      restarts.push(performance.now() - restarted);
    }
    await sleep(3_000); // late duplicates, if any, would arrive now
    await app.stop();

    for (const from of senders) {
      const bodies = twilio.messages.filter((m) => m.to === from).map((m) => m.body);
      expect(bodies.filter((b) => b.includes(TOTAL))).toHaveLength(1);
      expect(bodies.filter((b) => PENDING.test(b))).toHaveLength(1);
      expect(bodies).toHaveLength(2);
      const answer = bodies.find((b) => b.includes(TOTAL))!;
      expect(answer).toContain("NXR-4521");
      expect(answer).toContain("$1,737.12");
      expect(answer).toContain("$2,171.40");
    }
    expect(twilio.rejected).toEqual([]);
    // Twilio's media was fetched with basic auth each time.
    expect(twilio.mediaRequests.length).toBeGreaterThanOrEqual(Math.floor(ROUNDS / 2));
    expect(twilio.mediaRequests.every((r) => r.authorized)).toBe(true);

    // The database after the last stop: each check done once, delivered once, remembered once, no photo left.
    const facts = await readFacts(options.url ? Redacted.value(options.url) : undefined, pgliteDir);
    expect(facts.checks.map((c) => c.status)).toEqual(senders.map(() => "done"));
    expect(facts.checks.every((c) => c.delivery === "async" && c.delivered)).toBe(true);
    expect(facts.images).toBe(0);
    for (const check of facts.checks) expect(facts.rememberedCalls.get(check.id)).toBe(2); // the call and its result, once

    const kind = options.url ? "PostgreSQL" : "PGlite (on disk)";
    console.log(
      `[measure] fines kill -9 x${ROUNDS} on ${kind}: ${senders.length} checks (${Math.floor(ROUNDS / 2)} from a photo), each killed in the registry lookup; ` +
        `one answer each (${twilio.messages.length} WhatsApp messages: pending + result), photos left ${facts.images}; ` +
        `restart to answer median ${[...restarts].sort((a, b) => a - b)[Math.floor(restarts.length / 2)]!.toFixed(0)} ms; total ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
  });
});

interface Facts {
  readonly checks: Array<{ id: string; status: string; delivery: string | null; delivered: boolean }>;
  readonly images: number;
  readonly rememberedCalls: Map<string, number>;
}

/** What the database holds, read after the server stopped (PostgreSQL over pg, PGlite from its folder). */
const readFacts = async (url: string | undefined, pgliteDir: string | undefined): Promise<Facts> => {
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> => {
    if (url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { unaccent } = await import("@electric-sql/pglite/contrib/unaccent");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const db = await PGlite.create(pgliteDir!, { extensions: { unaccent, pg_trgm } });
    try {
      return (await db.query<Record<string, unknown>>(sql)).rows;
    } finally {
      await db.close();
    }
  };
  const checks = (await query("select id, status, delivery, delivered_at is not null as delivered from fines_checks order by created_at")) as Facts["checks"];
  const images = Number((await query("select count(*)::int as n from fines_images"))[0]!.n);
  const messages = await query("select content::text as content from messages where content::text like '%check_fines_fc_%'");
  const rememberedCalls = new Map<string, number>();
  for (const check of checks) rememberedCalls.set(check.id, messages.filter((m) => String(m.content).includes(`check_fines_${check.id}`)).length);
  return { checks, images, rememberedCalls };
};
