/** A photo sent with a message: decoded and checked with precise 4xx answers (channels/image-upload.ts). */
import { Effect, Result } from "effect";
import { describe, expect, it } from "vitest";
import { platePhoto } from "../knowledge/fines/testing/plate-photo.ts";
import { decodeDataUrl, decodeImage, MAX_UPLOAD_IMAGE_BYTES, sniffImageType } from "./image-upload.ts";

const outcome = (effect: ReturnType<typeof decodeImage>) => {
  const result = Effect.runSync(Effect.result(effect));
  return Result.isSuccess(result) ? { ok: true as const, value: result.success } : { ok: false as const, status: result.failure.status, code: result.failure.code };
};

describe("decodeImage", () => {
  it("accepts a PNG given as PNG, with its bytes intact", async () => {
    const png = await platePhoto({ plate: "NXR-4521" });
    const got = outcome(decodeImage("image/png", Buffer.from(png).toString("base64"), "placa.png"));
    expect(got.ok).toBe(true);
    if (got.ok) {
      expect(got.value.mediaType).toBe("image/png");
      expect(Buffer.from(got.value.data).equals(Buffer.from(png))).toBe(true);
      expect(got.value.filename).toBe("placa.png");
    }
  });

  it("refuses other types with 415, bad base64 and mislabelled bytes with 400, over 5 MB with 413", async () => {
    const png = Buffer.from(await platePhoto({ plate: "ABC-123-D" })).toString("base64");
    expect(outcome(decodeImage("image/gif", png))).toEqual({ ok: false, status: 415, code: "unsupported_image_type" });
    expect(outcome(decodeImage("application/pdf", png))).toEqual({ ok: false, status: 415, code: "unsupported_image_type" });
    expect(outcome(decodeImage("image/png", "no es base64 ¡"))).toEqual({ ok: false, status: 400, code: "invalid_image" });
    expect(outcome(decodeImage("image/png", ""))).toEqual({ ok: false, status: 400, code: "invalid_image" });
    expect(outcome(decodeImage("image/jpeg", png))).toEqual({ ok: false, status: 400, code: "invalid_image" });
    expect(outcome(decodeImage("image/png", Buffer.from("just some text, not an image").toString("base64")))).toEqual({ ok: false, status: 400, code: "invalid_image" });
    const big = Buffer.alloc(MAX_UPLOAD_IMAGE_BYTES + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(outcome(decodeImage("image/png", big.toString("base64")))).toEqual({ ok: false, status: 413, code: "image_too_large" });
    const justFits = Buffer.alloc(MAX_UPLOAD_IMAGE_BYTES);
    justFits.set([0xff, 0xd8, 0xff]);
    expect(outcome(decodeImage("image/jpeg", justFits.toString("base64"))).ok).toBe(true);
  });

  it("reads AI SDK UI file parts (data: URLs)", async () => {
    const png = Buffer.from(await platePhoto({ plate: "PTA-512" })).toString("base64");
    expect(outcome(decodeDataUrl(`data:image/png;base64,${png}`, "image/png")).ok).toBe(true);
    expect(outcome(decodeDataUrl("https://example.com/a.png", "image/png"))).toEqual({ ok: false, status: 400, code: "invalid_image" });
  });

  it("sniffs JPEG, PNG and WEBP", () => {
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(new Uint8Array(Buffer.from("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ", "latin1")))).toBe("image/webp");
    expect(sniffImageType(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
