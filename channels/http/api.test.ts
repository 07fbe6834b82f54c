import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import vectors from "../../knowledge/financing/vectors.json" with { type: "json" };
import { postJson, startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { usingPostgres } from "../../knowledge/db/test-database.ts";

let server: TestServer;
const conversation = (name: string) => `${server.url}/v1/conversations/${name}-${randomUUID()}`;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe("conversations API on the offline model", () => {
  it("finds both Nissan Versas of the catalog", async () => {
    const base = conversation("versa");
    const res = await postJson(`${base}/messages`, { text: "Busco un Nissan Versa" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.conversationId).toBe(base.split("/").at(-1));
    expect(body.toolCalls[0].name).toBe("search_cars");
    const found = body.toolCalls[0].output.cars.map((car: { model: string; year: number; price: number }) => [car.model, car.year, car.price]);
    expect(found).toEqual(expect.arrayContaining([["Versa", 2020, 265_999], ["Versa", 2018, 220_999]]));
    expect(body.reply.text).toContain("$265,999");
    expect(body.reply.text).toContain("$220,999");
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("computes the monthly payment of the 2020 Versa with 50 mil down at 48 months", async () => {
    const res = await postJson(`${conversation("financing")}/messages`, {
      text: "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?",
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    const financing = body.toolCalls.find((call: { name: string }) => call.name === "calculate_financing");
    expect(financing.input).toMatchObject({ downPayment: 50_000, termMonths: [48] });
    expect(financing.output.plans[0].monthlyPayment).toBe("5478.29");
    expect(body.reply.text).toContain("$5,478.29");
  });

  it("records one trace per turn, from the turn through the tool to the store", async () => {
    const res = await postJson(`${conversation("trace")}/messages`, { text: "Busco un Nissan Versa" });
    const { traceId } = await res.json();
    const trace = await (await fetch(`${server.url}/v1/traces/${traceId}`)).json();
    const names: string[] = trace.spans.map((span: { name: string }) => span.name);
    expect(names).toContain("chat.turn");
    expect(names.some((name) => name.includes("search_cars"))).toBe(true);
    // The store's statements, each naming the store operation it belongs to. On PostgreSQL they come
    // from the pg instrumentation, which the preload installs before `pg` loads: this in-process
    // server has none, and observability/otlp-census.test.ts checks them on a real app process.
    if (!usingPostgres()) expect(trace.spans.some((span: { name: string; attributes: Record<string, unknown> }) => span.name === "SELECT messages" && span.attributes["store.operation"] === "messages.recent")).toBe(true);
    expect(new Set(trace.spans.map((span: { traceId: string }) => span.traceId))).toEqual(new Set([traceId]));
    expect((await fetch(`${server.url}/v1/traces/${"0".repeat(32)}`)).status).toBe(404);
  });

  it("keeps the history in order and forgets it on DELETE", async () => {
    const base = conversation("history");
    await postJson(`${base}/messages`, { text: "Hola" });
    await postJson(`${base}/messages`, { text: "Busco un Nissan Versa" });
    const history = await (await fetch(`${base}/messages`)).json();
    expect(history.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(history.messages[2].text).toBe("Busco un Nissan Versa");
    expect(Number.isNaN(Date.parse(history.messages[0].createdAt))).toBe(false);
    expect((await fetch(base, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${base}/messages`)).status).toBe(404);
    expect((await fetch(base, { method: "DELETE" })).status).toBe(404);
  });

  it("remembers earlier tool results, so later turns can refer to them", async () => {
    const base = conversation("memory");
    await postJson(`${base}/messages`, { text: "Busco un Nissan Versa" });
    const res = await postJson(`${base}/messages`, { text: "el segundo" });
    const body = await res.json();
    expect(body.reply.text).toContain("2018");
    expect(body.reply.text).not.toContain("¿De qué auto");
  });

  it("answers concurrent messages of one conversation in arrival order", async () => {
    const base = conversation("order");
    const texts = Array.from({ length: 8 }, (_, i) => `Busco un auto de ${2015 + i} en adelante`);
    const responses = [];
    for (const text of texts) responses.push(postJson(`${base}/messages`, { text }));
    expect((await Promise.all(responses)).map((res) => res.status)).toEqual(texts.map(() => 200));
    const history = await (await fetch(`${base}/messages`)).json();
    const userTexts = history.messages.filter((m: { role: string }) => m.role === "user").map((m: { text: string }) => m.text);
    expect(userTexts).toEqual(texts);
  });
});

describe("conversations API errors", () => {
  const expectError = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  };

  it("rejects malformed JSON", async () => {
    const res = await fetch(`${conversation("bad")}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"text": ' });
    await expectError(res, 400, "malformed_json");
  });

  it.each([
    ["missing text", {}],
    ["empty text", { text: "   " }],
    ["text not a string", { text: 42 }],
    ["text over 4,000 characters", { text: "a".repeat(4001) }],
  ])("rejects %s", async (_name, body) => {
    await expectError(await postJson(`${conversation("bad")}/messages`, body), 400, "invalid_body");
  });

  it("accepts exactly 4,000 characters", async () => {
    const res = await postJson(`${conversation("long")}/messages`, { text: `Hola ${"a".repeat(3995)}` });
    expect(res.status).toBe(200);
    expect((await res.json()).reply.text.length).toBeLessThanOrEqual(1600);
  });

  it.each([["x".repeat(129)], ["tiene espacio"], ["slash%2Fid"], ["emoji😀"]])("rejects the conversation id %s", async (id) => {
    await expectError(await postJson(`${server.url}/v1/conversations/${encodeURIComponent(id)}/messages`, { text: "hola" }), 400, "invalid_conversation_id");
  });

  it("keeps other channels' conversations out of reach", async () => {
    await expectError(await fetch(`${server.url}/v1/conversations/wa:5215512345678/messages`), 400, "reserved_conversation_id");
    await expectError(await fetch(`${server.url}/v1/conversations/web:abcdefabcdefabcdef`, { method: "DELETE" }), 400, "reserved_conversation_id");
  });

  it("rejects a body over 64 KB with 413", async () => {
    await expectError(await postJson(`${conversation("big")}/messages`, { text: "a".repeat(70_000) }), 413, "body_too_large");
  });

  it("answers 404 for unknown conversations and routes", async () => {
    await expectError(await fetch(`${conversation("unknown")}/messages`), 404, "conversation_not_found");
    await expectError(await fetch(`${server.url}/v1/nope`), 404, "not_found");
  });

  it("reports health with each dependency", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.dependencies.database.status).toBe("up");
    expect(body.dependencies.model.detail).toContain("offline");
    expect(body.dependencies.search.detail).toContain("embedded");
  });
});

describe("financing quotes API", () => {
  it.each(vectors.vectors)("quotes $price - $downPayment at $termMonths months exactly", async (v) => {
    const res = await postJson(`${server.url}/v1/financing/quotes`, { price: v.price, downPayment: v.downPayment, termMonths: [v.termMonths] });
    expect(res.status).toBe(201);
    const quote = await res.json();
    expect(quote).toMatchObject({ price: v.price, downPayment: v.downPayment, financed: v.financed, annualRate: "0.10" });
    const [plan] = quote.plans;
    expect(plan).toMatchObject({ termMonths: v.termMonths, monthlyPayment: v.monthlyPayment, totalPaid: v.totalPaid, totalInterest: v.totalInterest });
    expect(plan.schedule).toHaveLength(v.termMonths);
    expect(plan.schedule.at(-1).balance).toBe("0.00");
    const again = await (await fetch(`${server.url}/v1/financing/quotes/${quote.id}`)).json();
    expect(again.plans[0].monthlyPayment).toBe(v.monthlyPayment);
  });

  it.each(vectors.invalid)("rejects $why naming the field", async (v) => {
    const res = await postJson(`${server.url}/v1/financing/quotes`, { price: v.price, downPayment: v.downPayment, termMonths: [v.termMonths] });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(["price", "downPayment", "termMonths"]).toContain(error.field);
    expect(error.message).toMatch(/36|price|0|positive|greater/);
  });

  it("quotes a catalog car by stock id with every term", async () => {
    const res = await postJson(`${server.url}/v1/financing/quotes`, { stockId: 243587, downPayment: 100_000 });
    expect(res.status).toBe(201);
    const quote = await res.json();
    expect(quote.price).toBe(461_999);
    expect(quote.plans.map((p: { termMonths: number }) => p.termMonths)).toEqual([36, 48, 60, 72]);
    expect((await postJson(`${server.url}/v1/financing/quotes`, { stockId: 1, downPayment: 0 })).status).toBe(404);
    expect((await postJson(`${server.url}/v1/financing/quotes`, { price: 100_000.5 })).status).toBe(400);
    expect((await fetch(`${server.url}/v1/financing/quotes/q_nope`)).status).toBe(404);
  });
});

describe("trace propagation", () => {
  it("joins the caller's trace when a traceparent header is sent", async () => {
    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await postJson(`${conversation("traceparent")}/messages`, { text: "Hola" }, { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` });
    expect((await res.json()).traceId).toBe(callerTrace);
  });
});
