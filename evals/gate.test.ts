/** The release gate's own checks (issue 15): oracles, policy figures, stored results, spans, wording, channels. */
import { describe, expect, it } from "vitest";
import { readUiStream, squashSpaces, twimlMessages } from "./app/channel-clients.ts";
import { FaultRegistry } from "./app/faults.ts";
import { APOLOGY, FALSE_NEGATIVE } from "./grade.ts";
import { catalogById, checkToolResult, decimal, expectedFinancing, expectedSchedule, expectedSearchTotal, ORACLE_TOOLS, paymentCents } from "./oracles.ts";
import { checkPolicy, kavakPolicy } from "./policy.ts";
import { checkStoredQuote } from "./stored-checks.ts";
import { agreedContracts, loadToolCases, registryTools } from "./tool-cases.ts";
import { checkToolSpans, ownConversation, toolSpanTable, type SpanView } from "./trace-checks.ts";
import { checkWording, stringLiterals, WORDING_FILES, checkWordingFile } from "./wording.ts";

const versa = 322722;

describe("financing oracle", () => {
  it("computes the payment from the rule, half-up to the cent", () => {
    expect(decimal(paymentCents(215_999, 36))).toBe("6969.68");
    expect(decimal(paymentCents(215_999, 72))).toBe("4001.56");
    expect(decimal(paymentCents(1, 36))).toBe("0.03");
  });

  it("says which requests break a rule, with the boundary on the right side", () => {
    expect(expectedFinancing({ stockId: versa, downPayment: 265_998 }).errors).toEqual([]);
    expect(expectedFinancing({ stockId: versa, downPayment: 265_999 }).errors).toEqual(["down_payment_too_high"]);
    expect(expectedFinancing({ stockId: versa, termMonths: [35] }).errors).toEqual(["invalid_term"]);
    expect(expectedFinancing({ stockId: versa, termMonths: [36, 72] }).errors).toEqual([]);
    expect(expectedFinancing({ stockId: versa, downPaymentPercent: 12.5 }).downPayment).toBe(33_250);
    expect(expectedFinancing({ stockId: 1 }).errors).toEqual(["car_not_found"]);
  });

  it("flags a wrong figure and an accepted impossible request", () => {
    const ok = { ok: true, quoteId: "q_1", car: { stockId: versa, make: "Nissan", model: "Versa", year: 2020, version: "x" }, price: 265_999, downPayment: 50_000, financed: 215_999, annualRate: "10%", plans: [{ termMonths: 36, monthlyPayment: "6969.68", totalPaid: "250908.48", totalInterest: "34909.48" }] };
    expect(checkToolResult("calculate_financing", { stockId: versa, downPayment: 50_000, termMonths: [36] }, ok)).toEqual([]);
    expect(checkToolResult("calculate_financing", { stockId: versa, downPayment: 50_000, termMonths: [36] }, { ...ok, plans: [{ ...ok.plans[0], monthlyPayment: "6969.67" }] })).toEqual([expect.stringContaining("monthlyPayment")]);
    expect(checkToolResult("calculate_financing", { stockId: versa, downPayment: 265_999 }, ok)).toEqual([expect.stringContaining("breaks a rule")]);
  });

  it("has a schedule that ends at 0.00 with one row per month", () => {
    const rows = expectedSchedule(215_999, 48);
    expect(rows).toHaveLength(48);
    expect(rows.at(-1)!.balance).toBe("0.00");
  });
});

describe("search oracle", () => {
  it("counts the catalog cars inside inclusive limits", () => {
    const car = catalogById().get(versa)!;
    expect(expectedSearchTotal({ make: "Nissan", maxPrice: car.price })).toBe(7);
    expect(expectedSearchTotal({ make: "Nissan", maxPrice: car.price - 1 })).toBe(6);
    expect(expectedSearchTotal({ query: "versa" })).toBeUndefined();
  });

  it("flags a car outside a filter or with figures the catalog does not have", () => {
    const card = { ...catalogById().get(versa)! };
    // Facets describe the whole catalog when the search has no text (SEMANTICS.md §4).
    const all = [...catalogById().values()];
    const facets = { price: { min: Math.min(...all.map((c) => c.price)), max: Math.max(...all.map((c) => c.price)) }, makes: [{ make: "*", count: all.length }] };
    const output = { total: 1, offset: 0, cars: [card], nearest: [], facets };
    expect(checkToolResult("search_cars", { model: "Versa", maxPrice: 265_999, minYear: 2020 }, output)).toEqual([]);
    expect(checkToolResult("search_cars", { model: "Versa", maxPrice: 265_998, minYear: 2020 }, output)).toEqual(expect.arrayContaining([expect.stringContaining("maxPrice")]));
    expect(checkToolResult("search_cars", { model: "Versa", minYear: 2020 }, { ...output, cars: [{ ...card, price: 264_999 }] })).toEqual([expect.stringContaining("the catalog says")]);
  });

  it("has an oracle for every tool of the registry", () => {
    expect(Object.keys(registryTools()).sort()).toEqual([...ORACLE_TOOLS].sort());
  });
});

