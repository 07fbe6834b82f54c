/**
 * GET /openapi.json (the generated document) and GET /docs (Scalar's API reference, its standalone
 * bundle served from node_modules: no CDN). Without the bundle (a production image built without
 * it), /docs answers 503 in the error shape and /openapi.json still works.
 */
import express, { type Router } from "express";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "../../channels/http/openapi.ts";
import { sendError } from "../../channels/errors.ts";
import { DOCS_PAGE_CSP } from "./security.ts";

export const SCALAR_BUNDLE = fileURLToPath(new URL("../../node_modules/@scalar/api-reference/dist/browser/standalone.js", import.meta.url));

const CONFIGURATION = JSON.stringify({ withDefaultFonts: false, hideClientButton: false, telemetry: false, agent: { disabled: true }, mcp: { disabled: true } }).replace(/'/g, "&#39;");

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Kavak sales assistant API</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='${CONFIGURATION}'></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>
`;

export const docsRouter = (): Router => {
  const router = express.Router();
  router.get("/openapi.json", (_req, res) => {
    res.set("cache-control", "no-cache").json(openApiDocument());
  });
  router.get("/docs", (_req, res) => {
    if (!existsSync(SCALAR_BUNDLE)) return sendError(res, 503, "docs_unavailable", "The API reference bundle is not installed here; /openapi.json has the document.");
    res.set({ "content-security-policy": DOCS_PAGE_CSP, "cache-control": "no-cache" }).type("html").send(DOCS_HTML);
  });
  router.get("/docs/scalar.js", (_req, res) => {
    if (!existsSync(SCALAR_BUNDLE)) return sendError(res, 404, "not_found", "No such route.");
    res.set("cache-control", "public, max-age=3600").type("text/javascript; charset=utf-8").sendFile(SCALAR_BUNDLE);
  });
  return router;
};
