import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyBody, KNOWN_MODELS, seatsFromVersion } from "./body-types.ts";
import { parseCatalogCsv } from "./csv-import.ts";

const { cars } = parseCatalogCsv(readFileSync(new URL("./data/catalog.csv", import.meta.url), "utf8"));

describe("body types", () => {
  it("the reviewed lookup knows every model of the sample catalog", () => {
    const known = new Set(KNOWN_MODELS.map((m) => `${m.make}|${m.model}`.toLowerCase()));
    const missing = [...new Set(cars.map((car) => `${car.make}|${car.model}`))].filter((key) => !known.has(key.toLowerCase()));
    expect(missing).toEqual([]);
  });

  it("gives every sample car a body type", () => {
    expect(cars.filter((car) => car.bodyType === null).map((car) => `${car.make} ${car.model}`)).toEqual([]);
  });

  it.each([
    ["Nissan", "Versa", 1465, {}, "sedan", 5],
    ["Honda", "Odyssey", 1735, {}, "minivan", 8],
    ["Nissan", "Frontier", 1851, {}, "pickup", 5],
    ["BMW", "Serie 2", 1410, {}, "coupe", 4],
    ["Mercedes-Benz", "clase a", 1440, {}, "hatchback", 5],
    ["Mazda", "Mazda 3", 1465, { version: "2.5 HATCHBACK S GT TA" }, "hatchback", 5],
    ["Mazda", "Mazda 3", 1450, { version: "2.0 SEDAN I TA" }, "sedan", 5],
    ["Kia", "Rio", 1460, { lengthMm: 4065 }, "hatchback", 5],
    ["Kia", "Rio", 1460, { lengthMm: 4385 }, "sedan", 5],
    ["Nissan", "X-Trail", null, { version: "2.5 SENSE 2 ROW CVT" }, "suv", 5],
    ["Nissan", "X-Trail", null, { version: "2.5 EXCLUSIVE 3 ROW CVT" }, "suv", 7],
    ["Nissan", "X-Trail", null, {}, "suv", null],
    ["Chevrolet", "Captiva", 1750, { version: "1.5 LT 7 PASAJEROS B CVT" }, "suv", 7],
  ] as const)("%s %s (%s mm, %j) → %s, %s seats", (make, model, height, details, bodyType, seats) => {
    expect(classifyBody(make, model, height, details)).toEqual({ bodyType, seats });
  });

  it.each([
    ["tall unknown model → suv", 1700, null, "suv"],
    ["low and long → sedan", 1450, 4600, "sedan"],
    ["low and short → hatchback", 1480, 3900, "hatchback"],
    ["low, medium length → unknown", 1480, 4300, null],
    ["no dimensions → unknown", null, null, null],
  ] as const)("fallback: %s", (_label, height, length, bodyType) => {
    expect(classifyBody("Marca", "Desconocido", height, { lengthMm: length })).toEqual({ bodyType, seats: null });
  });

  it("reads seats from versions", () => {
    expect(seatsFromVersion("1.5 LT 7 PASAJEROS B CVT")).toBe(7);
    expect(seatsFromVersion("2.5 SENSE 2 ROW CVT")).toBe(5);
    expect(seatsFromVersion("2.5 SENSE")).toBeNull();
  });
});
