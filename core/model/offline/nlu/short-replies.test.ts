import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { shortReply } from "./short-replies.ts";

const read = (text: string) => shortReply(normalize(text));

describe("short replies made of chat words", () => {
  it.each([
    ["simon, dale", "affirm"],
    ["ok va", "affirm"],
    ["si por favor", "affirm"],
    ["nel, gracias", "deny"],
    ["no, asi esta bien", "deny"],
    ["ya no, cancela", "cancel"],
    ["no no, cancelalo por favor", "cancel"],
    ["si, cancela todo", "cancel"],
  ])("%s → %s", (text, kind) => {
    expect(read(text)).toBe(kind);
  });

  it("leaves anything with other words to the other rules", () => {
    expect(read("si, el segundo")).toBeUndefined();
    expect(read("no tengo enganche")).toBeUndefined();
    expect(read("gracias")).toBeUndefined();
    expect(read("ok gracias")).toBeUndefined();
  });
});
