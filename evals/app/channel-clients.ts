/**
 * One user turn through each channel, as that channel's client sees it, compared with what the
 * agent itself answered (the app under test records every turn, app-under-test.ts):
 *   - agent: Agent.reply in process (no channel);
 *   - http: POST /v1/conversations/{id}/messages (also against a remote server, EVAL_TARGET);
 *   - whatsapp: a webhook signed exactly as Twilio signs it; the reply is whatever reaches the
 *     user, inline TwiML or messages through the Messages API (the stand-in), rejoined;
 *   - web: the widget's POST /api/chat, read as the AI SDK UI message stream.
 */
import { context as otelContext } from "@opentelemetry/api";
import { randomBytes, randomUUID } from "node:crypto";
import twilio from "twilio";
import { Agent } from "../../core/agent.ts";
import type { TurnRecord } from "../conversation-run.ts";
import type { ToolCall } from "../expectations.ts";
import { parentContext } from "../trace-context.ts";
import { WHATSAPP, type AppUnderTest, type RecordedTurn } from "./app-under-test.ts";
import type { Photo } from "./photos.ts";

export type ChannelTurn = Omit<TurnRecord, "user" | "latencyMs" | "faultsFired">;

/** How long a channel may take to deliver a turn after the agent finished (REST sends, queues). */
const DELIVERY_WAIT_MS = 4_000;
/** How long the agent may take to answer a turn that went through a channel. */
const TURN_WAIT_MS = 30_000;

/** Text without whitespace, for comparing a delivery (split into messages) with the reply it carries. */
export const squashSpaces = (text: string) => text.replace(/\s+/g, "");

const sameCalls = (a: ReadonlyArray<ToolCall>, b: ReadonlyArray<ToolCall>) => JSON.stringify(a) === JSON.stringify(b);

/** What the agent's own record of the turn says, when the channel delivered something else. */
const compareWithAgent = (recorded: RecordedTurn | undefined, reply: string, calls: ReadonlyArray<ToolCall> | undefined, what: string): string[] => {
  if (recorded === undefined) return [`the agent has no record of this turn (the channel never called it?)`];
  if (recorded.result === undefined) return [];
  const problems: string[] = [];
  if (squashSpaces(reply) !== squashSpaces(recorded.result.reply.text))
    problems.push(`${what} differs from the agent's reply: delivered ${JSON.stringify(reply.slice(0, 200))}${reply.length > 200 ? "…" : ""} (${reply.length} chars), the agent answered ${recorded.result.reply.text.length} chars: ${JSON.stringify(recorded.result.reply.text.slice(0, 200))}`);
  if (calls !== undefined && !sameCalls(calls, recorded.result.toolCalls)) problems.push(`${what}: the tool calls differ from the agent's`);
  return problems;
};

/** The words a message made only of a photo reaches the agent as, on every channel (a customer's words, in Spanish). */
export const PHOTO_ONLY_TEXT = "Te envío una foto.";

/** A photo sent without text must reach the agent as PHOTO_ONLY_TEXT: it is stored, shown again in the history and read by the model. */
const photoOnlyProblems = (recorded: RecordedTurn | undefined, text: string, photo: Photo | undefined, what: string): string[] =>
  photo !== undefined && text === "" && recorded !== undefined && recorded.text !== PHOTO_ONLY_TEXT
    ? [`${what}: a photo sent without text reached the agent as ${JSON.stringify(recorded.text.slice(0, 80))}, not ${JSON.stringify(PHOTO_ONLY_TEXT)}`]
    : [];

/** The agent's answer to this message: its last successful call since the message was sent, else its last call. */
const answerOf = (calls: ReadonlyArray<RecordedTurn>): RecordedTurn | undefined => [...calls].reverse().find((c) => c.result !== undefined) ?? calls.at(-1);

const fromRecorded = (recorded: RecordedTurn | undefined) => ({
  toolCalls: recorded?.result?.toolCalls ?? [],
  traceId: recorded?.result?.traceId ?? "",
});

// ---------------------------------------------------------------- agent (in process)

export const agentTurn = async (app: AppUnderTest, conversationId: string, text: string, traceparent: string | undefined, photo?: Photo): Promise<ChannelTurn> => {
  try {
    const turn = await otelContext.with(parentContext(traceparent), () =>
      app.runtime.runPromise(Agent.use((agent) => agent.reply({ conversationId, text: text === "" && photo ? PHOTO_ONLY_TEXT : text, channel: "eval", ...(photo ? { attachments: [photo] } : {}) }))),
    );
    return { reply: turn.reply.text, toolCalls: turn.toolCalls, traceId: turn.traceId };
  } catch (error) {
    const recorded = app.turns.calls(conversationId).at(-1);
    const reason = (recorded?.error as { reason?: string } | undefined)?.reason;
    if (reason === undefined) throw error;
    return { reply: "", toolCalls: [], traceId: "", failure: { code: `agent_${reason}`, message: String((error as Error)?.message ?? error).slice(0, 200) } };
  }
};

