/**
 * The inspector on a real server (offline model, PGlite or PostgreSQL): the admin key guards it,
 * its API searches the stored turns and saves a conversation as a golden one; then, in Chromium,
 * an engineer drills down conversations → turns → a turn's waterfall and saves it as golden.
 * Screenshots: observability/inspector/screenshots/ (committed; refresh them with
 * INSPECTOR_SCREENSHOTS=update npx vitest run observability/inspector/inspector.test.ts). The browser part is skipped
 * when /usr/bin/chromium is absent.
 */
import { mkdirSync, existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { parseConversations } from "../../evals/conversation-spec.ts";

const KEY = "inspector-test-key-0123456789";
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
// The committed screenshots are refreshed on request (INSPECTOR_SCREENSHOTS=update); other runs write to test-artifacts/ (git-ignored).
const SCREENSHOTS = new URL(process.env.INSPECTOR_SCREENSHOTS === "update" ? "./screenshots/" : "../../test-artifacts/inspector/", import.meta.url).pathname;
const DEMO = "inspector-demo";
const DEMO_TURNS = ["Busco un Nissan Versa", "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?", "¿Tienen garantía?"];

let server: TestServer;
const auth = { authorization: `Bearer ${KEY}` };
const get = (path: string, headers: Record<string, string> = auth) => fetch(`${server.url}${path}`, { headers });

beforeAll(async () => {
  server = await startTestServer((config) => ({ ...config, admin: { ...config.admin, apiKeys: [KEY] } }));
  for (const text of DEMO_TURNS) expect((await postJson(`${server.url}/v1/conversations/${DEMO}/messages`, { text })).status).toBe(200);
  expect((await postJson(`${server.url}/v1/conversations/inspector-other/messages`, { text: "hola" })).status).toBe(200);
  await server.tracing.store.forceFlush();
}, 120_000);
afterAll(() => server?.close());

describe("inspector API", () => {
  it("answers only with the admin key (Bearer, X-API-Key or HTTP Basic)", async () => {
    const none = await get("/inspector", {});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect((await get("/inspector/api/conversations", { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await get("/inspector/api/conversations", { "x-api-key": KEY })).status).toBe(200);
    const basic = await get("/inspector", { authorization: `Basic ${Buffer.from(`admin:${KEY}`).toString("base64")}` });
    expect(basic.status).toBe(200);
    expect(await basic.text()).toContain("Trace inspector");
    expect(basic.headers.get("content-security-policy")).toContain("connect-src 'self'");
  });

  it("finds conversations by tool and shows a conversation's turns with what was said", async () => {
    const byTool = (await (await get("/inspector/api/conversations?tool=calculate_financing")).json()) as { conversations: { conversationId: string; turns: number }[] };
    expect(byTool.conversations).toEqual([expect.objectContaining({ conversationId: DEMO, turns: 3 })]);
    const all = (await (await get("/inspector/api/conversations?channel=http")).json()) as { conversations: { conversationId: string }[] };
    expect(all.conversations.map((c) => c.conversationId).sort()).toEqual([DEMO, "inspector-other"]);

    const view = (await (await get(`/inspector/api/conversations/${DEMO}`)).json()) as { turns: { traceId: string; toolNames: string[]; exchange?: { user: string; reply: string } }[] };
    expect(view.turns.map((t) => t.exchange?.user)).toEqual(DEMO_TURNS);
    expect(view.turns[1]!.toolNames).toContain("calculate_financing");
    const trace = (await (await get(`/inspector/api/traces/${view.turns[1]!.traceId}`)).json()) as { spans: { name: string }[]; turns: unknown[] };
    expect(trace.spans.map((s) => s.name)).toContain("execute_tool calculate_financing");
    expect(trace.turns).toHaveLength(1);
    expect((await get("/inspector/api/conversations/nobody")).status).toBe(404);
    expect((await get("/inspector/api/traces/not-a-trace")).status).toBe(400);
  });

  it("saves a conversation as a golden conversation the spec accepts (JSON requests only)", async () => {
    const form = await fetch(`${server.url}/inspector/api/conversations/${DEMO}/golden`, { method: "POST", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect(form.status).toBe(415);
    const response = await postJson(`${server.url}/inspector/api/conversations/${DEMO}/golden`, {}, auth);
    expect(response.status).toBe(200);
    const golden = (await response.json()) as { id: string; file: string; yaml: string };
    const [spec] = parseConversations(golden.yaml, golden.file);
    expect(spec!.id).toBe("saved-http-inspector-demo");
    expect(spec!.turns.map((t) => t.user)).toEqual(DEMO_TURNS);
    expect(spec!.turns[1]!.tools?.map((t) => t.name)).toContain("calculate_financing");
  });

  it("serves older traces from the database through GET /v1/traces/:id", async () => {
    const view = (await (await get(`/inspector/api/conversations/${DEMO}`)).json()) as { turns: { traceId: string }[] };
    const response = await fetch(`${server.url}/v1/traces/${view.turns[0]!.traceId}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { spans: unknown[] }).spans.length).toBeGreaterThan(3);
  });
});

describe.skipIf(!hasChromium)(`inspector in Chromium${hasChromium ? "" : " (skipped: /usr/bin/chromium is not installed; apt-get install chromium)"}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("asks for the key without it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Headless Chromium cannot show the credentials prompt: the navigation fails on the 401 challenge.
    const outcome = await page.goto(`${server.url}/inspector`).then((response) => String(response?.status()), (error: Error) => error.message);
    expect(outcome).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
    expect(await page.locator("#view").count()).toBe(0);
    await context.close();
  });

  it("drills down conversations → turns → a turn's waterfall, and saves the conversation as golden", async () => {
    const context = await browser.newContext({ httpCredentials: { username: "admin", password: KEY }, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${server.url}/inspector`);
      const demoRow = page.locator(`#conversations tr[data-conversation="${DEMO}"]`);
      await demoRow.waitFor();
      await expect.poll(() => page.locator("#conversations tbody tr").count()).toBe(2);
      await page.screenshot({ path: `${SCREENSHOTS}01-conversations.png` });

      // Filtering by tool leaves the one conversation that computed financing.
      await page.fill('input[name="tool"]', "calculate_financing");
      await page.click('form.filters button[type="submit"]');
      await expect.poll(() => page.locator("#conversations tbody tr").count()).toBe(1);
      await demoRow.click();

      const turns = page.locator("#turns tbody tr");
      await expect.poll(() => turns.count()).toBe(3);
      expect(await turns.nth(0).textContent()).toContain("Busco un Nissan Versa");
      expect(await turns.nth(1).textContent()).toContain("calculate_financing");
      await page.screenshot({ path: `${SCREENSHOTS}02-conversation-turns.png`, fullPage: true });

      await page.click("#save-golden");
      const yaml = page.locator("#golden-yaml");
      await yaml.waitFor();
      const [spec] = parseConversations(await yaml.inputValue(), "from-browser.yaml");
      expect(spec!.turns.map((t) => t.user)).toEqual(DEMO_TURNS);
      await page.screenshot({ path: `${SCREENSHOTS}04-save-as-golden.png`, fullPage: true });

      const traceId = await turns.nth(1).getAttribute("data-trace");
      await turns.nth(1).click();
      const tool = page.locator('#waterfall .span[data-span="execute_tool calculate_financing"]');
      await tool.waitFor();
      expect(await page.locator('#waterfall .span[data-span="chat.turn"]').count()).toBe(1);
      expect(await page.locator("#waterfall .span.k-model").count()).toBeGreaterThan(1);
      await tool.click();
      expect(await page.locator("#span-details .tool-input").textContent()).toContain("downPayment");
      expect(await page.locator("#span-details .tool-output").textContent()).toContain("monthlyPayment");
      await page.screenshot({ path: `${SCREENSHOTS}03-turn-waterfall.png`, fullPage: true });

      // Back to the conversation through the breadcrumb.
      await page.click(`.crumbs a[href="#/conversation/${DEMO}"]`);
      await expect.poll(() => turns.count()).toBe(3);
      // The link form the release gate prints for a failing turn: /inspector#/trace/<id>/turn-<n>.
      await page.goto(`${server.url}/inspector#/trace/${traceId}/turn-1`);
      await page.locator('#waterfall .span[data-span="execute_tool calculate_financing"]').waitFor();
      expect(await page.locator('#waterfall .span[data-span="chat.turn"]').count()).toBe(1);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
