import { describe, expect, it } from "vitest";
import { memoizeByText } from "./memo.ts";

describe("memoizeByText", () => {
  it("computes each text once while it stays among the most recently used", () => {
    const calls: string[] = [];
    const upper = memoizeByText((text) => (calls.push(text), { text: text.toUpperCase() }), 2);
    expect(upper("a")).toEqual({ text: "A" });
    expect(upper("a")).toBe(upper("a"));
    upper("b");
    upper("a"); // "a" is now the most recent; "b" the least
    upper("c"); // evicts "b"
    upper("a");
    upper("b");
    expect(calls).toEqual(["a", "b", "c", "b"]);
  });

  it("freezes results deeply, so a caller cannot change what the next one gets", () => {
    const read = memoizeByText((text) => ({ slots: { words: text.split(" ") } }), 10);
    const first = read("un versa");
    expect(() => {
      (first.slots.words as string[]).push("rojo");
    }).toThrow(TypeError);
    expect(read("un versa").slots.words).toEqual(["un", "versa"]);
  });

  it("caches undefined results too", () => {
    let calls = 0;
    const nothing = memoizeByText(() => (calls++, undefined), 10);
    nothing("x");
    nothing("x");
    expect(calls).toBe(1);
  });
});
