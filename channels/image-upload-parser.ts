/**
 * A JSON body parser for routes whose message may carry a photo: up to IMAGE_BODY_LIMIT when the
 * body has an image (HTTP `image`, or a widget message with a file part), the route's usual limit
 * otherwise (413 body_too_large, as before).
 */
import express, { type RequestHandler } from "express";
import { sendError } from "./errors.ts";
import { IMAGE_BODY_LIMIT } from "./image-upload.ts";

const RAW_LENGTH = Symbol("rawLength");

const carriesImage = (body: unknown): boolean => {
  if (body === null || typeof body !== "object") return false;
  const record = body as Record<string, unknown>;
  if (record.image !== undefined) return true;
  const messages = record.messages;
  return Array.isArray(messages) && messages.some((m) => Array.isArray((m as { parts?: unknown })?.parts) && (m as { parts: Array<{ type?: unknown }> }).parts.some((p) => p?.type === "file"));
};

export const imageBodyParser = (usualLimitBytes: number): RequestHandler[] => [
  express.json({
    limit: IMAGE_BODY_LIMIT,
    verify: (req, _res, buf) => {
      (req as unknown as Record<symbol, number>)[RAW_LENGTH] = buf.length;
    },
  }),
  (req, res, next) => {
    const length = (req as unknown as Record<symbol, number | undefined>)[RAW_LENGTH] ?? 0;
    if (length > usualLimitBytes && !carriesImage(req.body))
      return sendError(res, 413, "body_too_large", `The request body exceeds this endpoint's limit of ${Math.round(usualLimitBytes / 1024)} KB (${IMAGE_BODY_LIMIT.toUpperCase()} with an image).`);
    next();
  },
];
