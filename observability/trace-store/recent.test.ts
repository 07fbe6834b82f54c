import { describe, expect, it } from "vitest";
import { RecentTraces } from "./recent.ts";
import type { StoredSpan } from "./span.ts";

const span = (traceId: string, name: string) => ({ traceId, spanId: `${traceId}-${name}`, name }) as unknown as StoredSpan;

describe("RecentTraces", () => {
  it("keeps the traces most recently extended: a trace still growing outlives newer ones that stopped", () => {
    const recent = new RecentTraces(2);
    recent.add(span("webhook", "whatsapp.webhook"));
    recent.add(span("other-1", "chat.turn"));
    // The reply's spans arrive after another trace began: the webhook's trace is the most recent again.
    recent.add(span("webhook", "chat.turn"));
    recent.add(span("other-2", "chat.turn"));
    expect(recent.get("webhook")?.map((s) => s.name)).toEqual(["whatsapp.webhook", "chat.turn"]);
    expect(recent.get("other-1")).toBeUndefined();
    expect(recent.get("other-2")).toHaveLength(1);
    expect(recent.size).toBe(2);
  });
});
