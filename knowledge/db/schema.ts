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

/** One inbound channel message, by the provider's id (idempotency). Owned by knowledge/channel-events. */
export interface ChannelInboundMessagesTable {
  channel: string;
  external_id: string;
  conversation_id: string;
  status: ColumnType<"processing" | "answered", "processing" | "answered" | undefined, "processing" | "answered">;
  reply_parts: JSONColumnType<string[] | null, string | null | undefined, string | null>;
  delivery: "inline" | "rest" | null;
  received_at: CreatedAt;
  answered_at: ColumnType<Date | null, never, Date | null>;
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

export interface DB {
  cars: CarsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  financing_quotes: FinancingQuotesTable;
  channel_inbound_messages: ChannelInboundMessagesTable;
  channel_outbound_messages: ChannelOutboundMessagesTable;
  channel_delivery_events: ChannelDeliveryEventsTable;
}
