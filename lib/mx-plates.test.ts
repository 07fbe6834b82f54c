import { describe, expect, it } from "vitest";
import { displayPlate, findPlates, maskPlate, normalizePlate, redactPlates, repairRead } from "./mx-plates.ts";

describe("normalizePlate", () => {
  it.each([
    ["NXR-4521", "NXR4521", "LLL-NNNN"],
    ["nxr 45 21", "NXR4521", "LLL-NNNN"],
    ["ABC-123-D", "ABC123D", "LLL-NNN-L"],
    ["abc123d", "ABC123D", "LLL-NNN-L"],
    ["PTA-512", "PTA512", "LLL-NNN"],
    ["123-ABC", "123ABC", "NNN-LLL"],
    ["M&S-123", undefined, undefined],
  ])("%s → %s", (text, plate, format) => {
    const read = normalizePlate(text);
    expect(read?.plate).toBe(plate);
    expect(read?.format).toBe(format);
  });

  it.each(["ABO-1234", "AIC-123-D", "ABQ123", "AB-1234", "ABCD-123", "1234-ABC", "ABC-12", "ABC-12345", "hola", ""])("rejects %s", (text) => {
    expect(normalizePlate(text)).toBeUndefined();
  });
});

describe("displayPlate", () => {
  it("puts the hyphens of its format back", () => {
    expect(displayPlate("NXR4521")).toBe("NXR-4521");
    expect(displayPlate("ABC123D")).toBe("ABC-123-D");
    expect(displayPlate("123ABC")).toBe("123-ABC");
    expect(displayPlate("PTA512")).toBe("PTA-512");
  });
});

describe("findPlates", () => {
  it("finds the plate in a question about fines, not an amount", () => {
    expect(findPlates("placas NXR-4521, ¿cuánto debo?").map((p) => p.plate)).toEqual(["NXR4521"]);
  });
  it("reads spaced and lower-case plates, each once", () => {
    expect(findPlates("mi placa es abc 123 d, sí abc-123-d").map((p) => p.plate)).toEqual(["ABC123D"]);
    expect(findPlates("tengo las placas 123-ABC y PTA-512").map((p) => p.plate)).toEqual(["123ABC", "PTA512"]);
  });
  it("finds nothing in ordinary messages", () => {
    expect(findPlates("busco un versa 2020 de menos de 300 mil")).toEqual([]);
    expect(findPlates("a 48 meses con 50 mil de enganche")).toEqual([]);
  });
});

describe("repairRead", () => {
  it("fixes the usual OCR confusions towards a valid format", () => {
    expect(repairRead("NXR-452I")[0]?.plate.plate).toBe("NXR4521");
    expect(repairRead("A8C-123-0")[0]?.plate.plate).toBe("ABC123D");
    expect(repairRead("NXR4521")[0]).toEqual({ plate: { plate: "NXR4521", format: "LLL-NNNN" }, changes: 0 });
  });
  it("gives up on reads of no plate length", () => {
    expect(repairRead("NXR45")).toEqual([]);
  });
});

describe("redaction", () => {
  it("masks plates in text and leaves the rest", () => {
    expect(maskPlate("NXR4521")).toBe("NX•••21");
    expect(redactPlates("lookup for NXR-4521 failed (abc 123 d)")).toBe("lookup for [placa NX•••21] failed ([placa AB•••3D])");
    expect(redactPlates("nothing here: 2020, 300 mil")).toBe("nothing here: 2020, 300 mil");
  });
});
