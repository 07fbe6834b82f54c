/** A conversation's stored messages as exchanges with their tool calls, paired with the turns that produced them. */
import { describe, expect, it } from "vitest";
import type { MessageRow, TurnRow } from "../trace-store/queries.ts";
import { exchangesOf, pairTurns, toolCallsById } from "./conversation-view.ts";

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
const messages: MessageRow[] = [
  { seq: 1, role: "user", text: "Busco un Versa", content: { role: "user", content: "Busco un Versa" }, createdAt: at(1) },
  { seq: 2, role: "assistant", text: null, content: { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "search_cars", input: { model: "Versa" } }] }, createdAt: at(1) },
  { seq: 3, role: "tool", text: null, content: { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "search_cars", output: { type: "json", value: { ok: true, cars: [] } } }] }, createdAt: at(1) },
  { seq: 4, role: "assistant", text: "Encontré 2 opciones.", content: { role: "assistant", content: [{ type: "text", text: "Encontré 2 opciones." }] }, createdAt: at(1) },
  { seq: 5, role: "user", text: "", content: { role: "user", content: "\n[El usuario adjuntó 1 archivo(s): image/jpeg]" }, createdAt: at(9) },
  { seq: 6, role: "assistant", text: "Recibí tu foto.", content: { role: "assistant", content: "Recibí tu foto." }, createdAt: at(9) },
];
const turn = (s: number, durationMs: number, error = false): TurnRow => ({ traceId: `t${s}`, spanId: `s${s}`, conversationId: "c", channel: "http", startedAt: at(s), durationMs, error, errorMessage: null, toolNames: [] });

describe("conversation view", () => {
  it("groups messages into exchanges with tool calls, their results and attachments", () => {
    const exchanges = exchangesOf(messages);
    expect(exchanges).toHaveLength(2);
    expect(exchanges[0]).toMatchObject({ user: "Busco un Versa", reply: "Encontré 2 opciones.", toolCalls: [{ id: "c1", name: "search_cars", input: { model: "Versa" }, output: { ok: true, cars: [] } }] });
    expect(exchanges[1]).toMatchObject({ user: "", media: ["image/jpeg"], reply: "Recibí tu foto.", toolCalls: [] });
    expect(Object.keys(toolCallsById(exchanges))).toEqual(["c1"]);
  });

  it("pairs each turn with the exchange stored while it ran; a failed turn takes none", () => {
    const exchanges = exchangesOf(messages);
    const paired = pairTurns([turn(0, 1_500), turn(5, 100, true), turn(8, 1_200)], exchanges);
    expect(paired.map((t) => t.exchange?.user ?? null)).toEqual(["Busco un Versa", null, ""]);
  });
});
