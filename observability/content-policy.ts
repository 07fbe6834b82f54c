/**
 * The content-capture switch, enforced on every span of the process before it is exported or
 * stored (a span processor's `onEnding`, while the span is still writable):
 * - capture off (the default): attributes that hold prompts, messages, tool arguments and tool
 *   results are removed (the AI SDK is also told not to record them: recordInputs/recordOutputs);
 * - always: phone numbers and licence plates in any string attribute, event attribute, status
 *   message or span name are replaced by "[phone]" / "[plate]", and conversation ids that carry a
 *   phone number (WhatsApp: "wa:<number>") become a stable keyed pseudonym.
 */
import type { AttributeValue, Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { pseudonymousId, redactText } from "./redaction.ts";

export interface ContentPolicy {
  /** Keep prompts, messages and tool inputs/outputs in spans (redacted). Default false. */
  readonly captureContent: boolean;
  /** Key of the conversation-id pseudonyms (TELEMETRY_ID_KEY). */
  readonly idKey: string;
}

/** The pseudonym key when TELEMETRY_ID_KEY is not set (README: set a secret in production). */
export const DEFAULT_ID_KEY = "agent-harness-telemetry";

/** TELEMETRY_ID_KEY, or the default key. */
export const idKeyFromEnv = (): string => process.env.TELEMETRY_ID_KEY?.trim() || DEFAULT_ID_KEY;

/** Attributes whose value is conversation content: the AI SDK's (current and legacy conventions). */
const CONTENT_ATTRIBUTES = new Set([
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.system_instructions",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.prompt",
  "gen_ai.completion",
  "ai.prompt",
  "ai.prompt.messages",
  "ai.prompt.tools",
  "ai.response.text",
  "ai.response.toolCalls",
  "ai.response.object",
  "ai.response.reasoning",
  "ai.toolCall.args",
  "ai.toolCall.result",
  "ai.value",
  "ai.values",
]);

export const isContentAttribute = (key: string): boolean => CONTENT_ATTRIBUTES.has(key);

/**
 * Attributes whose values are names, enumerations or ids the software makes (never what a person
 * wrote): not scanned. Ids the model provider makes (response and tool-call ids) are long and
 * unique, so scanning them cost the most and could never find anything.
 */
const SAFE_ATTRIBUTES = new Set([
  "gen_ai.operation.name",
  "gen_ai.provider.name",
  "gen_ai.request.model",
  "gen_ai.response.model",
  "gen_ai.response.id",
  "gen_ai.response.finish_reasons",
  "gen_ai.agent.name",
  "gen_ai.tool.name",
  "gen_ai.tool.call.id",
  "gen_ai.tool.type",
  "db.system.name",
  "db.operation.name",
  "db.collection.name",
  "store.operation",
  "http.request.method",
  "chat.channel",
]);

/** Attributes that identify a conversation (ours and the GenAI convention's). */
const isConversationIdAttribute = (key: string): boolean => key === "gen_ai.conversation.id" || key.endsWith("conversation_id");

/**
 * Span names, statement texts and most attribute values repeat turn after turn, and a statement's
 * "$1" sends it through every pattern: texts found clean are remembered (at most CLEAN_TEXTS, the
 * map starts over when full). A text that carries personal data is never kept.
 */
const CLEAN_TEXTS = 2_048;
const MAX_REMEMBERED_LENGTH = 1_024;
const clean = new Set<string>();
const redactSpanText = (text: string): string => {
  if (clean.has(text)) return text;
  const redacted = redactText(text);
  if (redacted === text && text.length <= MAX_REMEMBERED_LENGTH) {
    if (clean.size >= CLEAN_TEXTS) clean.clear();
    clean.add(text);
  }
  return redacted;
};

const redactValue = (value: AttributeValue): AttributeValue => {
  if (typeof value === "string") return redactSpanText(value);
  if (Array.isArray(value) && value.some((item) => typeof item === "string")) return (value as unknown[]).map((item) => (typeof item === "string" ? redactSpanText(item) : item)) as AttributeValue;
  return value;
};

/** Applies the policy to an attribute map in place. */
export const applyPolicy = (attributes: Record<string, AttributeValue | undefined>, policy: ContentPolicy): void => {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    if (SAFE_ATTRIBUTES.has(key)) continue;
    if (!policy.captureContent && isContentAttribute(key)) delete attributes[key];
    else if (isConversationIdAttribute(key) && typeof value === "string") attributes[key] = pseudonymousId(value, policy.idKey);
    else attributes[key] = redactValue(value);
  }
};

export class ContentPolicyProcessor implements SpanProcessor {
  constructor(private readonly policy: ContentPolicy) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    applyPolicy(span.attributes as Record<string, AttributeValue | undefined>, this.policy);
    for (const event of span.events) if (event.attributes) applyPolicy(event.attributes as Record<string, AttributeValue | undefined>, this.policy);
    if (span.status.message) span.status.message = redactText(span.status.message);
    const name = redactSpanText(span.name);
    if (name !== span.name) span.updateName(name);
  }

  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
