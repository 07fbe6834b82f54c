/**
 * Nothing acknowledged is lost (issue 12): the real server (`node --import tsx app/main.ts`, workers in
 * process, REST replies to a local Twilio stand-in, signed webhooks) is killed with SIGKILL at random
 * points of WhatsApp bursts and restarted, round after round. Every message each sender got a 200 for
 * must get exactly one answer, its own, in the sender's order.
 *
 * Each message asks for the financing of a car with a price no other message uses, and the offline
 * model's answer quotes it ("un auto de $212,345"), so every answer names the message it answers.
 * A request cut by a kill is sent again with the same MessageSid once the server is back, as Twilio
 * does when it gets no answer. Database: a fresh database on DATABASE_URL, else an on-disk PGlite
 * (the embedded default) in a temporary folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redacted } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../knowledge/db/test-database.ts";
import { REPLIES } from "../channels/whatsapp/replies.ts";
import { ACCOUNT_SID, AUTH_TOKEN, inboundParams, newMessageSid, PUBLIC_BASE_URL, SANDBOX_FROM, signedPost } from "../channels/whatsapp/testing/harness.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../channels/whatsapp/testing/twilio-stand-in.ts";
import { NODE_FLAGS } from "../app/node-flags.ts";

const ROUNDS = Number(process.env.CRASH_TEST_ROUNDS ?? 10);
const SENDERS = 10;
const PER_SENDER_PER_ROUND = 4;
/** A kill lands this long after the round's burst starts: during arrivals, turns or sends. */
const KILL_AFTER_MS = { min: 100, max: 5_000 };

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const formatPrice = (price: number) => `$${price.toLocaleString("en-US")}`;

interface Sent {
  readonly sender: number;
  readonly price: number;
  readonly sid: string;
  readonly params: Record<string, string>;
  /** TwiML messages in the 200 answer (inline answers, e.g. an apology). */
  inline: string[];
}

/** The app as a child process; `kill()` is SIGKILL, `start()` waits until /health answers. */
const appProcess = (env: NodeJS.ProcessEnv, port: number) => {
  let child: ChildProcess | undefined;
  const output: string[] = [];
  let up: Promise<void> = Promise.resolve();
  let markUp: (() => void) | undefined;
  /** From now on senders wait (until start() marks the app up again). */
  const down = () => {
    if (!markUp) up = new Promise((resolve) => (markUp = resolve));
  };
  const start = async () => {
    down();
    const started = performance.now();
    child = spawn(process.execPath, [...NODE_FLAGS, "--import", "tsx", "app/main.ts"], { cwd: join(import.meta.dirname, ".."), env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split("\n").filter((line) => line.trim() !== ""));
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the app exited during start (${child.exitCode}):\n${output.slice(-40).join("\n")}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
      if (ok) break;
      if (performance.now() - started > 90_000) throw new Error(`the app did not start in 90 s:\n${output.slice(-40).join("\n")}`);
      await sleep(50);
    }
    markUp?.();
    markUp = undefined;
    return performance.now() - started;
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    down();
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await exited;
  };
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000).then(() => current.kill("SIGKILL"))]);
  };
  return { start, kill, stop, output, whenUp: () => up };
};

