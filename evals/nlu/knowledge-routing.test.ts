import { describe, expect, it } from "vitest";
import { firstAction, loadRoutingQuestions, measureRouting, toolsOf } from "./knowledge-routing.ts";

const { kavak, offTopic } = loadRoutingQuestions();

describe("Kavak questions of the retrieval eval are routed to search_knowledge", () => {
  it("reads every question of the yaml (main list and held-out)", () => {
    expect(kavak.length).toBeGreaterThanOrEqual(126);
  });

  it("routes 100% of them", () => {
    const result = measureRouting(kavak);
    console.log(`knowledge routing: ${result.routed}/${result.questions} (${(result.rate * 100).toFixed(1)}%)`);
    expect(result.misrouted).toEqual([]);
  });

  it("off-topic questions call no other tool, and a direct reply declines", () => {
    for (const q of offTopic) {
      const action = firstAction(q);
      const names = toolsOf(action);
      expect(names.filter((n) => n !== "search_knowledge"), q).toEqual([]);
      if (action.kind === "reply") expect(action.text, q).toMatch(/Kavak|auto/);
    }
  });
});
