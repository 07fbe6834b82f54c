/**
 * The HTTP API's contract as zod schemas: the routes validate requests with them and the OpenAPI
 * document (openapi.ts) is generated from them, so the two cannot drift. `.meta({ id })` names a
 * schema as an OpenAPI component.
 */
import { z } from "zod";
import { CONVERSATION_ID_PATTERN, MAX_USER_TEXT_LENGTH } from "../../core/turn.ts";
import { ALLOWED_TERMS } from "../../knowledge/financing/financing-math.ts";

/** Text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate (JSON allows both). */
export const storableText = (text: string): boolean => !text.includes("\u0000") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

// ---- errors -------------------------------------------------------------------------------------

export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() }).meta({ id: "FieldError" });

export const errorSchema = z
  .object({
    error: z.looseObject({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. invalid_body, rate_limited, storage_unavailable.", example: "invalid_body" }),
      message: z.string().meta({ description: "What went wrong, for a developer (English)." }),
      field: z.string().optional().meta({ description: "The request field at fault, when there is one." }),
      fields: z.array(fieldErrorSchema).optional().meta({ description: "Every field at fault, when several are." }),
    }),
  })
  .meta({ id: "Error", description: 'Every error: {"error": {"code", "message"}} (some add field/fields/rows).' });

// ---- conversations ------------------------------------------------------------------------------

export const conversationIdSchema = z
  .string()
  .regex(CONVERSATION_ID_PATTERN, "conversationId must be 1-128 characters of A-Z, a-z, 0-9, _ . : -")
  .refine((id) => !/^(wa|web):/.test(id), "Ids starting with wa: or web: belong to other channels; choose another id.")
  .meta({ description: "Chosen by the client: 1-128 characters of [A-Za-z0-9_.:-], not starting with wa: or web:.", example: "demo-1" });

export const conversationPathSchema = z.object({ conversationId: conversationIdSchema });

const messageTextSchema = z
  .string({ error: "text is required and must be a string" })
  .refine((text) => text.trim().length > 0, "text must not be empty")
  .refine((text) => text.length <= MAX_USER_TEXT_LENGTH, `text must be at most ${MAX_USER_TEXT_LENGTH} characters`)
  .refine(storableText, "text must be well-formed Unicode without NUL characters");

export const messageImageSchema = z
  .object({
    mediaType: z.string({ error: "image.mediaType is required" }).max(100).meta({ description: "image/jpeg, image/png or image/webp (415 unsupported_image_type otherwise).", example: "image/jpeg" }),
    data: z.string({ error: "image.data is required (base64)" }).meta({ description: "The image's bytes in base64, 5 MB at most once decoded (413 image_too_large); they must be the declared type (400 invalid_image)." }),
    filename: z.string().max(200).optional(),
  })
  .meta({ id: "MessageImage", description: "A photo sent with the message (e.g. of a car's plate, for its traffic fines). Kept only while it is processed." });

export const messageRequestSchema = z
  .object({
    text: messageTextSchema
      .optional()
      .meta({ description: `The user's message (1-${MAX_USER_TEXT_LENGTH} characters); may be left out when an image is sent.`, example: "Busco un Nissan Versa" }),
    image: messageImageSchema.optional(),
  })
  .refine((body) => body.text !== undefined || body.image !== undefined, { message: "text is required and must be a string", path: ["text"] })
  .meta({ id: "MessageRequest" });

export const toolCallSchema = z.object({ name: z.string(), input: z.unknown(), output: z.unknown() }).meta({ id: "ToolCall" });

export const messageReplySchema = z
  .object({
    conversationId: z.string(),
    reply: z.object({ text: z.string() }),
    toolCalls: z.array(toolCallSchema),
    traceId: z.string().meta({ description: "The turn's OpenTelemetry trace id (GET /v1/traces/{traceId})." }),
  })
  .meta({ id: "MessageReply" });

export const historySchema = z
  .object({
    conversationId: z.string(),
    messages: z.array(z.object({ role: z.enum(["user", "assistant"]), text: z.string(), createdAt: z.string().meta({ format: "date-time" }) })),
  })
  .meta({ id: "ConversationHistory" });

// ---- financing ----------------------------------------------------------------------------------

const pesos = (field: string) => z.number({ error: `${field} must be a number of pesos` }).int(`${field} must be whole pesos (no cents)`);

