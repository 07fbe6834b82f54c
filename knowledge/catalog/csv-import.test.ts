import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCatalogCsv } from "./csv-import.ts";
import { displayMake, transmissionFromVersion } from "./normalize.ts";

const sample = readFileSync(new URL("./data/catalog.csv", import.meta.url), "utf8");
const HEADER = "stock_id,km,price,make,model,year,version,bluetooth,largo,ancho,altura,car_play";

describe("catalog CSV", () => {
  it("accepts the whole 100-car sample", () => {
    const { cars, errors } = parseCatalogCsv(sample);
    expect(errors).toEqual([]);
    expect(cars).toHaveLength(100);
    const versas = cars.filter((car) => car.model === "Versa").map((car) => [car.year, car.price]);
    expect(versas.sort()).toEqual([[2018, 220_999], [2020, 265_999]]);
  });

  it("normalises makes, yes/blank and transmission", () => {
    const { cars } = parseCatalogCsv(sample);
    const makes = new Set(cars.map((car) => car.make));
    expect(makes).toContain("Kia");
    expect(makes).toContain("Mercedes Benz");
    expect(makes).not.toContain("KIA");
    const touareg = cars.find((car) => car.stockId === 243587)!;
    expect(touareg).toMatchObject({ bluetooth: true, carPlay: null, transmission: "automatica", price: 461_999, lengthMm: 4801 });
    expect(Number.isInteger(touareg.price)).toBe(true);
    expect(displayMake("mercedes   benz")).toBe("Mercedes Benz");
  });

  it.each([
    ["1.6 SENSE MT", "manual"],
    ["1.6 ADVANCE AUTO", "automatica"],
    ["2.0 GT TA", "automatica"],
    ["1.5 EX CVT", "automatica"],
    ["3.0 M2 DCT", "automatica"],
    ["1.6 STD", "manual"],
    ["1.6 SENSE", null],
    ["2.5 EXCLUSIVE XTRONIC", "automatica"],
    ["2.0 IVT LIMITED", "automatica"],
  ])("infers transmission of %s", (version, expected) => {
    expect(transmissionFromVersion(version)).toBe(expected);
  });

  it("enriches cars with body type from the model and version", () => {
    const { cars } = parseCatalogCsv(sample);
    const bodyOf = (model: string) => new Set(cars.filter((car) => car.model === model).map((car) => car.bodyType));
    expect(bodyOf("CR-V")).toEqual(new Set(["suv"]));
    expect(bodyOf("Odyssey")).toEqual(new Set(["minivan"]));
    expect(cars.every((car) => car.bodyType !== null)).toBe(true);
  });

  it("accepts the camelCase header variant", () => {
    const csv = "stockId,km,price,make,model,year,version,bluetooth,largo,ancho,altura,carPlay\n1,10,100000,KIA,Rio,2020,1.6 EX AT,Sí,,,,Sí\n";
    const { cars, errors } = parseCatalogCsv(csv);
    expect(errors).toEqual([]);
    expect(cars[0]).toMatchObject({ stockId: 1, make: "Kia", carPlay: true, bluetooth: true, lengthMm: null });
  });

  it("reports every bad row with its line and reason", () => {
    const csv = [
      HEADER,
      "1,10,100000,Kia,Rio,2020,EX,Sí,,,,",
      "2,10,cien mil,Kia,Rio,2020,EX,Sí,,,,",
      "3,-5,100000,Kia,Rio,2020,EX,Sí,,,,",
      "1,10,100000,Kia,Rio,2020,EX,Sí,,,,",
      "4,10,100000,,Rio,2020,EX,Sí,,,,",
      "5,10,100000,Kia,Rio,2020,EX,Quizá,,,,",
      "6,10,100000,Kia,Rio,2020",
    ].join("\n");
    const { cars, errors } = parseCatalogCsv(csv);
    expect(cars.map((car) => car.stockId)).toEqual([1]);
    expect(errors.map((error) => error.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(errors[0]!.reason).toContain("price");
    expect(errors[2]!.reason).toContain("duplicate");
    expect(errors[4]!.reason).toContain("bluetooth");
  });

  it("rejects a file without the required columns", () => {
    expect(parseCatalogCsv("a,b\n1,2\n").errors[0]).toMatchObject({ line: 1 });
    expect(parseCatalogCsv("").errors).toHaveLength(1);
  });
});
