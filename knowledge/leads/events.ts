/**
 * What happens in a lead's transaction besides the row: the CRM webhook (workers/leads-webhook.ts)
 * queues its delivery here when LEADS_WEBHOOK_URL is set. The default does nothing.
 */
import { Context, Layer } from "effect";
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Lead } from "./lead-store.ts";

export interface LeadEventsShape {
  readonly created: (trx: Kysely<DB>, lead: Lead) => Promise<void>;
  readonly committed: (lead: Lead) => void;
}

export class LeadEvents extends Context.Service<LeadEvents, LeadEventsShape>()("LeadEvents") {
  static readonly none = Layer.succeed(LeadEvents, LeadEvents.of({ created: async () => {}, committed: () => {} }));
}