export const quoteRequestSchema = z
  .object({
    stockId: z.number({ error: "stockId must be a positive integer" }).int("stockId must be a positive integer").positive("stockId must be a positive integer").max(2_147_483_647, "stockId is too large").optional(),
    price: pesos("price").positive("price must be greater than 0").max(100_000_000, "price must be at most 100,000,000").optional(),
    downPayment: pesos("downPayment").nonnegative("downPayment must be 0 or more").max(100_000_000, "downPayment must be at most 100,000,000").default(0),
    termMonths: z
      .array(z.number({ error: "termMonths must be a list of months" }).int("termMonths must be among 36, 48, 60, 72"), { error: "termMonths must be a list of months" })
      .min(1, "termMonths must list at least one term")
      .max(4, "termMonths lists at most 4 terms")
      .refine((terms) => terms.every((t) => (ALLOWED_TERMS as ReadonlyArray<number>).includes(t)), "termMonths must be among 36, 48, 60, 72")
      .default([...ALLOWED_TERMS]),
  })
  .strict()
  .refine((body) => (body.stockId === undefined) !== (body.price === undefined), { message: "give exactly one of stockId or price", path: ["stockId"] })
  .meta({ id: "QuoteRequest", description: "Exactly one of stockId (a catalog car) or price (integer pesos)." });

export const quoteIdSchema = z.string().regex(/^q_[0-9a-f-]{36}$/, "not a quote id").meta({ example: "q_3f2b8c1e-0a4d-4e7b-9c1a-2d3e4f5a6b7c" });

const decimal = z.string().regex(/^-?\d+\.\d{2}$/).meta({ description: "Pesos as a decimal string with two decimals.", example: "5478.29" });

export const quoteSchema = z
  .object({
    id: z.string(),
    stockId: z.number().int().nullable(),
    price: z.number().int(),
    downPayment: z.number().int(),
    financed: z.number().int(),
    annualRate: z.string().meta({ example: "0.10" }),
    createdAt: z.string().meta({ format: "date-time" }),
    plans: z.array(
      z.object({
        termMonths: z.number().int(),
        monthlyPayment: decimal,
        totalPaid: decimal,
        totalInterest: decimal,
        schedule: z.array(z.object({ month: z.number().int(), payment: decimal, interest: decimal, principal: decimal, balance: decimal })),
      }),
    ),
  })
  .meta({ id: "Quote" });

// ---- knowledge and traces -----------------------------------------------------------------------

export const MAX_QUERY_LENGTH = 500;
export const MAX_KNOWLEDGE_LIMIT = 10;

