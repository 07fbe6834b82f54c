/**
 * The OpenAPI 3.1 document of every public and admin endpoint, generated from the zod schemas the
 * routes validate with (channels/http/schemas.ts, the admin router's, the widget's chat request,
 * WhatsApp's webhook forms). Served at /openapi.json; /docs renders it with Scalar from this server
 * (no CDN). A test (openapi.test.ts) checks real responses against it.
 */
import { z } from "zod";
import { createDocument } from "zod-openapi";
import { carInput, carPatch } from "../../knowledge/catalog/search/car-input.ts";
import { chatRequestSchema, clientIdSchema } from "../web/chat-request.ts";
import { inboundFormSchema, statusFormSchema } from "../whatsapp/inbound.ts";
import { inspectorConversationPathSchema, inspectorTracePathSchema, turnFilterQuerySchema } from "../../observability/inspector/router.ts";
import { importQuerySchema, jsonImportSchema, listQuerySchema, stockIdSchema } from "./catalog-admin/router.ts";
import { finesCheckPathSchema } from "./fines-router.ts";
import { appointmentIdSchema, appointmentQuery, funnelQuery, leadChange, leadPathSchema, leadQuery } from "./sales-admin.ts";
import {
  appointmentSchema,
  conversationPathSchema,
  errorSchema,
  finesCheckSchema,
  funnelSchema,
  goldenConversationSchema,
  inspectorConversationSchema,
  inspectorConversationsSchema,
  inspectorStatsSchema,
  inspectorTraceSchema,
  inspectorTurnsSchema,
  leadSchema,
  healthSchema,
  historySchema,
  knowledgeQuerySchema,
  knowledgeResultsSchema,
  messageReplySchema,
  messageRequestSchema,
  quoteIdSchema,
  quoteRequestSchema,
  quoteSchema,
  traceIdSchema,
  traceSchema,
} from "./schemas.ts";

const json = (schema: z.ZodType) => ({ "application/json": { schema } });

const error = (description: string) => ({ description, content: json(errorSchema) });

const rateLimited = {
  description: "Rate limit reached (per IP, per conversation or per admin key); retry after Retry-After seconds.",
  headers: z.object({ "retry-after": z.string().meta({ description: "Seconds until the limit resets." }) }),
  content: json(errorSchema),
};

/** Errors any route may answer: malformed requests at the HTTP level and the limits. */
const common = {
  "400": error("Malformed request: bad percent-encoding in the path, an undecodable body encoding, malformed JSON, or a field that fails validation."),
  "413": error("Body over the endpoint's limit."),
  "415": error("Unsupported Content-Type, Content-Encoding or charset."),
  "431": error("Request headers too large (answered by the HTTP layer)."),
};

const chatErrors = { ...common, "403": error("A browser origin not in WIDGET_ALLOWED_ORIGINS (the refusal carries CORS headers)."), "429": rateLimited, "503": error("The model or the store is unavailable, or the turn timed out; nothing stored is lost.") };

const carSchema = z
  .object({
    stockId: z.number().int(),
    make: z.string(),
    model: z.string(),
    year: z.number().int(),
    version: z.string(),
    price: z.number().int(),
    km: z.number().int(),
    bluetooth: z.boolean().nullable(),
    carPlay: z.boolean().nullable(),
    transmission: z.enum(["automatica", "manual"]).nullable(),
    lengthMm: z.number().int().nullable(),
    widthMm: z.number().int().nullable(),
    heightMm: z.number().int().nullable(),
    bodyType: z.enum(["sedan", "hatchback", "suv", "pickup", "minivan", "coupe"]).nullable(),
    seats: z.number().int().nullable(),
  })
  .meta({ id: "Car" });

const carPageSchema = z.object({ cars: z.array(carSchema), total: z.number().int(), offset: z.number().int(), limit: z.number().int() }).meta({ id: "CarPage" });

const importResultSchema = z
  .object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int(), rejected: z.array(z.looseObject({ line: z.number().int() })) })
  .meta({ id: "ImportResult" });

const adminErrors = {
  ...common,
  "401": error("No API key, or not a configured one."),
  "429": rateLimited,
  "503": error("Admin API disabled (no ADMIN_API_KEYS), or the catalog store is unavailable."),
};

