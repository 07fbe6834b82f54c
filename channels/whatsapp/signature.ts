/**
 * Twilio signs each webhook with the auth token over the exact URL it called plus the form fields.
 * Behind a proxy the URL this server sees differs from that one, so it is rebuilt from PUBLIC_BASE_URL,
 * or from X-Forwarded-* headers only when they are explicitly trusted.
 */
import type { Request } from "express";
import twilio from "twilio";

export interface SignatureOptions {
  readonly publicBaseUrl: string | undefined;
  readonly trustForwardedHeaders: boolean;
}

const firstValue = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",")[0]?.trim() || undefined;
};

/** The origin (and any path prefix) Twilio called, without a trailing slash. */
export const publicOrigin = (req: Request, options: SignatureOptions): string => {
  if (options.publicBaseUrl) return options.publicBaseUrl.replace(/\/+$/, "");
  const host = req.get("host") ?? "localhost";
  if (options.trustForwardedHeaders) {
    const proto = firstValue(req.headers["x-forwarded-proto"]) ?? req.protocol;
    return `${proto}://${firstValue(req.headers["x-forwarded-host"]) ?? host}`;
  }
  return `${req.protocol}://${host}`;
};

/** The full URL Twilio signed: public origin + the path and query this request arrived on. */
export const signedUrl = (req: Request, options: SignatureOptions): string => publicOrigin(req, options) + req.originalUrl;

/** Twilio's own check: the signature over the URL it called and the form fields. */
export const verifySignature = (authToken: string, signature: string | undefined, url: string, params: Record<string, unknown>): boolean =>
  signature !== undefined && signature !== "" && twilio.validateRequest(authToken, signature, url, params);

export const hasValidSignature = (req: Request, authToken: string, options: SignatureOptions): boolean => {
  const params = typeof req.body === "object" && req.body !== null ? (req.body as Record<string, unknown>) : {};
  return verifySignature(authToken, req.get("x-twilio-signature"), signedUrl(req, options), params);
};
