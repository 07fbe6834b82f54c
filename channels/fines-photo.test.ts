/**
 * A plate photo through the HTTP API and the widget's chat (issue 16), on the real server with the
 * offline model, the real fines worker and the real PlateReader (tesseract.js): the photo reaches
 * check_fines, the worker reads the plate and the reply carries its fines and exact total; a photo
 * without a plate gets a request to type it and no lookup. Uploads outside the limits get precise
 * 4xx answers, and a body without a photo keeps the usual limit. Photos are generated
 * deterministically (knowledge/fines/testing/plate-photo.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startTestServer, type TestServer } from "../app/testing/test-server.ts";
import { photoWithoutPlate, platePhoto } from "../knowledge/fines/testing/plate-photo.ts";
import { readUiStream } from "../evals/app/channel-clients.ts";

let server: TestServer;
const messages = (name: string) => `${server.url}/v1/conversations/${name}-${randomUUID()}/messages`;
const base64 = (data: Uint8Array) => Buffer.from(data).toString("base64");

beforeAll(async () => {
  process.env.FINES_INLINE_WAIT_MS ??= "20000"; // the answer inline, however loaded the machine
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

interface Reply {
  reply: { text: string };
  toolCalls: Array<{ name: string; input: Record<string, unknown>; output: Record<string, unknown> }>;
}

describe("HTTP API: a photo with the message", () => {
  it("reads the plate in the photo and answers its fines with the exact total", { timeout: 60_000 }, async () => {
    const photo = await platePhoto({ plate: "NXR-4521", state: "JALISCO" });
    const res = await postJson(messages("photo"), { text: "¿esta placa tiene multas?", image: { mediaType: "image/png", data: base64(photo) } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    const call = body.toolCalls.find((c) => c.name === "check_fines");
    expect(call?.input).toEqual({ photo: 1 });
    expect(call?.output).toMatchObject({ ok: true, status: "done", plate: "NXR-4521", count: 3, total: "4994.22" });
    expect(body.reply.text).toContain("Total: $4,994.22");
  });

  it("a photo alone (no text) is a message too", { timeout: 60_000 }, async () => {
    const res = await postJson(messages("photo-only"), { image: { mediaType: "image/png", data: base64(await platePhoto({ plate: "PTA-512" })) } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    expect(body.toolCalls.find((c) => c.name === "check_fines")?.output).toMatchObject({ status: "done", plate: "PTA-512", count: 0 });
    expect(body.reply.text).toContain("no tiene multas pendientes");
  });

  it("a photo without a plate: asks for it typed, looks nothing up", { timeout: 60_000 }, async () => {
    const res = await postJson(messages("no-plate"), { text: "¿mi carro tiene multas?", image: { mediaType: "image/png", data: base64(await photoWithoutPlate()) } });
    const body = (await res.json()) as Reply;
    expect(body.toolCalls.find((c) => c.name === "check_fines")?.output).toMatchObject({ ok: true, status: "unreadable" });
    expect(body.reply.text).toContain("No pude leer la placa en la foto");
    expect(body.reply.text).not.toMatch(/\$\d/);
  });

  it("answers precise 4xx for uploads it cannot take", async () => {
    const png = base64(await platePhoto({ plate: "ABC-123-D" }));
    const error = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await error(await postJson(messages("gif"), { text: "hola", image: { mediaType: "image/gif", data: png } }))).toEqual([415, "unsupported_image_type"]);
    expect(await error(await postJson(messages("lie"), { text: "hola", image: { mediaType: "image/jpeg", data: png } }))).toEqual([400, "invalid_image"]);
    expect(await error(await postJson(messages("b64"), { text: "hola", image: { mediaType: "image/png", data: "%%%" } }))).toEqual([400, "invalid_image"]);
    const big = Buffer.alloc(5 * 1024 * 1024 + 10);
    big.set([0xff, 0xd8, 0xff]);
    expect(await error(await postJson(messages("big"), { text: "hola", image: { mediaType: "image/jpeg", data: big.toString("base64") } }))).toEqual([413, "image_too_large"]);
    expect(await error(await postJson(messages("huge"), { text: "hola", image: { mediaType: "image/jpeg", data: "A".repeat(8 * 1024 * 1024) } }))).toEqual([413, "body_too_large"]);
    // Without a photo the API's 64 KB limit holds.
    expect(await error(await postJson(messages("text"), { text: "a".repeat(70_000) }))).toEqual([413, "body_too_large"]);
    expect(await error(await postJson(messages("empty"), {}))).toEqual([400, "invalid_body"]);
  });
});

describe("widget chat: a photo as an AI SDK UI file part", () => {
  const chat = (clientId: string, parts: unknown[]) =>
    postJson(`${server.url}/api/chat`, { id: clientId, trigger: "submit-message", messages: [{ id: randomUUID(), role: "user", parts }] });

  it("streams the fines read from the photo", { timeout: 60_000 }, async () => {
    const photo = await platePhoto({ plate: "SMT-4820" });
    const res = await chat(`photo${randomUUID().replace(/-/g, "")}`, [
      { type: "text", text: "¿cuánto debo de multas?" },
      { type: "file", mediaType: "image/png", filename: "placa.png", url: `data:image/png;base64,${base64(photo)}` },
    ]);
    expect(res.status).toBe(200);
    const { chunks } = readUiStream(await res.text());
    const output = chunks.find((c) => c.type === "tool-output-available")?.output as Record<string, unknown> | undefined;
    expect(output).toMatchObject({ ok: true, status: "done", plate: "SMT-4820", total: "1303.50" });
    const text = chunks.filter((c) => c.type === "text-delta").map((c) => String(c.delta)).join("");
    expect(text).toContain("Total: $1,303.50");
  });

  it("refuses a file part that is not an accepted image, and two photos at once", async () => {
    const id = `photo${randomUUID().replace(/-/g, "")}`;
    const pdf = await chat(id, [{ type: "file", mediaType: "application/pdf", url: `data:application/pdf;base64,${Buffer.from("%PDF-1.4").toString("base64")}` }]);
    expect(pdf.status).toBe(415);
    const png = `data:image/png;base64,${base64(await platePhoto({ plate: "ABC-1234" }))}`;
    const two = await chat(id, [{ type: "file", mediaType: "image/png", url: png }, { type: "file", mediaType: "image/png", url: png }]);
    expect(two.status).toBe(400);
    // Without a photo the widget's 16 KB limit holds.
    expect((await postJson(`${server.url}/api/chat`, { conversationId: id, text: "a".repeat(20_000) })).status).toBe(413);
  });
});