describe("WhatsApp under kill -9 (real server, REST replies)", () => {
  it(`answers every acknowledged message exactly once, its own, in order, across ${ROUNDS} kills`, { timeout: 600_000 }, async () => {
    const began = performance.now();
    const twilio: TwilioStandIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN });
    cleanups.push(() => twilio.close());

    const { options, drop } = await createTestDatabase();
    const pgliteDir = options.url ? undefined : mkdtempSync(join(tmpdir(), "kavak-crash-"));
    cleanups.push(async () => {
      await drop();
      // The app's PGlite and its traces' beside it.
      if (pgliteDir) for (const dir of [pgliteDir, `${pgliteDir}-traces`]) rmSync(dir, { recursive: true, force: true });
    });
    const port = await freePort();
    // The offline model, no tracing backend: whatever the developer's environment says.
    const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, OTEL_EXPORTER_OTLP_ENDPOINT: _otel, DATABASE_URL: _db, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      PORT: String(port),
      ...(options.url ? { DATABASE_URL: Redacted.value(options.url) } : { PGLITE_DATA_DIR: pgliteDir }),
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_WHATSAPP_FROM: SANDBOX_FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL,
      WHATSAPP_INLINE_BUDGET_MS: "0",
      RUN_WORKERS: "true",
      WORKER_CONCURRENCY: "4",
      SEED_CATALOG: "true",
    };
    const app = appProcess(env, port);
    cleanups.push(() => app.stop());
    const localUrl = `http://127.0.0.1:${port}`;

    const senders = Array.from({ length: SENDERS }, (_, i) => `whatsapp:+52155${String(40000 + i).padStart(5, "0")}${String(Date.now() % 1000).padStart(3, "0")}`);
    const acked: Sent[][] = senders.map(() => []);
    let priceCounter = 0;
    let retriedSids = 0;

    /** Posts until the server answers 200 (after a kill, once it is back), as Twilio retries. */
    const deliver = async (message: Sent) => {
      for (;;) {
        await app.whenUp();
        const response = await signedPost(localUrl, "/webhook", message.params).catch(() => undefined);
        if (response?.status === 200) {
          message.inline = [...response.text.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) => match[1]!);
          return;
        }
        retriedSids++;
        await sleep(100);
      }
    };

    // One loop per sender, one message at a time (the next only after a 200 for the previous), so each
    // sender's order is well defined; a round's burst hands every sender its next messages.
    const pending: number[] = senders.map(() => 0);
    const wakeSender: Array<(() => void) | undefined> = senders.map(() => undefined);
    let finished = false;
    const senderLoop = async (sender: number) => {
      for (;;) {
        if (pending[sender] === 0) {
          if (finished) return;
          await new Promise<void>((resolve) => (wakeSender[sender] = resolve));
          continue;
        }
        pending[sender]!--;
        const price = 150_000 + ++priceCounter * 1_237;
        const sid = newMessageSid();
        const body = `¿Cuánto pagaría al mes por un auto de ${price.toLocaleString("en-US")} pesos con 50 mil de enganche a 48 meses?`;
        const message: Sent = { sender, price, sid, params: inboundParams({ sid, from: senders[sender]!, body }), inline: [] };
        await deliver(message);
        acked[sender]!.push(message);
        await sleep(20 + Math.random() * 60);
      }
    };
    const burst = () => {
      for (const sender of senders.keys()) {
        pending[sender]! += PER_SENDER_PER_ROUND;
        wakeSender[sender]?.();
      }
    };
    const loops = senders.map((_, sender) => senderLoop(sender));

    const startTimes: number[] = [];
    startTimes.push(await app.start());
    const progress = (label: string) =>
      console.log(`[crash] ${((performance.now() - began) / 1000).toFixed(1)} s ${label}: acked ${acked.flat().length}, REST answers ${twilio.messages.length}`);
    for (let round = 1; round <= ROUNDS; round++) {
      burst();
      const killAfter = KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min);
      await sleep(killAfter);
      await app.kill();
      progress(`round ${round} killed after ${killAfter.toFixed(0)} ms`);
      startTimes.push(await app.start());
    }
    finished = true;
    for (const wake of wakeSender) wake?.();
    await Promise.all(loops);
    const sentAll = acked.flat();
    expect(sentAll).toHaveLength(ROUNDS * SENDERS * PER_SENDER_PER_ROUND);

    // Every acknowledged message answered (REST) or answered inline; then a little longer for late duplicates.
    const answered = () => twilio.messages.length + sentAll.filter((message) => message.inline.length > 0).length;
    const drainStarted = performance.now();
    while (answered() < sentAll.length && performance.now() - drainStarted < 120_000) {
      await sleep(200);
      if (Math.round(performance.now() - drainStarted) % 5_000 < 200) progress("draining");
    }
    const drainMs = performance.now() - drainStarted;
    await sleep(2_000);
    await app.stop();

    // Tally: each REST message names its inbound message by the price it quotes.
    const byPrice = new Map(sentAll.map((message) => [message.price, message]));
    const answersOf = new Map<string, string[]>();
    let mismatched = 0;
    let apologies = 0;
    const order: number[][] = senders.map(() => []);
    for (const sent of twilio.messages) {
      const sender = senders.indexOf(sent.to);
      const quoted = /auto de \$([\d,]+)/.exec(sent.body)?.[1];
      if (sent.body === REPLIES.agentFailed) apologies++;
      const message = quoted ? byPrice.get(Number(quoted.replace(/,/g, ""))) : undefined;
      if (!message || message.sender !== sender) {
        mismatched++;
        continue;
      }
      answersOf.set(message.sid, [...(answersOf.get(message.sid) ?? []), sent.body]);
      order[sender]!.push(message.price);
    }
    for (const message of sentAll) {
      if (message.inline.length === 0) continue;
      answersOf.set(message.sid, [...(answersOf.get(message.sid) ?? []), ...message.inline]);
      apologies += message.inline.filter((text) => text === REPLIES.agentFailed).length;
    }
    const lost = sentAll.filter((message) => !answersOf.has(message.sid)).length;
    const duplicated = [...answersOf.values()].filter((answers) => answers.length > 1).length;
    const expectedOrder = (sender: number) => acked[sender]!.filter((m) => answersOf.has(m.sid) && m.inline.length === 0).map((m) => m.price);
    const outOfOrder = order.filter((prices, sender) => prices.join() !== expectedOrder(sender).join()).length;
    for (const [sender, prices] of order.entries()) {
      if (prices.join() !== expectedOrder(sender).join()) console.log(`[crash] sender ${sender} acknowledged ${expectedOrder(sender).join(" ")}\n[crash] sender ${sender} answered     ${prices.join(" ")}`);
    }

    const kind = options.url ? "PostgreSQL" : "PGlite (on disk)";
    const sortedStarts = [...startTimes].sort((a, b) => a - b);
    console.log(
      `[measure] kill -9 x${ROUNDS} on ${kind}: ${sentAll.length} acknowledged messages from ${SENDERS} senders, ${retriedSids} webhook retries after kills; ` +
        `lost ${lost}, duplicated ${duplicated}, mismatched ${mismatched}, out of order ${outOfOrder} senders, apologies ${apologies}, inline answers ${sentAll.filter((m) => m.inline.length > 0).length}; ` +
        `REST messages ${twilio.messages.length}, Twilio log lookups ${twilio.listRequests.length}; app start median ${sortedStarts[Math.floor(sortedStarts.length / 2)]!.toFixed(0)} ms; ` +
        `drain after the last restart ${(drainMs / 1000).toFixed(1)} s; total ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    if (lost + duplicated + mismatched + outOfOrder > 0) console.log(app.output.slice(-60).join("\n"));

    expect({ lost, duplicated, mismatched, outOfOrder, apologies }).toEqual({ lost: 0, duplicated: 0, mismatched: 0, outOfOrder: 0, apologies: 0 });
    expect(twilio.rejected).toEqual([]);
  });
});
