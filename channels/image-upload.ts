/**
 * A photo a client uploads with its message (HTTP API base64, widget data URL): decoded and checked
 * before the turn starts, with the precise 4xx a client can act on. JPEG, PNG or WEBP, 5 MB at most
 * (the same limits as WhatsApp's media), and the bytes must be what the declared type says.
 */
import { Effect } from "effect";
import { ChannelRejection } from "../core/channel.ts";
import type { Attachment } from "../core/turn.ts";

export const UPLOAD_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const MAX_UPLOAD_IMAGE_BYTES = 5 * 1024 * 1024;
/** A JSON body carrying a 5 MB image as base64 (4/3 of it) and a message. */
export const IMAGE_BODY_LIMIT = "7mb";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What the first bytes say the file is. */
export const sniffImageType = (data: Uint8Array): string | undefined => {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (data.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => data[i] === b)) return "image/png";
  if (data.length >= 12 && String.fromCharCode(...data.subarray(0, 4)) === "RIFF" && String.fromCharCode(...data.subarray(8, 12)) === "WEBP") return "image/webp";
  return undefined;
};

const reject = (status: number, code: string, message: string) => Effect.fail(new ChannelRejection({ status, code, message }));

/** Base64 (no data: prefix) of a declared type into an attachment, or the 4xx that explains why not. */
export const decodeImage = (mediaType: string, base64: string, filename?: string): Effect.Effect<Attachment, ChannelRejection> => {
  const type = mediaType.split(";")[0]!.trim().toLowerCase();
  if (!(UPLOAD_IMAGE_TYPES as ReadonlyArray<string>).includes(type))
    return reject(415, "unsupported_image_type", `image.mediaType ${JSON.stringify(mediaType.slice(0, 60))} is not accepted: send image/jpeg, image/png or image/webp.`);
  const compact = base64.replace(/\s+/g, "");
  if (compact === "" || compact.length % 4 === 1 || !BASE64.test(compact)) return reject(400, "invalid_image", "image.data must be the image's bytes in base64.");
  // Size before decoding: 3 bytes per 4 characters.
  if (Math.floor((compact.length * 3) / 4) - (compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0) > MAX_UPLOAD_IMAGE_BYTES)
    return reject(413, "image_too_large", "The image is larger than 5 MB.");
  const data = new Uint8Array(Buffer.from(compact, "base64"));
  const actual = sniffImageType(data);
  if (actual === undefined) return reject(400, "invalid_image", "image.data is not a JPEG, PNG or WEBP image.");
  if (actual !== type) return reject(400, "invalid_image", `image.data is ${actual}, not the declared ${type}.`);
  return Effect.succeed({ mediaType: type, data, ...(filename === undefined ? {} : { filename: filename.slice(0, 200) }) });
};

/** A data URL ("data:image/png;base64,...") as the AI SDK UI's file parts carry it. */
export const decodeDataUrl = (url: string, declaredType: string | undefined, filename?: string): Effect.Effect<Attachment, ChannelRejection> => {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (match === null) return reject(400, "invalid_image", "A file part's url must be a base64 data: URL (data:image/png;base64,...).");
  return decodeImage(declaredType ?? match[1]!, match[2]!, filename);
};

/** The user's words for a message that is only a photo (as the WhatsApp channel says it). */
export const photoOnlyText = "Te envío una foto.";
