/** Table types for Kysely. Money columns hold integer pesos. */
import type { ColumnType, Generated, JSONColumnType } from "kysely";

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date | string>;

export interface CarsTable {
  stock_id: number;
  make: string;
  model: string;
  year: number;
  version: string;
  price: number;
  km: number;
  bluetooth: boolean | null;
  car_play: boolean | null;
  transmission: "automatica" | "manual" | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  body_type: string | null;
  seats: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConversationsTable {
  id: string;
  channel: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: string;
  seq: number;
  role: "user" | "assistant" | "tool";
  /** What a person reads; null for tool messages and tool-only assistant steps. */
  text: string | null;
  /** The AI SDK ModelMessage, so the next turn sees earlier tool calls and results. */
  content: JSONColumnType<object>;
  created_at: CreatedAt;
}

export interface FinancingQuotesTable {
  id: string;
  conversation_id: string | null;
  stock_id: number | null;
  price: number;
  down_payment: number;
  financed: number;
  /** Nominal annual rate as a decimal string, e.g. "0.10". */
  annual_rate: string;
  terms: JSONColumnType<number[]>;
  plans: JSONColumnType<object[]>;
  created_at: CreatedAt;
}

/** Where an inbound channel message is (migration 0004): queued -> processing -> replied -> answered, or failed. */
export type InboundStatus = "queued" | "processing" | "replied" | "answered" | "failed";

/** One inbound channel message, by the provider's id (idempotency), kept until it is answered. Owned by channels/whatsapp/delivery. */
export interface ChannelInboundMessagesTable {
  channel: string;
  external_id: string;
  conversation_id: string;
  status: ColumnType<InboundStatus, InboundStatus | undefined, InboundStatus>;
  reply_parts: JSONColumnType<string[] | null, string | null | undefined, string | null>;
  delivery: "inline" | "rest" | null;
  received_at: CreatedAt;
  answered_at: ColumnType<Date | null, never, Date | null>;
  /** Order of arrival (a conversation's messages are answered in this order). */
  seq: ColumnType<string, never, never>;
  /** The message as the channel parsed it (JSON), enough to answer it after a restart. */
  payload: JSONColumnType<object | null, string | null | undefined, string | null>;
  /** Until when the webhook may still answer inline; afterwards a worker delivers by REST. */
  inline_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Turns started for this message. */
  attempts: ColumnType<number, number | undefined, number>;
  turn_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  error: string | null;
  /** When the relay enqueued the message's reply job (migration 0011); null until then. */
  job_enqueued_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One message of a REST reply, recorded before it is sent (migration 0004). */
export interface ChannelOutboxTable {
  channel: string;
  inbound_external_id: string;
  part_index: number;
  conversation_id: string;
  recipient: string;
  body: string;
  status: ColumnType<"pending" | "sending" | "sent" | "failed", "pending" | "sending" | "sent" | "failed" | undefined, "pending" | "sending" | "sent" | "failed">;
  /** The provider's id once it accepted the message (Twilio's SID). */
  external_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  error: string | null;
  sending_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

/** One outbound channel message and its latest delivery status. */
export interface ChannelOutboundMessagesTable {
  channel: string;
  external_id: string;
  inbound_external_id: string | null;
  conversation_id: string;
  part_index: number;
  status: string;
  error_code: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Every delivery status callback as received. */
export interface ChannelDeliveryEventsTable {
  id: Generated<number>;
  channel: string;
  external_id: string;
  status: string;
  error_code: string | null;
  received_at: CreatedAt;
}

/** A knowledge-base document: a markdown file (source = path inside the documents folder) or a URL. */
export interface KnowledgeDocumentsTable {
  id: Generated<number>;
  source: string;
  title: string;
  topic: string;
  /** Hash of the raw content and the chunker version: unchanged hash, nothing to re-ingest. */
  content_hash: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One heading-sized section of a document. tsv and search_text are generated by the database. */
export interface KnowledgeChunksTable {
  id: Generated<number>;
  document_id: number;
  position: number;
  title: string;
  heading: string;
  body: string;
  tsv: ColumnType<string, never, never>;
  search_text: ColumnType<string, never, never>;
}

/** Distinct unaccented words of the chunks, for trigram typo correction. */
export interface KnowledgeTermsTable {
  term: string;
  chunk_count: number;
}

/** The catalog's version (one row), bumped with every change of cars (migration 0005). */
export interface CatalogStateTable {
  id: number;
  version: ColumnType<string, never, never>;
  pruned_through: ColumnType<string, never, never>;
  updated_at: ColumnType<Date, never, never>;
}

/** Which stock ids each catalog version touched (written by the cars triggers). */
export interface CatalogChangesTable {
  version: ColumnType<string, never, never>;
  stock_id: number;
  changed_at: ColumnType<Date, never, never>;
}

/** A request for an advisor to call (migration 0007). */
export interface LeadsTable {
  id: string;
  conversation_id: string;
  channel: string;
  name: string | null;
  phone: string;
  consent: boolean;
  stock_id: number | null;
  car_title: string | null;
  purpose: "compra" | "financiamiento" | "toma_a_cuenta" | "queja";
  call_time: string | null;
  notes: string | null;
  status: ColumnType<"new" | "contacted" | "won" | "lost", "new" | "contacted" | "won" | "lost" | undefined, "new" | "contacted" | "won" | "lost">;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A visit or test drive at a sede (migration 0007). */
export interface AppointmentsTable {
  id: string;
  conversation_id: string;
  channel: string;
  kind: "visita" | "prueba_de_manejo";
  sede_id: string;
  sede_name: string;
  sede_city: string;
  sede_address: string;
  stock_id: number | null;
  car_title: string | null;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  status: ColumnType<"confirmed" | "cancelled", "confirmed" | "cancelled" | undefined, "confirmed" | "cancelled">;
  version: ColumnType<number, number | undefined, number>;
  phone: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The satisfaction rating of a conversation, at most one (migration 0007). */
export interface CsatRatingsTable {
  conversation_id: string;
  channel: string;
  rating: number;
  comment: string | null;
  created_at: CreatedAt;
}

/** One fine of the embedded registry (migration 0008); a sample dataset unless imported. */
export interface TrafficFinesTable {
  folio: string;
  plate: string;
  description: string;
  authority: string;
  issued_on: ColumnType<string, string, string>;
  /** bigint: the driver answers a string. */
  amount_cents: ColumnType<string, number | string, number | string>;
  status: ColumnType<"unpaid" | "paid", "unpaid" | "paid" | undefined, "unpaid" | "paid">;
  source: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

/** A fines lookup the assistant started and its result (migration 0008). */
export interface FinesChecksTable {
  id: string;
  conversation_id: string | null;
  channel: string;
  plate: string | null;
  image_ref: string | null;
  status: ColumnType<"pending" | "done" | "unreadable" | "unsure" | "failed", "pending" | undefined, "pending" | "done" | "unreadable" | "unsure" | "failed">;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  delivery: "inline" | "async" | null;
  delivered_at: ColumnType<Date | null, never, Date | string | null>;
  created_at: CreatedAt;
  completed_at: ColumnType<Date | null, never, Date | string | null>;
}

/** The photo of a pending fines check (migration 0012): deleted once the check is settled. */
export interface FinesImagesTable {
  check_id: string;
  media_type: "image/jpeg" | "image/png" | "image/webp";
  data: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  created_at: CreatedAt;
}

/** One trace (migration 0009, observability/trace-store): the unit of trace retention. */
export interface TracesTable {
  trace_id: string;
  started_at: ColumnType<Date, Date | string, Date | string>;
  ended_at: ColumnType<Date, Date | string, Date | string>;
  duration_ms: number;
  root_name: string | null;
  span_count: number;
  error: boolean;
  conversation_id: string | null;
  channel: string | null;
  tool_names: ColumnType<string[], string[] | undefined, string[]>;
}

/** The spans of one write of one trace: in its batch (migration 0015), or as JSON (written before it). */
export interface TraceSpanGroupsTable {
  trace_id: string;
  /** The spans as JSON (StoredSpan objects, as observability/trace-store/span.ts defines them); null when batched. */
  spans: JSONColumnType<Array<Record<string, unknown>> | null, string | null, string | null>;
  /** The batch holding them (trace_span_batches); null for rows written before batches. */
  batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One write's span groups ([{ trace_id, spans }]) as JSON, raw-deflated (observability/trace-store/span-batch.ts). */
export interface TraceSpanBatchesTable {
  id: Generated<string>;
  spans: Uint8Array;
}

/** One agent turn (a `chat.turn` span) of a stored trace, indexed for search. */
export interface TraceTurnsTable {
  trace_id: string;
  span_id: string;
  conversation_id: string;
  channel: string;
  started_at: ColumnType<Date, Date | string, Date | string>;
  duration_ms: number;
  error: boolean;
  error_message: string | null;
  tool_names: ColumnType<string[], string[] | undefined, string[]>;
}

export interface DB {
  cars: CarsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  financing_quotes: FinancingQuotesTable;
  channel_inbound_messages: ChannelInboundMessagesTable;
  channel_outbound_messages: ChannelOutboundMessagesTable;
  channel_delivery_events: ChannelDeliveryEventsTable;
  channel_outbox: ChannelOutboxTable;
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_chunks: KnowledgeChunksTable;
  knowledge_terms: KnowledgeTermsTable;
  catalog_state: CatalogStateTable;
  catalog_changes: CatalogChangesTable;
  leads: LeadsTable;
  appointments: AppointmentsTable;
  csat_ratings: CsatRatingsTable;
  traffic_fines: TrafficFinesTable;
  fines_checks: FinesChecksTable;
  fines_images: FinesImagesTable;
  traces: TracesTable;
  trace_span_groups: TraceSpanGroupsTable;
  trace_span_batches: TraceSpanBatchesTable;
  trace_turns: TraceTurnsTable;
}
