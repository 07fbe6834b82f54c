/** Save as golden: an observed conversation becomes a valid golden conversation whose expectations its own calls meet. */
import { describe, expect, it } from "vitest";
import { parseConversations } from "./conversation-spec.ts";
import { checkTurn } from "./expectations.ts";
import { goldenFromConversation, goldenId, MAX_GOLDEN_TURNS, type ObservedConversation } from "./from-trace.ts";

const observed: ObservedConversation = {
  conversationId: "demo-1",
  channel: "http",
  savedAt: new Date("2026-12-01T10:00:00Z"),
  exchanges: [
    { user: "Busco un Nissan Versa", toolCalls: [{ name: "search_cars", input: { make: "Nissan", model: "Versa" } }], reply: "Te encontré *2 autos*:\n1. Nissan Versa 2020" },
    {
      user: "¿Cuánto pagaría al mes con 50 mil de enganche a 48 meses?",
      toolCalls: [{ name: "calculate_financing", input: { stockId: 243587, downPayment: 50000, termMonths: [48] } }, { name: "not_a_tool", input: {} }],
      reply: "Con $50,000 de enganche pagarías $4,362.32 al mes.",
    },
    { user: "gracias", toolCalls: [], reply: "¡Con gusto!" },
  ],
};

describe("goldenFromConversation", () => {
  it("writes a golden conversation the spec schema accepts, with the observed tool calls as expectations", () => {
    const golden = goldenFromConversation(observed);
    expect(golden.id).toBe("saved-http-demo-1");
    expect(golden.file).toBe("saved-http-demo-1.yaml");
    const [spec] = parseConversations(golden.yaml, golden.file);
    expect(spec).toMatchObject({ id: "saved-http-demo-1", channels: ["http"], tags: ["from-inspector"] });
    expect(spec!.turns.map((t) => t.user)).toEqual(observed.exchanges.map((e) => e.user));
    expect(spec!.turns[0]!.tools).toEqual([{ name: "search_cars", args: { make: "Nissan", model: "Versa" } }]);
    expect(spec!.turns[1]!.tools).toEqual([{ name: "calculate_financing", args: { stockId: 243587, downPayment: 50000, termMonths: [48] } }]);
    expect(spec!.turns[2]!.tools).toEqual([]);
    // The conversation it came from meets its own expectations.
    spec!.turns.forEach((turn, i) => expect(checkTurn(turn, observed.exchanges[i]!.reply, observed.exchanges[i]!.toolCalls.map((c) => ({ ...c, output: {} })))).toEqual([]));
    expect(golden.yaml).toContain("# reply seen: Te encontré *2 autos*: 1. Nissan Versa 2020");
    expect(golden.yaml).toContain("left out: not_a_tool");
  });

  it("keeps the format's turn limit, hides WhatsApp numbers and keeps media-only WhatsApp turns", () => {
    const long: ObservedConversation = {
      conversationId: "wa:+5215512345678",
      channel: "whatsapp",
      exchanges: [
        { user: "", media: ["image/jpeg"], toolCalls: [], reply: "Recibí tu foto." },
        ...Array.from({ length: 10 }, (_, i) => ({ user: `mensaje ${i}`, toolCalls: [], reply: "ok" })),
      ],
    };
    const golden = goldenFromConversation(long);
    expect(golden.id).toMatch(/^saved-whatsapp-[0-9a-f]{8}$/);
    expect(golden.yaml).not.toContain("5512345678");
    const [spec] = parseConversations(golden.yaml, golden.file);
    expect(spec!.turns).toHaveLength(MAX_GOLDEN_TURNS);
    expect(spec!.turns[0]).toMatchObject({ user: "", whatsapp_media: ["image/jpeg"] });
    expect(spec!.channels).toEqual(["whatsapp"]);
    expect(golden.yaml).toContain(`Only the first ${MAX_GOLDEN_TURNS} of 11 turns`);
  });

  it("makes kebab-case ids from any conversation id", () => {
    expect(goldenId("Demo_Conversación.1:x", "web")).toBe("saved-web-demo-conversacion-1-x");
    expect(goldenId("::", "agent")).toMatch(/^saved-agent-[0-9a-f]{8}$/);
  });
});
