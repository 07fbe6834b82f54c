/**
 * Save as golden conversation: a real conversation (its stored turns: what the user wrote, the
 * tools the agent called with their arguments, what it answered) becomes a golden conversation in
 * the evals/conversations format (evals/conversation-spec.ts). The observed tool calls become the
 * turn's `tools` expectations, to be edited down to the key arguments; the reply seen is a
 * comment above each turn, to turn into `says` checks. Used by the inspector's "save as golden"
 * button (observability/inspector) and by `npm run eval:from-conversation`.
 */
import { createHash } from "node:crypto";
import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from "yaml";
import { TOOL_NAMES } from "../tools/contracts.ts";

export interface ObservedToolCall {
  readonly name: string;
  readonly input: unknown;
}

export interface ObservedExchange {
  /** What the user wrote (may be empty for a WhatsApp message that is only media). */
  readonly user: string;
  /** Content types of what the user attached (WhatsApp media). */
  readonly media?: ReadonlyArray<string>;
  readonly toolCalls: ReadonlyArray<ObservedToolCall>;
  readonly reply: string;
}

export interface ObservedConversation {
  readonly conversationId: string;
  /** The channel it lived on: http, web, whatsapp (anything else is played on the agent). */
  readonly channel: string;
  readonly exchanges: ReadonlyArray<ObservedExchange>;
  readonly savedAt?: Date;
}

export interface GoldenFile {
  /** The conversation id in the spec (kebab-case). */
  readonly id: string;
  /** Suggested file name under evals/conversations/. */
  readonly file: string;
  readonly yaml: string;
}

/** The spec allows at most this many turns per conversation. */
export const MAX_GOLDEN_TURNS = 8;
const KNOWN_TOOLS = new Set<string>(Object.values(TOOL_NAMES));
const CHANNELS: Record<string, string> = { http: "http", web: "web", whatsapp: "whatsapp" };

const slug = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");

/** A kebab-case id; WhatsApp ids carry phone numbers, so they are hashed instead. */
export const goldenId = (conversationId: string, channel: string): string => {
  const hash = createHash("sha256").update(conversationId).digest("hex").slice(0, 8);
  const readable = channel === "whatsapp" || /\d{7,}/.test(conversationId) ? "" : slug(conversationId);
  return ["saved", slug(channel) || "agent", readable || hash].join("-");
};

const isEmptyObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

const toolExpectation = (call: ObservedToolCall): unknown => (call.input === undefined || call.input === null || isEmptyObject(call.input) ? call.name : { [call.name]: call.input });

const oneLine = (text: string, max = 300) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

/** The golden conversation YAML (one conversation, a list as the files hold). */
export const goldenFromConversation = (conversation: ObservedConversation): GoldenFile => {
  const id = goldenId(conversation.conversationId, conversation.channel);
  const playable = conversation.exchanges.filter((e) => e.user.trim() !== "" || (conversation.channel === "whatsapp" && (e.media ?? []).length > 0));
  const kept = playable.slice(0, MAX_GOLDEN_TURNS);
  const unknownTools = new Set<string>();
  const turns = kept.map((exchange) => {
    const calls = exchange.toolCalls.filter((call) => {
      if (KNOWN_TOOLS.has(call.name)) return true;
      unknownTools.add(call.name);
      return false;
    });
    return {
      user: exchange.user,
      ...(conversation.channel === "whatsapp" && (exchange.media ?? []).length > 0 ? { whatsapp_media: [...exchange.media!] } : {}),
      tools: calls.map(toolExpectation),
    };
  });
  const date = (conversation.savedAt ?? new Date()).toISOString().slice(0, 10);
  const spec = {
    id,
    description: `Conversación real guardada desde el inspector (${conversation.channel}, ${date})`,
    tags: ["from-inspector"],
    channels: [CHANNELS[conversation.channel] ?? "agent"],
    turns,
  };
  const doc = new Document([spec]);
  const header = [
    ` Saved from the inspector: conversation ${conversation.channel === "whatsapp" ? "(WhatsApp, id withheld)" : conversation.conversationId} on ${date}.`,
    " The observed tool calls are the expectations: keep the key arguments, drop the rest, and turn",
    " the replies noted above each turn into says / not_says checks. Review it for personal data",
    ` (names, phone numbers, plates) before committing. Check it: npm run eval -- --only ${id}`,
  ];
  if (playable.length > kept.length) header.push(` Only the first ${MAX_GOLDEN_TURNS} of ${playable.length} turns are kept (the format's limit).`);
  if (unknownTools.size > 0) header.push(` Calls to tools the registry does not know were left out: ${[...unknownTools].join(", ")}.`);
  doc.commentBefore = header.join("\n");
  const root = doc.contents as YAMLSeq;
  const specNode = root.items[0] as YAMLMap;
  const turnsNode = specNode.get("turns", true);
  if (isSeq(turnsNode))
    turnsNode.items.forEach((node, i) => {
      const reply = kept[i]?.reply ?? "";
      if (isMap(node) && reply.trim() !== "") node.commentBefore = ` reply seen: ${oneLine(reply)}`;
    });
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return { id, file: `${id}.yaml`, yaml };
};
