/**
 * The optional CRM webhook: each new lead is POSTed as JSON to LEADS_WEBHOOK_URL through the job
 * queue (queued in the lead's own transaction; retried with back-off on any non-2xx answer or
 * network error, up to 8 times). Signed: `X-Kavak-Timestamp: <unix seconds>` and
 * `X-Kavak-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with LEADS_WEBHOOK_SECRET>`.
 * The receiver recomputes it and rejects old timestamps. Without a URL nothing is queued.
 */
import { Config, Effect, Layer, Option, Redacted } from "effect";
import { createHmac } from "node:crypto";
import { LeadEvents } from "../knowledge/leads/events.ts";
import { LeadStore, type Lead } from "../knowledge/leads/lead-store.ts";
import { JobQueue, type QueueSettings } from "./queue.ts";

export const LEADS_WEBHOOK_QUEUE = "leads-webhook";

export const leadsWebhookConfig = Config.all({
  url: Config.String("LEADS_WEBHOOK_URL").pipe(Config.option, Config.map((o) => Option.getOrUndefined(Option.filter(o, (v) => v.trim() !== "")))),
  secret: Config.Redacted("LEADS_WEBHOOK_SECRET").pipe(Config.option, Config.map(Option.getOrUndefined)),
});

export const leadsWebhookQueueSettings: QueueSettings = {
  policy: "standard",
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 900,
  expireInSeconds: 60,
  deleteAfterSeconds: 7 * 24 * 60 * 60,
};

/** The signature header's value for a body sent at `timestamp` (unix seconds). */
export const signLead = (secret: string, timestamp: number, body: string): string => `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

export const leadPayload = (lead: Lead) =>
  JSON.stringify({
    event: "lead.created",
    lead: {
      id: lead.id,
      createdAt: lead.createdAt.toISOString(),
      channel: lead.channel,
      conversationId: lead.conversationId,
      name: lead.name,
      phone: lead.phone,
      consent: lead.consent,
      purpose: lead.purpose,
      car: lead.car,
      callTime: lead.callTime,
      notes: lead.notes,
    },
  });

/** LeadEvents on the job queue: a delivery job per lead when LEADS_WEBHOOK_URL is set. */
export const LeadEventsLive = Layer.unwrap(
  Effect.gen(function* () {
    const { url } = yield* leadsWebhookConfig;
    if (url === undefined) return LeadEvents.none;
    return Layer.effect(
      LeadEvents,
      Effect.gen(function* () {
        const queue = yield* JobQueue;
        yield* queue.define(LEADS_WEBHOOK_QUEUE, leadsWebhookQueueSettings);
        return LeadEvents.of({
          created: async (trx, lead) => {
            await queue.sendInTransaction(trx, LEADS_WEBHOOK_QUEUE, { leadId: lead.id });
          },
          committed: () => queue.announce(LEADS_WEBHOOK_QUEUE),
        });
      }),
    ).pipe(Layer.provide(JobQueue.layer));
  }),
);

/** The worker: delivers each lead once the CRM answers 2xx. */
export const leadsWebhookWorker = (options: { readonly concurrency: number }) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const { url, secret } = yield* leadsWebhookConfig;
      if (url === undefined) return;
      const queue = yield* JobQueue;
      const leads = yield* LeadStore;
      yield* queue.define(LEADS_WEBHOOK_QUEUE, leadsWebhookQueueSettings);
      yield* queue.work<{ leadId: string }, never>(LEADS_WEBHOOK_QUEUE, { concurrency: options.concurrency }, (job) =>
        Effect.gen(function* () {
          const lead = yield* leads.get(job.data.leadId);
          if (lead === undefined) return;
          const body = leadPayload(lead);
          const timestamp = Math.floor(Date.now() / 1000);
          yield* Effect.tryPromise({
            try: async (signal) => {
              const response = await fetch(url, {
                method: "POST",
                headers: {
                  "content-type": "application/json",
                  "x-kavak-timestamp": String(timestamp),
                  ...(secret === undefined ? {} : { "x-kavak-signature": signLead(Redacted.value(secret), timestamp, body) }),
                  "x-kavak-delivery": job.id,
                },
                body,
                signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
              });
              if (!response.ok) throw new Error(`the CRM answered ${response.status}`);
            },
            catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause))),
          }).pipe(Effect.withSpan("leads.webhook.deliver"));
        }),
      );
    }),
  );
