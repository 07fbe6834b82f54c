import { describe, expect, it } from "vitest";
import { foldAccents, foldLatinAccents } from "./fold-accents.ts";

describe("foldAccents", () => {
  it("removes accents, tildes and diaereses and keeps the case", () => {
    expect(foldAccents("Automático")).toBe("Automatico");
    expect(foldAccents("¿Cuánto cuesta el AÑO 2020?")).toBe("¿Cuanto cuesta el ANO 2020?");
    expect(foldAccents("pingüino señor Querétaro")).toBe("pinguino senor Queretaro");
  });

  it("folds decomposed input the same as precomposed", () => {
    expect(foldAccents("cami\u006f\u0301n")).toBe("camion");
    expect(foldAccents("cami\u00f3n")).toBe("camion");
  });

  it("returns ASCII text unchanged", () => {
    const text = "Nissan Versa 2020, $250,000 * CR-V";
    expect(foldAccents(text)).toBe(text);
    expect(foldLatinAccents(text)).toBe(text);
    expect(foldAccents("")).toBe("");
  });

  it("removes combining marks of every script", () => {
    expect(foldAccents("a\u20d7")).toBe("a"); // combining right arrow above (U+20D7), outside U+0300–U+036F
    expect(foldAccents("\u0915\u093f")).toBe("\u0915"); // Devanagari vowel sign (a spacing mark)
  });
});

describe("foldLatinAccents", () => {
  it("removes the accents of Latin letters and keeps the case", () => {
    expect(foldLatinAccents("Automático ÑANDÚ pingüino")).toBe("Automatico NANDU pinguino");
  });

  it("agrees with foldAccents on Spanish text", () => {
    const text = "¡Hola! ¿Qué versión del Mégane tenéis? Pagaría más de 20 mil; sí, año 2019, garantía, camión";
    expect(foldLatinAccents(text)).toBe(foldAccents(text));
  });

  it("keeps marks outside U+0300–U+036F", () => {
    expect(foldLatinAccents("a\u20d7")).toBe("a\u20d7");
    expect(foldLatinAccents("\u0915\u093f")).toBe("\u0915\u093f");
  });
});
