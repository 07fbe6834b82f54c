import { describe, expect, it } from "vitest";
import { anyOf, regExpAnyOf } from "./alternation.ts";

describe("anyOf / regExpAnyOf", () => {
  it("joins the alternatives into the source a one-line literal would have", () => {
    expect(anyOf(["a", "b(?:c|d)?", "\\be\\b"])).toBe(String.raw`a|b(?:c|d)?|\be\b`);
    expect(new RegExp(`^(?:${anyOf(["si", "claro"])})$`).source).toBe(/^(?:si|claro)$/.source);
  });

  it("builds the same RegExp as the literal, flags included", () => {
    const re = regExpAnyOf(["gracias", "\\bthx\\b"], "g");
    expect(re.source).toBe(/gracias|\bthx\b/g.source);
    expect(re.flags).toBe("g");
    expect(regExpAnyOf(["x"]).flags).toBe("");
  });
});
