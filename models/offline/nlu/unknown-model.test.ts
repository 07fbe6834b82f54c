import { describe, expect, it } from "vitest";
import { understand } from "./understand.ts";

// Model names the vocabulary does not know (the catalog changes): searched as free text.
const UNKNOWN_MODELS = ["elantra", "sorento", "renegade", "supra", "mustang", "camaro", "tacoma", "tundra", "kona", "ioniq", "juke", "patriot", "cruze", "impala", "equinox", "picanto", "crossfox", "saveiro", "amarok", "outlander", "forester"];
// Everyday things people ask a chat for: not cars.
const EVERYDAY = ["plomero", "abogado", "electricista", "contador", "trabajo", "departamento", "novia", "pizza", "celular", "hotel", "mecanico", "dentista", "carpintero", "jardinero", "veterinario", "profesor", "maestra", "fotografo", "terapeuta", "psicologo", "mesero", "ninera", "cerrajero", "pintor", "mudanza", "grua"];

describe("an unknown model without a make", () => {
  it.each(UNKNOWN_MODELS)("busco un %s → search_cars with query", (name) => {
    expect(understand(`busco un ${name}`)).toEqual({ intent: "search_cars", slots: { query: name } });
  });

  it("after any request verb, with or without article, keeping a year or a model number", () => {
    expect(understand("¿tienen renegade?").slots).toEqual({ query: "renegade" });
    expect(understand("me interesa una tacoma 2019").slots).toEqual({ query: "tacoma", minYear: 2019, maxYear: 2019 });
    expect(understand("hay model 3?").slots).toEqual({ query: "model 3" });
    expect(understand("quiero un sorento automatico").slots).toEqual({ query: "sorento", transmission: "automatica" });
  });

  it.each(EVERYDAY)("busco un %s → not a car search", (noun) => {
    expect(understand(`busco un ${noun}`).intent).not.toBe("search_cars");
  });

  it("does not read verbs, references or car words as model names", () => {
    expect(understand("quiero saber mas").slots.query).toBeUndefined();
    expect(understand("quiero el segundo").intent).toBe("car_details");
    expect(understand("quiero una pick up").slots).toEqual({ bodyTypes: ["pickup"] });
    expect(understand("busco una sucursal").intent).toBe("knowledge");
  });
});
