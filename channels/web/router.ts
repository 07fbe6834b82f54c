/**
 * The web channel: a demo dealer page (GET /), the embeddable widget (GET /widget.js) and its chat API
 * (POST /api/chat streams the reply as an AI SDK UI message stream; GET /api/chat/history/:id).
 * Mounted by the app at "/".
 */
import { pipeUIMessageStreamToResponse } from "ai";
import type { Effect } from "effect";
import express, { type Response, Router } from "express";
import { readFileSync } from "node:fs";
import { Agent, type AgentError } from "../../core/agent.ts";
import { CLIENT_ID_PATTERN, coreConversationId, parseChatRequest } from "./chat-request.ts";
import type { WidgetConfig } from "./config.ts";
import { corsFor } from "./cors.ts";

export interface WebRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Agent>) => Promise<A>;
  readonly config: WidgetConfig;
}

const WIDGET_JS = readFileSync(new URL("./widget/widget.js", import.meta.url), "utf8");
const DEMO_HTML = readFileSync(new URL("./widget/demo.html", import.meta.url), "utf8");

const sendError = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

const isAgentError = (error: unknown): error is AgentError => (error as { _tag?: string } | undefined)?._tag === "AgentError";

const agentFailure = (res: Response, error: AgentError) => {
  if (error.reason === "storage") return sendError(res, 503, "storage_unavailable", "The conversation store is not available right now. Try again.");
  if (error.reason === "timeout") return sendError(res, 503, "agent_timeout", "The assistant took too long to answer. Try again.");
  return sendError(res, 503, "model_unavailable", "The assistant is not available right now. Try again.");
};

export const webRouter = ({ run, config }: WebRouterDeps): Router => {
  const router = Router();

  router.get("/", (_req, res) => {
    res
      .set({
        "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      })
      .type("html")
      .send(DEMO_HTML);
  });

  router.get("/widget.js", (_req, res) => {
    res
      .set({
        "cache-control": "public, max-age=300",
        "cross-origin-resource-policy": "cross-origin",
        "access-control-allow-origin": "*",
        "x-content-type-options": "nosniff",
      })
      .type("text/javascript; charset=utf-8")
      .send(WIDGET_JS);
  });

  const api = Router();
  api.use(corsFor(config.allowedOrigins));
  api.use(express.json({ limit: "16kb" }));

  api.post("/", async (req, res) => {
    if (!req.is("application/json")) return sendError(res, 415, "invalid_body", "Send JSON with Content-Type: application/json.");
    const parsed = parseChatRequest(req.body);
    if (!parsed.ok) return sendError(res, 400, parsed.code, parsed.message);
    try {
      const turn = await run(Agent.use((agent) => agent.stream({ conversationId: coreConversationId(parsed.clientId), text: parsed.text, channel: "web" })));
      // The turn is stored by the core even if the browser goes away: its result is not awaited here.
      pipeUIMessageStreamToResponse({ response: res, stream: turn.chunks, headers: { "x-conversation-id": parsed.clientId } });
    } catch (error) {
      if (isAgentError(error)) return agentFailure(res, error);
      throw error;
    }
  });

  api.get("/history/:conversationId", async (req, res) => {
    const clientId = String(req.params.conversationId);
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      return sendError(res, 400, "invalid_conversation_id", "conversationId must be 16-100 characters of A-Z, a-z, 0-9, _ -.");
    }
    try {
      const messages = await run(Agent.use((agent) => agent.history(coreConversationId(clientId))));
      if (!messages) return sendError(res, 404, "conversation_not_found", "No such conversation.");
      res.set("cache-control", "no-store").json({
        conversationId: clientId,
        messages: messages.map((m) => ({ role: m.role, text: m.text, createdAt: m.createdAt.toISOString() })),
      });
    } catch (error) {
      if (isAgentError(error)) return agentFailure(res, error);
      throw error;
    }
  });

  router.use("/api/chat", api);
  return router;
};
