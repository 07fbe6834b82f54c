import { describe, expect, it } from "vitest";
import { normalize } from "./normalize.ts";
import { AFFIRM_REPLY, CANCEL_REPLY, DENY_REPLY } from "./short-replies.ts";

/** In the order the intent rules check them. */
const read = (text: string) => {
  const plain = normalize(text);
  return CANCEL_REPLY.test(plain) ? "cancel" : DENY_REPLY.test(plain) ? "deny" : AFFIRM_REPLY.test(plain) ? "affirm" : undefined;
};

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
