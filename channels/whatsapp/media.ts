/**
 * Downloads an inbound image from Twilio with basic auth, within size and type limits. Only URLs on
 * Twilio's API origin are fetched (a message's MediaUrl could otherwise point anywhere).
 */
import { Data, Effect } from "effect";
import type { Attachment } from "../../core/turn.ts";

export const IMAGE_TYPES: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/webp"]);
/** WhatsApp's own limit for images. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export class MediaError extends Data.TaggedError("MediaError")<{
  readonly reason: "origin_not_allowed" | "unsupported_type" | "too_large" | "download_failed";
  readonly detail: string;
}> {}

export interface MediaDownloadOptions {
  /** Only URLs on this origin are fetched, e.g. "https://api.twilio.com". */
  readonly allowedOrigin: string;
  /** "user:password" for basic auth, when known. */
  readonly basicAuth: { readonly username: string; readonly password: string } | undefined;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
}

export const isImage = (contentType: string): boolean => IMAGE_TYPES.has(contentType.split(";")[0]!.trim().toLowerCase());

export const downloadImage = (url: string, declaredType: string, options: MediaDownloadOptions) =>
  Effect.gen(function* () {
    const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return yield* new MediaError({ reason: "origin_not_allowed", detail: "malformed media URL" });
    }
    if (parsed.origin !== new URL(options.allowedOrigin).origin) {
      return yield* new MediaError({ reason: "origin_not_allowed", detail: `media on ${parsed.origin}` });
    }
    if (!isImage(declaredType)) return yield* new MediaError({ reason: "unsupported_type", detail: declaredType });

    const data = yield* Effect.tryPromise({
      try: (signal) => fetchLimited(parsed, options, maxBytes, signal),
      catch: (cause) => (cause instanceof MediaError ? cause : new MediaError({ reason: "download_failed", detail: String(cause) })),
    });
    return data;
  }).pipe(Effect.withSpan("whatsapp.media.download"));

const fetchLimited = async (url: URL, options: MediaDownloadOptions, maxBytes: number, signal: AbortSignal): Promise<Attachment> => {
  const headers: Record<string, string> = {};
  if (options.basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString("base64")}`;
  }
  // fetch drops the Authorization header when Twilio redirects to its storage on another origin.
  const response = await fetch(url, { headers, redirect: "follow", signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new MediaError({ reason: "download_failed", detail: `HTTP ${response.status}` });
  }
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!isImage(mediaType)) {
    await response.body?.cancel();
    throw new MediaError({ reason: "unsupported_type", detail: mediaType || "no content type" });
  }
  const declaredLength = Number(response.headers.get("content-length") ?? "0");
  if (declaredLength > maxBytes) {
    await response.body?.cancel();
    throw new MediaError({ reason: "too_large", detail: `${declaredLength} bytes` });
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new MediaError({ reason: "too_large", detail: `more than ${maxBytes} bytes` });
    }
    chunks.push(value);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { mediaType, data };
};
