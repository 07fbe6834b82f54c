/**
 * Background work, composed for the application: the job queue (pg-boss on the app's database), the
 * WhatsApp channel's durable inbox and outbox, and, with RUN_WORKERS (the default), the reply workers
 * in this process. Needs the database, the agent, the channel event store and the app's config.
 */
import { Effect, Layer } from "effect";
import { AppConfig } from "../core/config.ts";
import { WhatsAppInbox } from "../channels/whatsapp/delivery/inbox.ts";
import { WhatsAppOutbox } from "../channels/whatsapp/delivery/outbox.ts";
import { ReplySignals } from "../channels/whatsapp/delivery/reply-signals.ts";
import { workersConfig } from "./config.ts";
import { Headroom } from "./headroom.ts";
import { JobQueue } from "./queue.ts";
import { whatsappReplyWorker } from "./whatsapp-reply.ts";
import { finesConfig } from "../knowledge/fines/config.ts";
import { finesWorker } from "./fines/fines-worker.ts";
import { lazyPlateReader } from "./fines/lazy-plate-reader.ts";
import { leadsWebhookWorker } from "./leads-webhook.ts";
import { remindersWorker } from "./reminders.ts";

/** The queue and the WhatsApp channel's durable services (every instance: the webhook enqueues). */
const queueServices = (options: { readonly supervise: boolean }) =>
  Layer.mergeAll(WhatsAppInbox.layer, WhatsAppOutbox.layer, ReplySignals.layer, Headroom.layer).pipe(Layer.provideMerge(JobQueue.layerWith(options)));
/** A web-only instance enqueues but runs no jobs, so it leaves pg-boss's supervision to the workers. */
export const QueueServices = queueServices({ supervise: false });

export const QueueAndWorkers = Layer.unwrap(
  Effect.gen(function* () {
    const { whatsapp } = yield* AppConfig;
    const workers = yield* workersConfig;
    if (!workers.runWorkers) return QueueServices;
    const withWorkers = queueServices({ supervise: true });
    const fines = yield* finesConfig;
    return Layer.mergeAll(
      whatsappReplyWorker({ config: whatsapp, concurrency: workers.concurrency }),
      finesWorker({ whatsapp, concurrency: workers.concurrency, inlineWaitMs: fines.inlineWaitMs, keepImages: fines.keepImages }).pipe(Layer.provide(lazyPlateReader())),
      remindersWorker({ whatsapp, concurrency: 1 }),
      leadsWebhookWorker({ concurrency: 1 }),
    ).pipe(Layer.provideMerge(withWorkers));
  }),
);