describe("policy figures from the knowledge base", () => {
  it("are read from the documents", () => {
    const policy = kavakPolicy();
    expect(policy.unreadable).toEqual([]);
    expect(policy.terms).toEqual([36, 48, 60, 72]);
    expect([...policy.ratePercent]).toEqual([10]);
  });

  it("flag a number attached to a policy that the knowledge base contradicts", () => {
    expect(checkPolicy("Todos los autos tienen garantía de 3 meses, extendible un año más con Kavak Total.")).toEqual([]);
    expect(checkPolicy("Todos los autos tienen garantía de 6 meses.")).toHaveLength(1);
    expect(checkPolicy("Periodo de prueba de 7 días o 300 km y garantía de 3 meses.")).toEqual([]);
    expect(checkPolicy("Periodo de prueba de 10 días.")).toHaveLength(1);
    expect(checkPolicy("Plazos de 24, 36 o 48 meses")).toEqual([expect.stringContaining("24 meses")]);
    expect(checkPolicy("No manejamos plazos de 84 meses.")).toEqual([]);
    expect(checkPolicy("Tasa fija de 12% anual")).toHaveLength(1);
  });
});

describe("stored quotes", () => {
  const output = { quoteId: "q_1", price: 1000, downPayment: 0, financed: 1000, annualRate: "10%", car: null, plans: [{ termMonths: 36, monthlyPayment: decimal(paymentCents(1000, 36)), totalPaid: "x", totalInterest: "y" }] };
  const stored = (schedule: unknown[]) => ({ status: 200, body: { id: "q_1", stockId: null, price: 1000, downPayment: 0, financed: 1000, annualRate: "0.10", plans: [{ ...output.plans[0], schedule }] } });

  it("pass when fetchable with the same figures and a schedule ending at 0.00", () => {
    expect(checkStoredQuote("q_1", output, stored(expectedSchedule(1000, 36)))).toEqual([]);
  });

  it("fail when not fetchable, or when the schedule misses a month or a balance", () => {
    expect(checkStoredQuote("q_1", output, { status: 404, body: {} })).toEqual([expect.stringContaining("answered 404")]);
    expect(checkStoredQuote("q_1", output, stored(expectedSchedule(1000, 36).slice(0, 35)))).toEqual(expect.arrayContaining([expect.stringContaining("35 rows")]));
    const wrongLast = expectedSchedule(1000, 36).map((row, i) => (i === 35 ? { ...row, balance: "0.01" } : row));
    expect(checkStoredQuote("q_1", output, stored(wrongLast))).toEqual(expect.arrayContaining([expect.stringContaining("not 0.00")]));
  });
});

describe("per-tool spans", () => {
  const span = (name: string, spanId: string, parentSpanId?: string, attributes: Record<string, unknown> = {}): SpanView => ({ name, durationMs: 1, error: false, spanId, parentSpanId, attributes });

  it("are recorded for every tool of the registry", () => {
    expect(Object.keys(toolSpanTable()).sort()).toEqual(Object.keys(registryTools()).sort());
  });

  it("require the tool's own span under its call", () => {
    const table = { search_cars: { ok: [{ name: "tool.search_cars", attributes: [] }, { name: "catalog_search.search", attributes: ["search.total"] }] } };
    const call = span("execute_tool search_cars", "a", "root", { "gen_ai.tool.call.result": JSON.stringify({ total: 1 }) });
    expect(checkToolSpans([call, span("tool.search_cars", "b", "a"), span("catalog_search.search", "c", "b", { "search.total": 1 })], table)).toEqual([]);
    expect(checkToolSpans([call, span("catalog_search.search", "c", "a", { "search.total": 1 })], table)).toEqual([expect.stringContaining('no "tool.search_cars"')]);
    expect(checkToolSpans([call, span("tool.search_cars", "b", "a"), span("catalog_search.search", "c", "b")], table)).toEqual([expect.stringContaining("lacks search.total")]);
  });

  it("leave out the turns of other conversations sharing a trace", () => {
    const spans = [span("chat.turn", "t1", undefined, { "chat.conversation_id": "a" }), span("chat.turn", "t2", undefined, { "chat.conversation_id": "b" }), span("execute_tool x", "x", "t2")];
    expect(ownConversation(spans, "a").map((s) => s.spanId)).toEqual(["t1"]);
  });
});

