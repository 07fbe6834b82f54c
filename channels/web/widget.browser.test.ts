/**
 * The widget in a real browser (Debian's Chromium driven by playwright-core): open the demo page, send
 * a message, watch the reply stream in with tool activity and car cards, reload, find the history.
 * Screenshots go to test-artifacts/ (git-ignored). Skipped when /usr/bin/chromium is absent.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import express from "express";
import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../core/agent.ts";
import type { TurnInput } from "../../core/turn.ts";
import type { CalculateFinancingOutput } from "../../tools/contracts.ts";
import { errorHandler } from "../errors.ts";
import { SEARCH_OUTPUT } from "./testing/fixtures.ts";
import { webRouter } from "./router.ts";
import { startAppRuntime } from "./testing/app-runtime.ts";
import { makeScriptedAgent, type ScriptedTurn } from "./testing/scripted-agent.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url);

const FINANCING_OUTPUT: CalculateFinancingOutput = {
  ok: true,
  quoteId: "q_test",
  car: { stockId: 243587, make: "Nissan", model: "Versa", year: 2019, version: "Advance" },
  price: 214999,
  downPayment: 43000,
  financed: 171999,
  annualRate: "10%",
  plans: [
    { termMonths: 36, monthlyPayment: "5549.91", totalPaid: "199796.76", totalInterest: "27797.76" },
    { termMonths: 48, monthlyPayment: "4362.32", totalPaid: "209391.36", totalInterest: "37392.36" },
  ],
};

const script = (input: TurnInput): ScriptedTurn => {
  if (/financ|mensual/i.test(input.text)) {
    return {
      text: "Para el *Nissan Versa 2019* con $43,000 de enganche, te quedan estas mensualidades.",
      toolCalls: [{ name: "calculate_financing", input: { stockId: 243587, downPayment: 43000 }, output: FINANCING_OUTPUT }],
      chunkDelayMs: 20,
    };
  }
  return {
    text: "Te encontré *2 autos* económicos. ¿Quieres que te calcule las mensualidades de alguno?",
    toolCalls: [{ name: "search_cars", input: { needs: ["economico"] }, output: SEARCH_OUTPUT }],
    delayMs: 100,
    chunkDelayMs: 60,
  };
};

const serve = async (agent: Layer.Layer<Agent>) => {
  const runtime = ManagedRuntime.make(agent);
  const app = express();
  app.use(webRouter({ run: (effect) => runtime.runPromise(effect), config: { allowedOrigins: [] } }));
  app.use(errorHandler);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
};

const openWidget = async (page: Page) => {
  const launcher = page.getByRole("button", { name: /^Chat con / });
  await launcher.click();
  await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("true");
  return page.getByRole("textbox", { name: "Escribe tu mensaje" });
};

describe.skipIf(!hasChromium)(`widget in Chromium${hasChromium ? "" : " (skipped: /usr/bin/chromium is not installed; apt-get install chromium)"}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("streams a reply with tool activity and car cards, shows financing as a plan, and keeps the conversation after a reload", async () => {
    const agent = makeScriptedAgent(script);
    const server = await serve(agent.layer);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "es-MX" });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    try {
      await page.goto(server.url);
      const textbox = await openWidget(page);
      await expect.poll(() => textbox.evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await expect.poll(() => page.locator(".msg.assistant").first().textContent()).toContain("Soy tu asesor");

      await textbox.fill("Hola, busco un auto económico");
      await textbox.press("Enter");

      // Tool activity is shown while the tool runs.
      await page.getByRole("status").filter({ hasText: "Buscando autos…" }).waitFor({ timeout: 5000 });
      // Cards render from the search_cars output.
      const cards = page.locator("article.card");
      await expect.poll(() => cards.count()).toBe(2);
      expect(await cards.first().textContent()).toContain("Nissan Versa 2019");
      expect(await cards.first().textContent()).toContain("$214,999");
      expect(await cards.first().textContent()).toContain("48,213 km");
      // The text streams: a partly written bubble is seen before the reply is complete.
      await page.waitForFunction(() => {
        const bubble = document.querySelector("#kavak-chat-widget")?.shadowRoot?.querySelector(".msg.assistant[aria-busy='true']");
        return bubble !== null && bubble !== undefined && (bubble.textContent ?? "").length > 0;
      });
      const reply = page.locator(".turn .msg.assistant").last();
      await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain("¿Quieres que te calcule las mensualidades de alguno?");
      expect(await reply.locator("strong").textContent()).toBe("2 autos");
      // The finished reply is announced to screen readers.
      const announcer = page.locator("[aria-live='polite']");
      await expect.poll(() => announcer.textContent()).toContain("Asistente de autos dice: Te encontré 2 autos");
      await page.screenshot({ path: new URL("widget.png", ARTIFACTS).pathname });

      await textbox.fill("¿Cuánto pagaría de mensualidad por el Versa?");
      await page.getByRole("button", { name: "Enviar mensaje" }).click();
      const plan = page.getByRole("region", { name: /Plan de financiamiento/ });
      await plan.waitFor();
      expect(await plan.textContent()).toContain("$5,549.91");
      expect(await plan.getByRole("row", { name: /48 meses/ }).textContent()).toContain("$4,362.32");
      await expect.poll(() => page.locator(".turn .msg.assistant").last().textContent()).toContain("te quedan estas mensualidades.");
      await page.screenshot({ path: new URL("widget-financing.png", ARTIFACTS).pathname });

      const storedId = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.endsWith(":conversation"))?.[1]);
      expect(agent.calls.map((call) => call.conversationId)).toEqual([`web:${storedId}`, `web:${storedId}`]);

      // Reload: the same conversation comes back from the server, the panel reopens.
      await page.reload();
      const userMessages = page.locator(".msg.user");
      await expect.poll(() => userMessages.allTextContents()).toEqual(["Hola, busco un auto económico", "¿Cuánto pagaría de mensualidad por el Versa?"]);
      await expect.poll(() => page.locator(".msg.assistant").allTextContents()).toEqual([
        "Te encontré 2 autos económicos. ¿Quieres que te calcule las mensualidades de alguno?",
        "Para el Nissan Versa 2019 con $43,000 de enganche, te quedan estas mensualidades.",
      ]);

      // Keyboard: Escape closes and gives focus back to the launcher; Enter reopens.
      await page.keyboard.press("Escape");
      const launcher = page.getByRole("button", { name: /^Chat con / });
      await expect.poll(() => launcher.evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.getByRole("dialog").isVisible()).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  }, 60_000);

  it("fits a phone screen and shows a kind message when the server fails", async () => {
    const agent = makeScriptedAgent(() => ({ text: "", fail: true }));
    const server = await serve(agent.layer);
    const context = await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true, locale: "es-MX" });
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      const textbox = await openWidget(page);
      const box = await page.getByRole("dialog").boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 780 });
      await textbox.fill("Hola");
      await textbox.press("Enter");
      const error = page.locator(".msg.error");
      await error.waitFor();
      expect(await error.textContent()).toContain("Lo siento");
      await page.screenshot({ path: new URL("widget-mobile.png", ARTIFACTS).pathname });
    } finally {
      await context.close();
      await server.close();
    }
  }, 60_000);

  it("shows real catalog cars from the real agent (offline model)", async () => {
    const app = await startAppRuntime();
    const agent = await app.runtime.runPromise(Agent.use(Effect.succeed));
    const server = await serve(Layer.succeed(Agent, agent));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "es-MX" });
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      const textbox = await openWidget(page);
      await textbox.fill("Hola, busco un auto económico");
      await textbox.press("Enter");
      const cards = page.locator("article.card");
      await expect.poll(() => cards.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      await expect.poll(() => page.locator(".turn .msg.assistant").count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.locator(".turn .msg.assistant[aria-busy]").count()).toBe(0);
      const firstCard = (await cards.first().textContent()) ?? "";
      expect(firstCard).toMatch(/\$\d{2,3},\d{3}/);
      await page.screenshot({ path: new URL("widget-offline-agent.png", ARTIFACTS).pathname });
      await page.reload();
      await expect.poll(() => page.locator(".msg.user").allTextContents()).toEqual(["Hola, busco un auto económico"]);
      await expect.poll(() => page.locator(".msg.assistant").count()).toBe(1);
    } finally {
      await context.close();
      await server.close();
      await app.close();
    }
  }, 90_000);
});
