/**
 * The widget's photo button in a real browser (Debian's Chromium driven by playwright-core), on the
 * real server (offline model, fines worker, PlateReader): a photo chosen with 📷 is sent as an AI SDK
 * UI file part, shown as the user's message, and answered (here a photo without a plate: the
 * assistant asks for the plate typed). A file the server would refuse is refused in the page.
 * Skipped when /usr/bin/chromium is absent.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { photoWithoutPlate } from "../../knowledge/fines/testing/plate-photo.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`widget photo button in Chromium${hasChromium ? "" : " (skipped: /usr/bin/chromium is not installed)"}`, () => {
  let browser: Browser;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("sends a chosen photo as a file part and shows the answer", { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ locale: "es-MX" });
    const requests: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/chat") && request.method() === "POST") requests.push(request.postData() ?? "");
    });
    await page.goto(server.url);
    await page.getByRole("button", { name: /^Chat con / }).click();
    await page.getByRole("textbox", { name: "Escribe tu mensaje" }).fill("¿mi carro tiene multas?");
    const photo = Buffer.from(await photoWithoutPlate());
    await page.getByLabel("Enviar una foto (por ejemplo, de la placa)").setInputFiles({ name: "carro.png", mimeType: "image/png", buffer: photo });
    await expect.poll(() => page.locator(".msg.user").last().textContent(), { timeout: 30_000 }).toBe("📷 ¿mi carro tiene multas?");
    await expect.poll(() => page.locator(".turn .msg.assistant").last().textContent(), { timeout: 60_000 }).toContain("No pude leer la placa en la foto");
    const sent = JSON.parse(requests.at(-1)!) as { messages: Array<{ parts: Array<{ type: string; mediaType?: string; url?: string }> }> };
    const file = sent.messages.at(-1)!.parts.find((part) => part.type === "file");
    expect(file?.mediaType).toBe("image/png");
    expect(file?.url).toBe(`data:image/png;base64,${photo.toString("base64")}`);

    // A GIF is refused in the page, without a request.
    const before = requests.length;
    await page.getByLabel("Enviar una foto (por ejemplo, de la placa)").setInputFiles({ name: "a.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
    await expect.poll(() => page.locator(".msg.assistant.error").last().textContent()).toContain("Solo puedo recibir fotos JPG, PNG o WEBP");
    expect(requests.length).toBe(before);
    await page.close();
  });
});