const stockIdPath = { path: z.object({ stockId: stockIdSchema }) };
const adminSecurity = [{ bearer: [] }, { apiKey: [] }] as Array<Record<string, string[]>>;
const admin = { tags: ["Catalog admin"], security: adminSecurity };
const sales = { tags: ["Sales admin"], security: adminSecurity };
const salesErrors = { ...adminErrors, "400": error("A query or body field fails validation (error.message names it), or from is not before to.") };
const inspector = { tags: ["Inspector"], security: [...adminSecurity, { basic: [] }] };
const inspectorErrors = {
  ...common,
  "401": error("No admin key, or not a configured one (answered with WWW-Authenticate: Basic)."),
  "503": error("Inspector disabled (no ADMIN_API_KEYS), traces not persisted (TRACE_STORE=memory), or the trace store is unavailable."),
};
const page = (description: string) => ({ "200": { description, content: { "text/html": { schema: z.string() } } } });

/**
 * Mounted routes deliberately left out of the document (an asset, not an endpoint). The route
 * coverage test (openapi.test.ts) fails on any other mounted route the document lacks.
 */
export const UNDOCUMENTED_ROUTES: ReadonlyArray<{ readonly method: string; readonly path: string; readonly why: string }> = [
  { method: "get", path: "/docs/scalar.js", why: "The Scalar bundle the /docs page loads (a static asset)." },
];

