import { SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { ContentPolicyProcessor, type ContentPolicy } from "./content-policy.ts";

const record = (policy: ContentPolicy) => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new ContentPolicyProcessor(policy), new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("test");
  const span = tracer.startSpan("execute_tool check_fines", {
    attributes: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "check_fines",
      "gen_ai.tool.call.arguments": JSON.stringify({ plate: "NXR-452-A" }),
      "gen_ai.input.messages": JSON.stringify([{ role: "user", content: "mi cel 55 1234 5678, placa NXR4521" }]),
      "chat.conversation_id": "wa:+5215512345678",
      "chat.user_chars": 34,
      "url.full": "https://api.twilio.com/Messages.json?To=whatsapp%3A%2B5215512345678",
    },
  });
  span.setAttribute("gen_ai.tool.call.result", JSON.stringify({ ok: true, plate: "NXR4521" }));
  span.addEvent("exception", { "exception.message": "no answer from 55-1234-5678" });
  span.setStatus({ code: SpanStatusCode.ERROR, message: "failed for NXR4521" });
  span.end();
  return exporter.getFinishedSpans()[0]!;
};

describe("ContentPolicyProcessor", () => {
  it("capture off (default): no prompts, messages or tool payloads; ids pseudonymous; phones and plates redacted everywhere", () => {
    const span = record({ captureContent: false, idKey: "k" });
    expect(Object.keys(span.attributes).sort()).toEqual(["chat.conversation_id", "chat.user_chars", "gen_ai.operation.name", "gen_ai.tool.name", "url.full"]);
    expect(span.attributes["chat.conversation_id"]).toMatch(/^wa:anon-[0-9a-f]{20}$/);
    expect(span.attributes["chat.user_chars"]).toBe(34);
    expect(span.attributes["url.full"]).toBe("https://api.twilio.com/Messages.json?To=whatsapp%3A[phone]");
    expect(span.events[0]!.attributes!["exception.message"]).toBe("no answer from [phone]");
    expect(span.status.message).toBe("failed for [plate]");
  });

  it("capture on: content is kept, with phone numbers and plates redacted", () => {
    const span = record({ captureContent: true, idKey: "k" });
    expect(JSON.parse(String(span.attributes["gen_ai.tool.call.arguments"]))).toEqual({ plate: "[plate]" });
    expect(JSON.parse(String(span.attributes["gen_ai.tool.call.result"]))).toEqual({ ok: true, plate: "[plate]" });
    expect(JSON.parse(String(span.attributes["gen_ai.input.messages"]))).toEqual([{ role: "user", content: "mi cel [phone], placa [plate]" }]);
    expect(JSON.stringify(span.attributes)).not.toMatch(/5512345678|NXR/);
  });

  it("the same conversation gets the same pseudonym; another key gives another", () => {
    expect(record({ captureContent: false, idKey: "k" }).attributes["chat.conversation_id"]).toBe(record({ captureContent: false, idKey: "k" }).attributes["chat.conversation_id"]);
    expect(record({ captureContent: false, idKey: "k" }).attributes["chat.conversation_id"]).not.toBe(record({ captureContent: false, idKey: "other" }).attributes["chat.conversation_id"]);
  });

  it("texts seen again (remembered when clean, past the memory's size) are treated as the first time", () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new ContentPolicyProcessor({ captureContent: false, idKey: "k" }), new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("test");
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 3_000; i++) tracer.startSpan(`SELECT cars ${i}`, { attributes: { "db.query.text": `select * from cars where id = $1 -- ${i}`, "error.message": `sin respuesta del 55 1234 ${String(5000 + i)}` } }).end();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(6_000);
    expect(spans.every((span, n) => span.name === `SELECT cars ${n % 3_000}` && span.attributes["db.query.text"] === `select * from cars where id = $1 -- ${n % 3_000}`)).toBe(true);
    expect(spans.every((span) => span.attributes["error.message"] === "sin respuesta del [phone]")).toBe(true);
  });
});
