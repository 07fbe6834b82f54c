/**
 * The recommended deployment (issue 12): a web instance that runs no workers (RUN_WORKERS=false) and
 * a separate `npm run worker` process on one PostgreSQL database. The web instance only stores each
 * WhatsApp message (one INSERT) and acknowledges; the worker's relay enqueues the reply jobs (woken by
 * NOTIFY, or its poll) and its reply workers answer by REST. Every acknowledged message gets exactly
 * one answer, in each sender's order.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redacted } from "effect";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startChildApp } from "../app/testing/child-app.ts";
import { createTestDatabase, usingPostgres } from "../knowledge/db/test-database.ts";
import { ACCOUNT_SID, AUTH_TOKEN, inboundParams, PUBLIC_BASE_URL, SANDBOX_FROM, signedPost } from "../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn } from "../channels/whatsapp/testing/twilio-stand-in.ts";
import { NODE_FLAGS } from "../app/node-flags.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SENDERS = 5;
const PER_SENDER = 4;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!usingPostgres())("a web instance and a separate worker process (PostgreSQL only: PGlite lives in one process)", () => {
  it("answers every message the web instance acknowledged once, in order, through the worker's relay", { timeout: 240_000 }, async () => {
    const twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
    cleanups.push(() => twilio.close());
    const { options, drop } = await createTestDatabase();
    cleanups.push(drop);
    const databaseUrl = Redacted.value(options.url!);
    const env = {
      DATABASE_URL: databaseUrl,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_WHATSAPP_FROM: SANDBOX_FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL,
      WHATSAPP_INLINE_BUDGET_MS: "0",
      SEED_CATALOG: "true",
    };
    const web = await startChildApp("web", { ...env, RUN_WORKERS: "false" }, 120_000);
    cleanups.push(() => web.stop());

    const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, OTEL_EXPORTER_OTLP_ENDPOINT: _otel, ...inherited } = process.env;
    const worker = spawn(process.execPath, [...NODE_FLAGS, "--import", "tsx", "app/worker-main.ts"], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const workerOutput: string[] = [];
    worker.stdout!.on("data", (chunk: Buffer) => workerOutput.push(chunk.toString()));
    worker.stderr!.on("data", (chunk: Buffer) => workerOutput.push(chunk.toString()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (worker.exitCode !== null) return resolve();
          worker.once("exit", () => resolve());
          worker.kill("SIGTERM");
        }),
    );

    // Acknowledged before the worker is even up: the rows wait for its relay.
    const senders = Array.from({ length: SENDERS }, (_, s) => `whatsapp:+52155200000${s}`);
    const sent = new Map<string, string[]>();
    await Promise.all(
      senders.map(async (from) => {
        for (let i = 0; i < PER_SENDER; i++) {
          // Each asks about a price no other message uses, and the answer quotes it.
          const price = 200_000 + senders.indexOf(from) * 10_000 + i * 1_111;
          const response = await signedPost(web.url, "/webhook", inboundParams({ from, body: `¿Cuánto pagaría al mes por un auto de ${price.toLocaleString("en-US")} pesos con 50 mil de enganche a 48 meses?` }));
          expect(response.status).toBe(200);
          sent.set(from, [...(sent.get(from) ?? []), price.toLocaleString("en-US")]);
        }
      }),
    );

    await expect.poll(() => twilio.messages.length, { timeout: 180_000, interval: 500 }).toBeGreaterThanOrEqual(SENDERS * PER_SENDER);
    // Nothing more arrives (no message answered twice).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(twilio.messages, workerOutput.join("").slice(-3_000)).toHaveLength(SENDERS * PER_SENDER);
    for (const from of senders) {
      const answers = twilio.messages.filter((message) => message.to === from).map((message) => message.body);
      const prices = sent.get(from)!;
      expect(answers).toHaveLength(PER_SENDER);
      // Its own answers, in its order: the i-th answer quotes the i-th price.
      answers.forEach((body, i) => expect(body).toContain(`$${prices[i]}`));
    }

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ total: string; relayed: string; answered: string }>(
      `select count(*) as total, count(job_enqueued_at) as relayed, count(*) filter (where status = 'answered') as answered from channel_inbound_messages`,
    );
    await client.end();
    expect(rows[0]).toEqual({ total: String(SENDERS * PER_SENDER), relayed: String(SENDERS * PER_SENDER), answered: String(SENDERS * PER_SENDER) });
  });
});