export const buildOpenApiDocument = () =>
  createDocument({
    openapi: "3.1.0",
    info: {
      title: "Kavak sales assistant API",
      version: "1.0.0",
      description:
        "Conversations with the assistant, financing quotes, the knowledge base, fines checks, appointment calendar files, the web widget's chat stream, Twilio's WhatsApp webhook, " +
        "the catalog and sales admin APIs, the trace inspector, and operations (health, metrics, traces, this document). " +
        'Every error is {"error": {"code", "message"}}. Money: integer pesos in requests; computed amounts are decimal strings with two decimals.',
    },
    tags: [
      { name: "Conversations" },
      { name: "Financing" },
      { name: "Knowledge" },
      { name: "Fines" },
      { name: "Appointments" },
      { name: "Web widget" },
      { name: "WhatsApp" },
      { name: "Catalog admin" },
      { name: "Sales admin" },
      { name: "Inspector" },
      { name: "Operations" },
    ],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An ADMIN_API_KEYS key." },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "An ADMIN_API_KEYS key." },
        basic: { type: "http", scheme: "basic", description: "The inspector only: any user name, an ADMIN_API_KEYS key as the password (so a browser can open it)." },
        twilio: { type: "apiKey", in: "header", name: "X-Twilio-Signature", description: "Twilio's signature over the public URL and the form (TWILIO_AUTH_TOKEN)." },
      },
    },
    paths: {
      "/v1/conversations/{conversationId}/messages": {
        post: {
          tags: ["Conversations"],
          summary: "Send a message; the answer is the assistant's reply",
          requestParams: { path: conversationPathSchema, header: z.object({ traceparent: z.string().optional().meta({ description: "W3C trace context: the turn joins the caller's trace." }) }) },
          requestBody: { required: true, content: json(messageRequestSchema) },
          responses: {
            "200": { description: "The reply, the tools it called and the turn's trace id.", content: json(messageReplySchema) },
            ...chatErrors,
            "400": error("Malformed request or a field that fails validation; invalid_image: a photo that is not base64, or not the type it declares."),
            "413": error("Body over 64 KB (7 MB with a photo); image_too_large: a photo over 5 MB."),
            "415": error("Unsupported Content-Type, Content-Encoding or charset; unsupported_image_type: a photo that is not image/jpeg, image/png or image/webp."),
          },
        },
        get: {
          tags: ["Conversations"],
          summary: "A conversation's messages",
          requestParams: { path: conversationPathSchema },
          responses: { "200": { description: "The messages, oldest first.", content: json(historySchema) }, "404": error("Unknown conversation."), ...common, "429": rateLimited, "503": error("Store unavailable.") },
        },
      },
      "/v1/conversations/{conversationId}": {
        delete: {
          tags: ["Conversations"],
          summary: "Forget a conversation",
          requestParams: { path: conversationPathSchema },
          responses: { "204": { description: "Forgotten." }, "404": error("Unknown conversation."), ...common, "429": rateLimited, "503": error("Store unavailable.") },
        },
      },
      "/v1/financing/quotes": {
        post: {
          tags: ["Financing"],
          summary: "Simulate financing (10% annual) and store the quote",
          requestBody: { required: true, content: json(quoteRequestSchema) },
          responses: {
            "201": { description: "The stored quote with an amortisation schedule per term.", headers: z.object({ location: z.string() }), content: json(quoteSchema) },
            "404": error("No car with that stockId."),
            ...common,
            "429": rateLimited,
            "503": error("The quote store is unavailable."),
          },
        },
      },
      "/v1/financing/quotes/{id}": {
        get: {
          tags: ["Financing"],
          summary: "A stored quote",
          requestParams: { path: z.object({ id: quoteIdSchema }) },
          responses: { "200": { description: "The quote.", content: json(quoteSchema) }, "404": error("No such quote."), ...common, "429": rateLimited, "503": error("The quote store is unavailable.") },
        },
      },
      "/v1/knowledge/search": {
        get: {
          tags: ["Knowledge"],
          summary: "The knowledge-base sections that answer q (empty below the relevance threshold)",
          requestParams: { query: knowledgeQuerySchema },
          responses: { "200": { description: "Ranked sections.", content: json(knowledgeResultsSchema) }, ...common, "429": rateLimited, "503": error("The knowledge base is not answering.") },
        },
      },
      "/v1/traces/{traceId}": {
        get: {
          tags: ["Operations"],
          summary: "The spans of a recent turn (in-process trace store)",
          requestParams: { path: z.object({ traceId: traceIdSchema }) },
          responses: { "200": { description: "The trace.", content: json(traceSchema) }, "404": error("Not in the store."), ...common, "429": rateLimited },
        },
      },
      "/health": {
        get: {
          tags: ["Operations"],
          summary: "Each dependency's state",
          responses: { "200": { description: "The database answers.", content: json(healthSchema) }, "503": { description: "The database does not answer.", content: json(healthSchema) } },
        },
      },
      "/api/chat": {
        post: {
          tags: ["Web widget"],
          summary: "One turn, streamed as the AI SDK UI message stream (server-sent events)",
          requestParams: { header: z.object({ origin: z.string().optional().meta({ description: "Browsers: must be this server or in WIDGET_ALLOWED_ORIGINS." }) }) },
          requestBody: { required: true, content: json(chatRequestSchema) },
          responses: {
            "200": {
              description: "The UI message stream (header x-vercel-ai-ui-message-stream: v1; x-conversation-id).",
              content: { "text/event-stream": { schema: z.string() } },
            },
            ...chatErrors,
          },
        },
      },
      "/api/chat/history/{conversationId}": {
        get: {
          tags: ["Web widget"],
          summary: "A widget conversation's messages (reload)",
          requestParams: { path: z.object({ conversationId: clientIdSchema }) },
          responses: { "200": { description: "The messages.", content: json(historySchema) }, "404": error("Unknown conversation."), ...common, "403": chatErrors["403"], "429": rateLimited, "503": error("Store unavailable.") },
        },
      },
      "/widget.js": { get: { tags: ["Web widget"], summary: "The one-tag embeddable widget", responses: { "200": { description: "JavaScript.", content: { "text/javascript": { schema: z.string() } } } } } },
      "/": { get: { tags: ["Web widget"], summary: "A demo dealer page with the widget", responses: { "200": { description: "HTML.", content: { "text/html": { schema: z.string() } } } } } },
      "/channels/whatsapp/webhook": {
        post: {
          tags: ["WhatsApp"],
          summary: "Twilio's inbound WhatsApp message webhook",
          security: [{ twilio: [] }],
          requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: inboundFormSchema } } },
          responses: {
            "200": { description: "TwiML: the reply inline, or empty when it goes through Twilio's REST API.", content: { "text/xml": { schema: z.string() } } },
            "400": error("Not a WhatsApp message (missing MessageSid, From not a WhatsApp number)."),
            "403": error("Missing or invalid Twilio signature."),
            "413": common["413"],
            "415": common["415"],
          },
        },
      },
      "/channels/whatsapp/status": {
        post: {
          tags: ["WhatsApp"],
          summary: "Twilio's delivery status callback",
          security: [{ twilio: [] }],
          requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: statusFormSchema } } },
          responses: { "204": { description: "Recorded." }, "400": error("MessageSid and MessageStatus are required."), "403": error("Missing or invalid Twilio signature."), "503": error("Not recorded (store unavailable).") },
        },
      },
      "/v1/fines/checks/{id}": {
        get: {
          tags: ["Fines"],
          summary: "A traffic-fines check started by the check_fines tool (the id is the capability)",
          requestParams: { path: finesCheckPathSchema },
          responses: {
            "200": { description: "Settled: the result in the check_fines tool's shape.", content: json(finesCheckSchema) },
            "202": { description: "Still pending; poll again after Retry-After seconds.", headers: z.object({ "retry-after": z.string() }), content: json(finesCheckSchema) },
            "404": error("No fines check with that id."),
            ...common,
            "429": rateLimited,
            "503": error("The fines checks store is unavailable."),
          },
        },
      },
      "/v1/appointments/{id}.ics": {
        get: {
          tags: ["Appointments"],
          summary: "An appointment's calendar file (the unguessable id is handed to the customer's own conversation)",
          requestParams: { path: z.object({ id: appointmentIdSchema }) },
          responses: {
            "200": { description: "An iCalendar file (attachment).", content: { "text/calendar": { schema: z.string() } } },
            "404": error("No such appointment."),
            ...common,
            "429": rateLimited,
            "503": error("The store is unavailable."),
          },
        },
      },
      "/v1/admin/leads": {
        get: { ...sales, summary: "Leads, newest first", requestParams: { query: leadQuery }, responses: { "200": { description: "The leads.", content: json(z.object({ leads: z.array(leadSchema) })) }, ...salesErrors } },
      },
      "/v1/admin/leads/{id}": {
        patch: {
          ...sales,
          summary: "Update a lead's status or notes",
          requestParams: { path: leadPathSchema },
          requestBody: { required: true, content: json(leadChange) },
          responses: { "200": { description: "The lead.", content: json(z.object({ lead: leadSchema })) }, "404": error("No such lead."), ...salesErrors },
        },
      },
      "/v1/admin/appointments": {
        get: {
          ...sales,
          summary: "Appointments (visits and test drives)",
          requestParams: { query: appointmentQuery },
          responses: { "200": { description: "The appointments.", content: json(z.object({ appointments: z.array(appointmentSchema) })) }, ...salesErrors },
        },
      },
      "/v1/admin/metrics/funnel": {
        get: { ...sales, summary: "The sales funnel and CSAT (default: the last 30 days)", requestParams: { query: funnelQuery }, responses: { "200": { description: "The funnel.", content: json(funnelSchema) }, ...salesErrors } },
      },
      "/admin/funnel": { get: { tags: ["Sales admin"], summary: "A page drawing the funnel (its data comes from the admin API with the key the user enters)", responses: page("HTML.") } },
      "/inspector": { get: { ...inspector, summary: "The trace inspector page", responses: { ...page("HTML."), "401": inspectorErrors["401"], "503": error("Inspector disabled (no ADMIN_API_KEYS).") } } },
      "/inspector/api/stats": { get: { ...inspector, summary: "The trace store's counters", responses: { "200": { description: "Counters.", content: json(inspectorStatsSchema) }, ...inspectorErrors } } },
      "/inspector/api/conversations": {
        get: {
          ...inspector,
          summary: "Conversations with a turn matching the filter",
          requestParams: { query: turnFilterQuerySchema },
          responses: { "200": { description: "The conversations.", content: json(inspectorConversationsSchema) }, ...inspectorErrors },
        },
      },
      "/inspector/api/turns": {
        get: { ...inspector, summary: "Matching turns, newest first", requestParams: { query: turnFilterQuerySchema }, responses: { "200": { description: "The turns.", content: json(inspectorTurnsSchema) }, ...inspectorErrors } },
      },
      "/inspector/api/conversations/{id}": {
        get: {
          ...inspector,
          summary: "A conversation's turns, each with what was said and the tools called",
          requestParams: { path: inspectorConversationPathSchema },
          responses: { "200": { description: "The conversation.", content: json(inspectorConversationSchema) }, "404": error("No stored turns or messages for this conversation."), ...inspectorErrors },
        },
      },
      "/inspector/api/conversations/{id}/golden": {
        post: {
          ...inspector,
          summary: "The conversation as a golden conversation (a JSON body is required, so a cross-site form cannot trigger it)",
          requestParams: { path: inspectorConversationPathSchema },
          requestBody: { required: true, content: json(z.object({})) },
          responses: { "200": { description: "The golden conversation.", content: json(goldenConversationSchema) }, "404": error("No stored messages for this conversation."), ...inspectorErrors },
        },
      },
      "/inspector/api/traces/{traceId}": {
        get: {
          ...inspector,
          summary: "A trace's spans, its turns and their tool calls",
          requestParams: { path: inspectorTracePathSchema },
          responses: { "200": { description: "The trace.", content: json(inspectorTraceSchema) }, "404": error("No such trace (unknown, or deleted by retention)."), ...inspectorErrors },
        },
      },
      "/metrics": {
        get: {
          tags: ["Operations"],
          summary: "Prometheus metrics (absent, hence 404, with OTEL_METRICS_EXPORTER=none)",
          responses: { "200": { description: "Prometheus text exposition format.", content: { "text/plain": { schema: z.string() } } }, "404": error("Metrics are not exported here.") },
        },
      },
      "/openapi.json": { get: { tags: ["Operations"], summary: "This document", responses: { "200": { description: "OpenAPI 3.1.", content: json(z.looseObject({ openapi: z.string() })) } } } },
      "/docs": {
        get: { tags: ["Operations"], summary: "The API reference (Scalar), rendered from /openapi.json", responses: { ...page("HTML."), "503": error("The reference bundle is not installed here.") } },
      },
      "/v1/admin/cars": {
        get: { ...admin, summary: "A page of cars by stock id", requestParams: { query: listQuerySchema }, responses: { "200": { description: "The page.", content: json(carPageSchema) }, ...adminErrors } },
        post: {
          ...admin,
          summary: "Create a car (searchable at once)",
          requestBody: { required: true, content: json(carInput) },
          responses: { "201": { description: "Created.", headers: z.object({ location: z.string() }), content: json(carSchema) }, "409": error("The stock id exists."), ...adminErrors },
        },
      },
      "/v1/admin/cars/{stockId}": {
        get: { ...admin, summary: "One car", requestParams: stockIdPath, responses: { "200": { description: "The car.", content: json(carSchema) }, "404": error("No such car."), ...adminErrors } },
        put: {
          ...admin,
          summary: "Create or replace a car",
          requestParams: stockIdPath,
          requestBody: { required: true, content: json(carInput.partial({ stockId: true })) },
          responses: { "200": { description: "Replaced.", content: json(carSchema) }, "201": { description: "Created.", content: json(carSchema) }, ...adminErrors },
        },
        patch: {
          ...admin,
          summary: "Change some fields",
          requestParams: stockIdPath,
          requestBody: { required: true, content: json(carPatch) },
          responses: { "200": { description: "Changed.", content: json(carSchema) }, "404": error("No such car."), ...adminErrors },
        },
        delete: { ...admin, summary: "Delete a car", requestParams: stockIdPath, responses: { "204": { description: "Deleted." }, "404": error("No such car."), ...adminErrors } },
      },
      "/v1/admin/cars/import": {
        post: {
          ...admin,
          summary: "Import cars: text/csv (the catalog format) or JSON; a CSV with bad rows is rejected whole unless partial=true",
          requestParams: { query: importQuerySchema },
          requestBody: { required: true, content: { ...json(jsonImportSchema), "text/csv": { schema: z.string() } } },
          responses: { "200": { description: "Imported.", content: json(importResultSchema) }, "422": error("Rejected rows (error.rows)."), ...adminErrors },
        },
      },
    },
  });

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;
/** Built once per process. */
export const openApiDocument = () => (cached ??= buildOpenApiDocument());
