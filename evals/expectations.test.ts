import { describe, expect, it } from "vitest";
import { parseConversations } from "./conversation-spec.ts";
import { checkTurn, matchesArgs } from "./expectations.ts";

const turnOf = (yaml: string) => parseConversations(`- id: t\n  description: d\n  turns:\n${yaml}`, "test.yaml")[0]!.turns[0]!;

const search = { name: "search_cars", input: { make: "Nissan", model: "Versa", limit: 5 }, output: {} };
const quote = { name: "calculate_financing", input: { stockId: 1, downPaymentPercent: 20, termMonths: [60, 48] }, output: {} };

describe("matchesArgs", () => {
  it("matches expected keys only, strings without case or accents, arrays in any order", () => {
    expect(matchesArgs({ make: "nissan", model: "VERSA" }, search.input)).toBeUndefined();
    expect(matchesArgs({ termMonths: [48, 60] }, quote.input)).toBeUndefined();
    expect(matchesArgs({ query: "camión" }, { query: "Camion" })).toBeUndefined();
  });

  it("explains what differs", () => {
    expect(matchesArgs({ termMonths: [48] }, quote.input)).toContain("args.termMonths should be [48]");
    expect(matchesArgs({ downPaymentPercent: 10 }, quote.input)).toContain("should be 10, is 20");
    expect(matchesArgs({ make: "Toyota" }, search.input)).toContain('should be "Toyota"');
  });

  it("reads null as 'must be absent'", () => {
    expect(matchesArgs({ downPayment: null }, quote.input)).toBeUndefined();
    expect(matchesArgs({ stockId: null }, quote.input)).toContain("should be absent");
  });
});

describe("checkTurn", () => {
  it("passes when the expected tools were called with the key arguments, in order", () => {
    const spec = turnOf("    - user: hola\n      tools:\n        - search_cars: { make: Nissan }\n        - calculate_financing\n");
    expect(checkTurn(spec, "ok", [search, quote])).toEqual([]);
    expect(checkTurn(spec, "ok", [quote, search])).toEqual([expect.stringContaining("expected a call to calculate_financing")]);
  });

  it("fails a dropped tool and wrong arguments", () => {
    const spec = turnOf("    - user: hola\n      tools:\n        - calculate_financing: { termMonths: [48] }\n");
    expect(checkTurn(spec, "ok", [])).toEqual([expect.stringContaining("expected a call to calculate_financing; calls: none")]);
    expect(checkTurn(spec, "ok", [quote])).toEqual([expect.stringContaining("without the expected arguments")]);
  });

  it("reads `tools: []` as no tool at all, and avoid_tools as forbidden", () => {
    expect(checkTurn(turnOf("    - user: hola\n      tools: []\n"), "ok", [search])).toEqual([expect.stringContaining("expected no tool call")]);
    expect(checkTurn(turnOf("    - user: hola\n      avoid_tools: [calculate_financing]\n"), "ok", [quote])).toEqual(["calculate_financing must not be called"]);
  });

  it("checks content ignoring case, accents and bold", () => {
    const spec = turnOf(
      '    - user: hola\n      says: ["nissan versa 2020", "$5,397.13"]\n      says_any: [garantía, prueba]\n      not_says: ["84 meses"]\n      matches: ["\\\\d+ meses"]\n',
    );
    expect(checkTurn(spec, "*Nissan Versa 2020*: $5,397.13 a 48 meses, con GARANTIA", [])).toEqual([]);
    expect(checkTurn(spec, "Nissan Versa 2018 a 84 meses", [])).toEqual([
      'reply should say "nissan versa 2020"',
      'reply should say "$5,397.13"',
      'reply should say one of "garantía", "prueba"',
      'reply must not say "84 meses"',
    ]);
  });
});

describe("conversation files", () => {
  it("rejects unknown tools, unknown keys and too many turns with the file and path", () => {
    expect(() => parseConversations("- id: a\n  description: d\n  turns:\n    - user: hola\n      tools: [buscar_autos]\n", "x.yaml")).toThrow(/x\.yaml[\s\S]*turns\.0\.tools\.0/);
    expect(() => parseConversations("- id: a\n  description: d\n  turns:\n    - user: hola\n      say: [x]\n", "x.yaml")).toThrow(/say/);
    const nine = Array.from({ length: 9 }, () => "    - user: hola\n").join("");
    expect(() => parseConversations(`- id: a\n  description: d\n  turns:\n${nine}`, "x.yaml")).toThrow(/turns/);
  });
});