describe("fault injection", () => {
  it("fires only for the armed conversation, in the armed turns", () => {
    const faults = new FaultRegistry();
    faults.arm("tok1", [{ service: "catalog_search", mode: "fail", turns: [2] }]);
    faults.bindTrace("trace-1", "wa:tok1");
    faults.setTurn("tok1", 1);
    expect(faults.faultFor("catalog_search", { traceId: "trace-1" })).toBeUndefined();
    faults.setTurn("tok1", 2);
    expect(faults.faultFor("catalog_search", { traceId: "trace-1" })?.mode).toBe("fail");
    expect(faults.faultFor("catalog_search", { traceId: "trace-2" })).toBeUndefined();
    expect(faults.disarm("tok1")).toEqual([{ turn: 2, service: "catalog_search", mode: "fail" }]);
  });

  it("tells an apology from a false negative", () => {
    expect(APOLOGY.test("Tuve un problema para consultar el sistema en este momento 🙏")).toBe(true);
    expect(FALSE_NEGATIVE.test("No encontré autos con esos filtros.")).toBe(true);
    expect(FALSE_NEGATIVE.test("Ese auto ya no aparece en el inventario")).toBe(true);
    expect(FALSE_NEGATIVE.test("Tuve un problema para consultar el sistema")).toBe(false);
  });
});

describe("channel deliveries", () => {
  it("read TwiML messages, unescaped", () => {
    expect(twimlMessages('<?xml version="1.0"?><Response><Message>a &amp; &lt;b&gt;</Message><Message><Body>c</Body></Message></Response>')).toEqual(["a & <b>", "c"]);
  });

  it("read an AI SDK UI message stream", () => {
    const body = 'data: {"type":"start"}\n\ndata: {"type":"text-delta","id":"t","delta":"ho"}\n\ndata: [DONE]\n\n';
    expect(readUiStream(body)).toEqual({ chunks: [{ type: "start" }, { type: "text-delta", id: "t", delta: "ho" }], done: true, malformed: [] });
  });

  it("compare a split delivery with the reply whatever the separators", () => {
    expect(squashSpaces("uno dos\n\ntres")).toBe(squashSpaces("uno dos tres"));
  });
});

describe("wording", () => {
  it("reads a template's literals and flags English, invented policy figures and false claims", () => {
    const literals = stringLiterals('const a = "Hola, ¿en qué te ayudo hoy?"; const b = `Sure! Here is what I found for you: ${x}`;', "x.ts");
    expect(literals.map((l) => l.text)).toEqual(["Hola, ¿en qué te ayudo hoy?", "Sure! Here is what I found for you: …"]);
    expect(checkWording(literals[1]!.text)).not.toEqual([]);
    expect(checkWording("Todos nuestros autos tienen garantía de 6 meses")).not.toEqual([]);
    expect(checkWording("Todos pasan una inspección de 240 puntos")).not.toEqual([]);
  });

  it("finds nothing wrong in the reply templates today", () => {
    expect(WORDING_FILES.flatMap(checkWordingFile)).toEqual([]);
  });
});

describe("tool-level cases", () => {
  it("cover every enum value of the agreed contracts and every tool of the registry", async () => {
    const cases = await loadToolCases();
    const tools = new Set(cases.map((c) => c.tool));
    for (const tool of Object.keys(registryTools())) expect(tools.has(tool)).toBe(true);
    for (const contract of agreedContracts())
      for (const [key, prop] of Object.entries(contract.schema.properties ?? {}))
        for (const value of prop.enum ?? prop.items?.enum ?? []) expect(cases.some((c) => c.tool === contract.name && JSON.stringify(c.input[key]) === JSON.stringify(prop.type === "array" ? [value] : value))).toBe(true);
  });

  it("agree with the registry's live contracts", async () => {
    const { registryContracts } = await import("./tool-cases.ts");
    expect(await registryContracts()).toEqual(agreedContracts());
  });
});