export const knowledgeQuerySchema = z.object({
  q: z
    .string({ error: `Give the question in the q parameter (1 to ${MAX_QUERY_LENGTH} characters).` })
    .trim()
    .min(1, `Give the question in the q parameter (1 to ${MAX_QUERY_LENGTH} characters).`)
    .max(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters.`)
    .refine(storableText, "q must be well-formed Unicode without NUL characters.")
    .meta({ example: "¿Cuánto dura la garantía?" }),
  limit: z
    .string({ error: `limit must be an integer from 1 to ${MAX_KNOWLEDGE_LIMIT}.` })
    .regex(/^\d{1,3}$/, `limit must be an integer from 1 to ${MAX_KNOWLEDGE_LIMIT}.`)
    .transform(Number)
    .pipe(z.number().int().min(1, `limit must be an integer from 1 to ${MAX_KNOWLEDGE_LIMIT}.`).max(MAX_KNOWLEDGE_LIMIT, `limit must be an integer from 1 to ${MAX_KNOWLEDGE_LIMIT}.`))
    .optional()
    .meta({ description: `1-${MAX_KNOWLEDGE_LIMIT}, default 3.` }),
});

export const knowledgeResultsSchema = z
  .object({
    query: z.string(),
    results: z.array(
      z.object({
        title: z.string(),
        topic: z.string(),
        text: z.string(),
        score: z.number(),
        reference: z.string().optional(),
        source: z.string(),
        heading: z.string(),
      }),
    ),
  })
  .meta({ id: "KnowledgeResults" });

export const traceIdSchema = z.string().regex(/^[0-9a-fA-F]{1,64}$/).meta({ description: "A turn's trace id (32 hex characters).", example: "4bf92f3577b34da6a3ce929d0e0e4736" });

export const traceSchema = z.looseObject({ traceId: z.string(), spans: z.array(z.looseObject({})) }).meta({ id: "Trace" });

// ---- health -------------------------------------------------------------------------------------

const dependencySchema = z.looseObject({ status: z.enum(["up", "degraded", "down"]), detail: z.string() });

export const healthSchema = z
  .object({ ok: z.boolean(), dependencies: z.looseObject({ database: dependencySchema }).catchall(dependencySchema) })
  .meta({ id: "Health" });

// ---- fines, sales admin, inspector (responses; their requests are validated by the routers' own schemas) ----

const dateTime = z.string().meta({ format: "date-time" });
const carRef = z.object({ stockId: z.number().int(), title: z.string() }).nullable();

export const finesCheckSchema = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "done", "failed", "unreadable", "unsure"]),
    createdAt: dateTime,
    result: z.looseObject({ ok: z.boolean() }).meta({ description: "The check_fines tool's answer: status, plate, count, total and fines (amounts as decimal strings of pesos), or an error." }),
  })
  .meta({ id: "FinesCheck" });

export const leadSchema = z
  .looseObject({
    id: z.string(),
    conversationId: z.string(),
    channel: z.string(),
    name: z.string().nullable(),
    phone: z.string(),
    consent: z.boolean(),
    car: carRef,
    purpose: z.string(),
    callTime: z.string().nullable(),
    notes: z.string().nullable(),
    status: z.enum(["new", "contacted", "won", "lost"]),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "Lead" });

export const appointmentSchema = z
  .looseObject({
    id: z.string(),
    conversationId: z.string(),
    channel: z.string(),
    kind: z.enum(["visita", "prueba_de_manejo"]),
    sede: z.object({ id: z.string(), name: z.string(), city: z.string(), address: z.string() }),
    car: carRef,
    startsAt: dateTime,
    status: z.enum(["confirmed", "cancelled"]),
    version: z.number().int(),
    phone: z.string().nullable(),
    createdAt: dateTime,
  })
  .meta({ id: "Appointment" });

const count = z.number().int().nonnegative();
export const funnelSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    channel: z.string().nullable(),
    stages: z.object({ conversations: count, searched: count, viewedCar: count, quoted: count, lead: count, booked: count }),
    csat: z.object({ count, average: z.number().nullable() }),
  })
  .meta({ id: "Funnel" });

const turnRowSchema = z
  .looseObject({ traceId: z.string(), spanId: z.string(), conversationId: z.string(), channel: z.string(), startedAt: dateTime, durationMs: z.number(), error: z.boolean(), errorMessage: z.string().nullable(), toolNames: z.array(z.string()) })
  .meta({ id: "InspectorTurn" });

export const inspectorTurnsSchema = z.object({ turns: z.array(turnRowSchema) }).meta({ id: "InspectorTurns" });

export const inspectorConversationsSchema = z
  .object({
    conversations: z.array(z.looseObject({ conversationId: z.string(), channel: z.string(), turns: count, errors: count, firstAt: dateTime, lastAt: dateTime, maxDurationMs: z.number(), toolNames: z.array(z.string()) })),
  })
  .meta({ id: "InspectorConversations" });

export const inspectorConversationSchema = z
  .object({ conversationId: z.string(), channel: z.string().optional(), turns: z.array(z.looseObject({})), exchanges: count })
  .meta({ id: "InspectorConversation", description: "Its turns, each paired with the exchange (what was said, the tools called) it produced." });

export const inspectorTraceSchema = z
  .object({ traceId: z.string(), spans: z.array(z.looseObject({})), turns: z.array(turnRowSchema), toolCalls: z.record(z.string(), z.looseObject({})) })
  .meta({ id: "InspectorTrace" });

export const inspectorStatsSchema = z
  .object({ recentTraces: count, pendingSpans: count, droppedSpans: count, writtenSpans: count, prunedTraces: count, attached: z.boolean() })
  .meta({ id: "TraceStoreStats" });

export const goldenConversationSchema = z.looseObject({}).meta({ id: "GoldenConversation", description: "A golden conversation (evals/conversations/*.yaml format) as JSON." });

// ---- request helpers ----------------------------------------------------------------------------

/** A zod failure as the documented error's `fields`. */
export const fieldsOf = (error: z.ZodError) => error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || "(body)", message: issue.message }));
