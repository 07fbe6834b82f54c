/** Versioned migrations, applied in key order. Add a file and register it here; never edit an applied one. */
import type { Migration } from "kysely/migration";
import * as initial from "./0001_initial.ts";
import * as channels from "./0003_channels.ts";

export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_knowledge": await import("./0002_knowledge.ts"),
  "0003_channels": channels,
  "0004_whatsapp_queue": await import("./0004_whatsapp_queue.ts"),
  "0005_catalog_versions": await import("./0005_catalog_versions.ts"),
  "0006_knowledge_sections": await import("./0006_knowledge_sections.ts"),
  "0009_traces": await import("./0009_traces.ts"),
  "0007_leads_appointments": await import("./0007_leads_appointments.ts"),
  "0008_fines": await import("./0008_fines.ts"),
  "0010_rate_limits": await import("./0010_rate_limits.ts"),
  "0011_inbox_relay": await import("./0011_inbox_relay.ts"),
  "0012_fines_images": await import("./0012_fines_images.ts"),
  "0013_trace_span_groups": await import("./0013_trace_span_groups.ts"),
  "0014_trace_turn_indexes": await import("./0014_trace_turn_indexes.ts"),
  "0015_trace_span_batches": await import("./0015_trace_span_batches.ts"),
};
