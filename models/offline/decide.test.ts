import { describe, expect, it } from "vitest";
import { offeredTerms } from "./decide.ts";

describe("terms offered by the financing tool", () => {
  it("reads them from the description or the schema", () => {
    expect(offeredTerms("plazos de 36, 48, 60 o 72 meses")).toEqual([36, 48, 60, 72]);
    expect(offeredTerms('"description":"Plazos en meses: 24, 36 o 48. Vacío = todos"')).toEqual([24, 36, 48]);
  });

  it("falls back to the usual terms", () => {
    expect(offeredTerms("{}")).toEqual([36, 48, 60, 72]);
  });
});
