/**
 * Security headers on every response (helmet). The Content-Security-Policy is the one the widget's
 * demo page needs (its own scripts, styles and images, calls to this origin; no inline script, no
 * framing); routes with other needs set their own (the API docs page, widget.js's
 * Cross-Origin-Resource-Policy). No upgrade-insecure-requests: a local server runs on plain HTTP.
 */
import helmet from "helmet";

export const WIDGET_PAGE_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", "data:"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", "data:"],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  upgradeInsecureRequests: null,
};

export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: WIDGET_PAGE_CSP },
    // HSTS only means something over HTTPS, which a proxy in front terminates; it sends its own.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "no-referrer" },
  });

/** The docs page (Scalar, served from this server): its bundle injects styles and uses workers from blobs. */
export const DOCS_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");
