import { describe, expect, it } from "vitest";
import { splitMessage } from "./split-message.ts";

describe("splitMessage", () => {
  it("keeps a short reply whole", () => {
    expect(splitMessage("  Hola, ¿en qué te ayudo?  ")).toEqual(["Hola, ¿en qué te ayudo?"]);
    expect(splitMessage("   ")).toEqual([]);
  });

  it("cuts at paragraph boundaries, in order, without losing text", () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `*Auto ${i + 1}*\n${"Detalle del auto. ".repeat(12).trim()}`);
    const text = paragraphs.join("\n\n");
    const parts = splitMessage(text);
    expect(text.length).toBeGreaterThan(1600);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1600);
    // Every part starts at a paragraph start: no paragraph is cut in two.
    for (const part of parts) expect(part.startsWith("*Auto ")).toBe(true);
    expect(parts.join("\n\n")).toBe(text);
  });

  it("falls back to line, sentence and word boundaries, then to a hard cut", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `Línea ${i}: ${"x".repeat(60)}`).join("\n");
    const byLine = splitMessage(lines, 500);
    for (const part of byLine) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(part.startsWith("Línea ")).toBe(true);
    }
    expect(byLine.join("\n")).toBe(lines);

    const sentences = "Esta es una oración completa. ".repeat(30).trim();
    const bySentence = splitMessage(sentences, 100);
    for (const part of bySentence) expect(part.endsWith(".")).toBe(true);

    const word = "😀".repeat(30); // 60 UTF-16 units
    const cut = splitMessage(word, 25);
    for (const part of cut) expect(part.length).toBeLessThanOrEqual(25);
    expect(cut.join("")).toBe(word);
    expect(cut.every((part) => !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
  });
});