// ---------------------------------------------------------------- HTTP API

interface HttpTurnBody {
  readonly reply: { readonly text: string };
  readonly toolCalls: ReadonlyArray<ToolCall>;
  readonly traceId: string;
}

export const httpTurn = async (baseUrl: string, conversationId: string, text: string, traceparent: string | undefined, app?: AppUnderTest, photo?: Photo): Promise<ChannelTurn> => {
  const sentAt = Date.now();
  const image = photo === undefined ? undefined : { mediaType: photo.mediaType, data: Buffer.from(photo.data).toString("base64") };
  const response = await fetch(`${baseUrl}/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(traceparent === undefined ? {} : { traceparent }) },
    body: JSON.stringify({ ...(text === "" && image ? {} : { text }), ...(image ? { image } : {}) }),
  });
  const raw = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  if (app) await app.turns.waitUntil(() => app.turns.calls(conversationId, sentAt).length > 0, 5_000);
  const recorded = app ? answerOf(app.turns.calls(conversationId, sentAt)) : undefined;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status >= 500 && response.status !== 503) throw new Error(`POST messages answered ${response.status}: ${raw.slice(0, 300)}`);
    return { reply: "", ...fromRecorded(recorded), failure: { status: response.status, code: error?.code, message: error?.message }, channelProblems: error?.code === undefined ? [`HTTP ${response.status} without the error shape {"error": {"code", "message"}}`] : [] };
  }
  const turn = body as HttpTurnBody;
  if (typeof turn?.reply?.text !== "string") throw new Error(`POST messages answered 200 without reply.text: ${raw.slice(0, 300)}`);
  return {
    reply: turn.reply.text,
    toolCalls: turn.toolCalls,
    traceId: turn.traceId,
    channelProblems: app ? compareWithAgent(recorded, turn.reply.text, turn.toolCalls, "the HTTP reply") : [],
  };
};

// ---------------------------------------------------------------- WhatsApp (Twilio)

/** A Mexican mobile number of the eval's own (digits only), unique per conversation. */
export const newWhatsAppNumber = (): string => `52155${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, "0")}`;

const unescapeXml = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The <Message> bodies of a TwiML answer (a <Message> may wrap its text in <Body>). */
export const twimlMessages = (xml: string): string[] =>
  [...xml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map((m) => unescapeXml((m[1]!.match(/<Body>([\s\S]*?)<\/Body>/)?.[1] ?? m[1]!).trim()));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sent without a traceparent: the reply is made by a queued job in a trace of its own (read back
 * by the turn's trace id); a webhook handled inside the test's trace would hand that context to
 * whichever job its notification wakes, another test's included.
 */
/** A 1×1 PNG: a real image for the channel to download and hand to the agent. */
const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

export const whatsappTurn = async (app: AppUnderTest, number: string, text: string, sentMedia: ReadonlyArray<string> = [], photo?: Photo): Promise<ChannelTurn> => {
  const address = `whatsapp:+${number}`;
  const sid = `SM${randomUUID().replace(/-/g, "")}`;
  const mediaParams: Record<string, string> = {};
  // A turn's photo goes first, as WhatsApp media like any other image.
  const media = photo === undefined ? sentMedia : [photo.mediaType, ...sentMedia];
  for (const [i, type] of media.entries()) {
    const data = i === 0 && photo !== undefined ? Buffer.from(photo.data) : IMAGE_TYPES.has(type) ? TINY_PNG : Buffer.from("OggS not an image");
    mediaParams[`MediaUrl${i}`] = app.twilio.addMedia(type, data);
    mediaParams[`MediaContentType${i}`] = type;
  }
  const params: Record<string, string> = {
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ...mediaParams,
    ProfileName: "Cliente Eval",
    MessageType: media.length > 0 ? "image" : "text",
    SmsSid: sid,
    WaId: number,
    SmsStatus: "received",
    Body: text,
    To: WHATSAPP.from,
    NumSegments: "1",
    ReferralNumMedia: "0",
    MessageSid: sid,
    AccountSid: WHATSAPP.accountSid,
    From: address,
    ApiVersion: "2010-04-01",
  };
  const path = "/channels/whatsapp/webhook";
  const signature = twilio.getExpectedTwilioSignature(WHATSAPP.authToken, `${WHATSAPP.publicBaseUrl}${path}`, params);
  const sentAt = Date.now();
  const sentBefore = app.twilio.sent.length;
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "TwilioProxy/1.1",
      "x-twilio-signature": signature,
    },
    body: new URLSearchParams(params),
  });
  const answer = await response.text();
  if (!response.ok) throw new Error(`the WhatsApp webhook answered ${response.status} to a correctly signed message: ${answer.slice(0, 200)}`);
  const inline = /<Response/i.test(answer) ? twimlMessages(answer) : [];
  // What reached the user: the inline answer and the REST messages to this number since.
  const delivered = () => [...inline, ...app.twilio.sent.slice(sentBefore).filter((m) => m.to === address).map((m) => m.body)];
  const calls = () => app.turns.calls(number, sentAt);
  const agentReply = () => answerOf(calls())?.result?.reply.text;
  // Done when the delivery carries the agent's reply, or (every call failed) an apology settled.
  let lastCount = -1;
  let stableSince = Date.now();
  await app.turns.waitUntil(() => {
    const parts = delivered();
    if (parts.length !== lastCount) {
      lastCount = parts.length;
      stableSince = Date.now();
    }
    const expected = agentReply();
    if (expected !== undefined && media.length === 0 && squashSpaces(parts.join("\n\n")) === squashSpaces(expected)) return true;
    return parts.length > 0 && Date.now() - stableSince > (expected === undefined ? 1_500 : 600) && calls().length > 0;
  }, TURN_WAIT_MS);
  const parts = delivered();
  const reply = parts.join("\n\n");
  const recorded = answerOf(calls());
  const problems: string[] = [];
  if (recorded === undefined) problems.push(`the agent was not called within ${TURN_WAIT_MS} ms`);
  if (parts.length === 0) problems.push("nothing was delivered to the user (no TwiML message, no REST message)");
  for (const [i, part] of parts.entries()) if (part.length > 1600) problems.push(`message ${i + 1} has ${part.length} characters (WhatsApp's limit is 1,600)`);
  const expected = recorded?.result?.reply.text;
  if (expected !== undefined && expected.length <= 1600 && parts.length > 1) problems.push(`a ${expected.length}-character reply was split into ${parts.length} messages`);
  if (app.twilio.refused.length > 0) problems.push(`Twilio refused: ${app.twilio.refused.join("; ")}`);
  const images = media.filter((type) => IMAGE_TYPES.has(type)).length;
  if (media.length === 0) {
    problems.push(...compareWithAgent(recorded, reply, undefined, "the WhatsApp delivery"));
    // Each message is a verbatim piece of the reply: cut between paragraphs, lines, sentences, never reflowed.
    if (expected !== undefined)
      for (const [i, part] of parts.entries()) if (!expected.includes(part.trim())) problems.push(`message ${i + 1} is not a verbatim piece of the agent's reply: ${JSON.stringify(part.slice(0, 120))}`);
  }
  else if (recorded !== undefined) {
    // Photos reach the agent as attachments; what the channel cannot open it says in a note after the reply.
    if (recorded.attachments !== images) problems.push(`${images} image(s) sent, the agent got ${recorded.attachments} attachment(s)`);
    // Photos without words: the agent is told, in Spanish, how many came.
    if (text === "" && images > 0 && !(images === 1 ? /\buna foto\b/i : new RegExp(`\\b${images} fotos\\b`, "i")).test(recorded.text))
      problems.push(`${images} photo(s) without text reached the agent as ${JSON.stringify(recorded.text)}`);
    const said = recorded.result?.reply.text;
    if (said !== undefined && !squashSpaces(reply).startsWith(squashSpaces(said))) problems.push(`the WhatsApp delivery does not carry the agent's reply first: ${JSON.stringify(reply.slice(0, 160))}`);
    if (said !== undefined && images < media.length && squashSpaces(reply).length <= squashSpaces(said).length) problems.push("media the channel cannot open got no note");
  }
  return {
    reply,
    ...fromRecorded(recorded),
    ...(recorded?.result === undefined && recorded?.error !== undefined ? { failure: { code: `agent_${recorded.error.reason}` } } : {}),
    channelProblems: problems,
  };
};

// ---------------------------------------------------------------- web widget

/** The widget's browser id: 16-100 of [A-Za-z0-9_-]. */
export const newWebClientId = (): string => `eval${randomUUID().replace(/-/g, "")}`;

interface UiChunk {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The chunks of an AI SDK UI message stream (SSE: `data: {json}` events, then `data: [DONE]`). */
export const readUiStream = (body: string): { chunks: UiChunk[]; done: boolean; malformed: string[] } => {
  const chunks: UiChunk[] = [];
  const malformed: string[] = [];
  let done = false;
  for (const event of body.split(/\n\n/)) {
    const data = event
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    if (data === "") continue;
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    try {
      chunks.push(JSON.parse(data) as UiChunk);
    } catch {
      malformed.push(data.slice(0, 80));
    }
  }
  return { chunks, done, malformed };
};

export const webTurn = async (app: AppUnderTest, clientId: string, text: string, traceparent: string | undefined, photo?: Photo): Promise<ChannelTurn> => {
  const sentAt = Date.now();
  // A photo goes as useChat sends one: a file part (data: URL) of the last user message.
  const body =
    photo === undefined
      ? { conversationId: clientId, text }
      : {
          id: clientId,
          trigger: "submit-message",
          messages: [{ id: randomUUID(), role: "user", parts: [...(text === "" ? [] : [{ type: "text", text }]), { type: "file", mediaType: photo.mediaType, filename: "placa.png", url: `data:${photo.mediaType};base64,${Buffer.from(photo.data).toString("base64")}` }] }],
        };
  const response = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(traceparent === undefined ? {} : { traceparent }) },
    body: JSON.stringify(body),
  });
  const raw = await response.text();
  await app.turns.waitUntil(() => app.turns.calls(clientId, sentAt).length > 0, TURN_WAIT_MS);
  const recorded = answerOf(app.turns.calls(clientId, sentAt));
  if (!response.ok) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(raw) as { error?: { code?: string; message?: string } }).error;
    } catch {
      error = undefined;
    }
    if (response.status !== 503) throw new Error(`POST /api/chat answered ${response.status}: ${raw.slice(0, 300)}`);
    return { reply: "", ...fromRecorded(recorded), failure: { status: response.status, code: error?.code, message: error?.message }, channelProblems: [] };
  }
  const problems: string[] = [...photoOnlyProblems(recorded, text, photo, "the widget")];
  if (response.headers.get("x-vercel-ai-ui-message-stream") !== "v1") problems.push(`header x-vercel-ai-ui-message-stream is ${JSON.stringify(response.headers.get("x-vercel-ai-ui-message-stream"))}, not "v1"`);
  const { chunks, done, malformed } = readUiStream(raw);
  if (malformed.length > 0) problems.push(`malformed stream events: ${malformed.join(" | ")}`);
  if (!done) problems.push("the stream did not end with [DONE]");
  const types = chunks.map((c) => c.type);
  if (types[0] !== "start") problems.push(`the stream starts with ${JSON.stringify(types[0])}, not "start"`);
  const errorChunk = chunks.find((c) => c.type === "error");
  if (errorChunk === undefined && !types.includes("finish")) problems.push('the stream has no "finish" chunk');
  const textParts = new Map<string, string>();
  for (const chunk of chunks) {
    if (chunk.type === "text-start") textParts.set(String(chunk.id), textParts.get(String(chunk.id)) ?? "");
    if (chunk.type === "text-delta") {
      if (!textParts.has(String(chunk.id))) problems.push(`text-delta for ${String(chunk.id)} before its text-start`);
      textParts.set(String(chunk.id), `${textParts.get(String(chunk.id)) ?? ""}${String(chunk.delta ?? "")}`);
    }
  }
  const ends = new Set(chunks.filter((c) => c.type === "text-end").map((c) => String(c.id)));
  for (const id of textParts.keys()) if (!ends.has(id)) problems.push(`text part ${id} never ends`);
  const reply = [...textParts.values()].join("").trim();
  // Tool activity: every call the agent made is shown with its input and its output.
  const inputs = chunks.filter((c) => c.type === "tool-input-available");
  const outputs = chunks.filter((c) => c.type === "tool-output-available");
  const streamedCalls: ToolCall[] = inputs.map((c) => ({ name: String(c.toolName), input: c.input, output: outputs.find((o) => o.toolCallId === c.toolCallId)?.output }));
  if (errorChunk === undefined) problems.push(...compareWithAgent(recorded, reply, streamedCalls, "the widget's stream"));
  return {
    reply,
    ...fromRecorded(recorded),
    ...(errorChunk !== undefined ? { failure: { code: "stream_error", message: String(errorChunk.errorText ?? "") } } : {}),
    channelProblems: problems,
  };
};
