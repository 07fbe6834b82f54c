/**
 * The web channel: a demo dealer page (GET /), the embeddable widget (GET /widget.js) and its chat API
 * (POST /api/chat streams the reply as an AI SDK UI message stream; GET /api/chat/history/:id).
 * Mounted by the app at "/".
 */
import { Effect } from "effect";
import express, { Router } from "express";
import { readFileSync } from "node:fs";
import { Agent } from "../../core/agent.ts";
import { answeringFailures, sendError } from "../errors.ts";
import { clientIdFrom, webChannel } from "./channel.ts";
import type { WidgetConfig } from "./config.ts";
import { corsFor } from "./cors.ts";
import { imageBodyParser } from "../image-upload-parser.ts";

export interface WebRouterDeps {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Agent>) => Promise<A>;
  readonly config: WidgetConfig;
}

const WIDGET_JS = readFileSync(new URL("./widget/widget.js", import.meta.url), "utf8");
const DEMO_HTML = readFileSync(new URL("./widget/demo.html", import.meta.url), "utf8");

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
  // 16 KB, or up to 7 MB for a message that carries a photo (a file part).
  api.post("/", ...imageBodyParser(16 * 1024));
  api.use(express.json({ limit: "16kb" }));

  api.post("/", (req, res) =>
    run(
      Effect.gen(function* () {
        const message = yield* webChannel.receive({ isJson: Boolean(req.is("application/json")), body: req.body });
        const turn = yield* Agent.use((agent) => agent.stream({ ...message, channel: webChannel.name }));
        yield* webChannel.deliver(webChannel.conversationIds.decode(message.conversationId)!, { response: res, turn });
      }).pipe(answeringFailures(res)),
    ),
  );

  api.get("/history/:conversationId", (req, res) =>
    run(
      Effect.gen(function* () {
        const clientId = yield* clientIdFrom(String(req.params.conversationId));
        const messages = yield* Agent.use((agent) => agent.history(webChannel.conversationIds.encode(clientId)));
        if (!messages) return sendError(res, 404, "conversation_not_found", "No such conversation.");
        res.set("cache-control", "no-store").json({
          conversationId: clientId,
          messages: messages.map((m) => ({ role: m.role, text: m.text, createdAt: m.createdAt.toISOString() })),
        });
      }).pipe(answeringFailures(res)),
    ),
  );

  router.use("/api/chat", api);
  return router;
};
