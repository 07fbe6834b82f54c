/**
 * The search contract, run against every engine available here: always the embedded one;
 * Meilisearch only when MEILI_URL points at a server (the suite name says when it is skipped).
 * Expected answers are computed from the sample with plain predicates, not with search code.
 */
import { Effect, type Layer } from "effect";
import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Car } from "../car.ts";
import { CatalogAdmin } from "./catalog-admin.ts";
import { CatalogSearch } from "./catalog-search.ts";
import type { CarSearchQuery, CarSearchResult } from "./query.ts";
import { catalogRuntime, sampleCars, type CatalogRuntime } from "./testing/sample-catalog.ts";

const sample = sampleCars();
const meiliUrl = process.env.MEILI_URL;

const meiliIndex = `cars_contract_${process.pid}_${Date.now()}`;

const engines: ReadonlyArray<{ name: string; layer: () => Layer.Layer<CatalogSearch, any, any>; skip: string | false; cleanup?: () => Promise<unknown> }> = [
  { name: "embedded", layer: () => CatalogSearch.layerEmbedded, skip: false },
  {
    name: "meilisearch",
    layer: () => CatalogSearch.layerMeilisearch({ url: meiliUrl!, apiKey: process.env.MEILI_MASTER_KEY, index: meiliIndex, requireAtStart: true }),
    skip: meiliUrl ? false : "skipped: MEILI_URL is not set (no Meilisearch server on this machine)",
    cleanup: () => new Meilisearch({ host: meiliUrl!, apiKey: process.env.MEILI_MASTER_KEY }).deleteIndexIfExists(meiliIndex),
  },
];

const label = (car: Car) => `${car.make} ${car.model} ${car.year}`;
const byPrice = (a: Car, b: Car) => a.price - b.price;

for (const engine of engines) {
  describe.skipIf(engine.skip !== false)(`catalog search contract: ${engine.name}${engine.skip ? ` (${engine.skip})` : ""}`, () => {
    let runtime: CatalogRuntime;
    const search = (query: CarSearchQuery): Promise<CarSearchResult> => runtime.runPromise(CatalogSearch.use((s) => s.search(query)));

    beforeAll(async () => {
      runtime = catalogRuntime(engine.layer());
      await runtime.runPromise(Effect.void);
    });
    afterAll(async () => {
      await runtime?.dispose();
      await engine.cleanup?.();
    });

    describe("the issue's queries", () => {
      it('"nisan vesra" finds both Nissan Versa', async () => {
        const result = await search({ text: "nisan vesra" });
        expect(result.total).toBe(2);
        expect(result.cars.map(label).sort()).toEqual(["Nissan Versa 2018", "Nissan Versa 2020"]);
      });

      it('"toyta corola 2020" finds the 2020 Corolla', async () => {
        const result = await search({ text: "toyta corola 2020" });
        expect(result.cars.map((car) => car.stockId)).toEqual([305016]);
      });

      it('"un vocho": there is no Beetle, so nothing matches and the nearest are honest Volkswagens', async () => {
        const result = await search({ text: "un vocho" });
        expect(result.total).toBe(0);
        expect(result.cars).toEqual([]);
        expect(result.nearest.length).toBeGreaterThan(0);
        expect(new Set(result.nearest.map((car) => car.make))).toEqual(new Set(["Volkswagen"]));
        expect(result.nearest.some((car) => /beetle/i.test(car.model))).toBe(false);
      });

      it('"chevy barato" lists affordable Chevrolets, cheapest first', async () => {
        const result = await search({ text: "chevy barato", limit: 10 });
        const expected = sample.filter((car) => car.make === "Chevrolet" && car.price <= 250_000).sort(byPrice);
        expect(result.total).toBe(expected.length);
        expect(result.cars.map((car) => car.stockId)).toEqual(expected.map((car) => car.stockId));
        expect(result.cars[0]).toMatchObject({ model: "Aveo", price: 138_999 });
      });

      it('"chevy" with sort price_asc (structured) lists every Chevrolet by price', async () => {
        const result = await search({ text: "chevy", sort: "price_asc", limit: 20 });
        const expected = sample.filter((car) => car.make === "Chevrolet").sort(byPrice);
        expect(result.cars.map((car) => car.stockId)).toEqual(expected.map((car) => car.stockId));
      });

      it('"bmw x1" finds the X1 and no other BMW', async () => {
        const result = await search({ text: "bmw x1" });
        expect(result.cars.map((car) => car.stockId)).toEqual([325111]);
      });

      it('"camioneta familiar de menos de 400 mil" as structured filters', async () => {
        const result = await search({ bodyTypes: ["suv", "pickup", "minivan"], needs: ["familiar"], maxPrice: 400_000, limit: 50 });
        const expected = sample.filter(
          (car) => car.price <= 400_000 && (car.bodyType === "suv" || car.bodyType === "minivan" || (car.bodyType === "pickup" && (car.seats ?? 0) >= 7)),
        );
        expect(expected.length).toBeGreaterThan(10);
        expect(result.total).toBe(expected.length);
        expect(new Set(result.cars.map((car) => car.stockId))).toEqual(new Set(expected.map((car) => car.stockId)));
        for (const car of result.cars) expect(["suv", "minivan"]).toContain(car.bodyType);
      });

      it('"camioneta familiar de menos de 400 mil" as free text reads the same filters', async () => {
        const structured = await search({ bodyTypes: ["suv", "pickup", "minivan"], needs: ["familiar"], maxPrice: 400_000, limit: 50 });
        const text = await search({ text: "camioneta familiar de menos de 400 mil", limit: 50 });
        expect(text.total).toBe(structured.total);
        expect(text.cars.map((car) => car.stockId)).toEqual(structured.cars.map((car) => car.stockId));
      });

      it('"algo con carplay y automático" keeps confirmed CarPlay and automatic only', async () => {
        const structured = await search({ carPlay: true, transmission: "automatica", limit: 50 });
        const expected = sample.filter((car) => car.carPlay === true && car.transmission === "automatica");
        expect(structured.total).toBe(expected.length);
        for (const car of structured.cars) expect(car).toMatchObject({ carPlay: true, transmission: "automatica" });
        const text = await search({ text: "algo con carplay y automático", limit: 50 });
        expect(text.cars.map((car) => car.stockId)).toEqual(structured.cars.map((car) => car.stockId));
      });

      it("an impossible query returns no cars but the nearest options: no Corolla 2021, the 2020 one", async () => {
        const result = await search({ text: "corolla", minYear: 2021, maxYear: 2021 });
        expect(result.total).toBe(0);
        expect(result.nearest.map((car) => car.stockId)).toEqual([305016]);
      });
    });

    describe("typos, aliases and names without spaces", () => {
      it.each([
        ["volswagen jeta", "Jetta"],
        ["chevorlet avoe", "Aveo"],
        ["nisan sentr", "Sentra"],
        ["hona civic", "Civic"],
        ["toyota yaris", "Yaris"],
        ["crv", "CR-V"],
        ["cr v", "CR-V"],
        ["honda hrv", "HR-V"],
        ["xtrail", "X-Trail"],
        ["mazda3", "Mazda 3"],
        ["mazda 3", "Mazda 3"],
        ["rav 4", "RAV4"],
        ["toyotacorolla", "Corolla"],
        ["nissanversa", "Versa"],
        ["vw tiguan", "Tiguan"],
        ["mb clase a", "Clase A"],
        ["merce cla", "Clase CLA"],
        ["mercedes benz clase c", "Clase C"],
        ["land rover discovery", "Discovery Sport"],
        ["pathfnder", "Pathfinder"],
        ["frontera", "Frontier"],
        ["sportgae", "Sportage"],
      ])("%s → %s", async (text, model) => {
        const result = await search({ text });
        expect(result.total).toBeGreaterThan(0);
        expect(result.cars[0]?.model).toBe(model);
      });

      it("aliases of a make find every car of the make", async () => {
        for (const alias of ["mercedes", "mb", "merce"]) {
          const result = await search({ text: alias, limit: 50 });
          expect(result.total).toBe(sample.filter((car) => car.make === "Mercedes Benz").length);
        }
        const chevy = await search({ text: "chevy", limit: 50 });
        expect(chevy.total).toBe(sample.filter((car) => car.make === "Chevrolet").length);
      });

      it("words with digits are exact: x1 is not x3, 208 is not 2008", async () => {
        expect((await search({ text: "x3" })).cars.map((car) => car.model)).toEqual(["X3"]);
        expect((await search({ text: "peugeot 208" })).cars.map((car) => car.model)).toEqual(["208"]);
      });

      it("short words get no typo: kia is not mia", async () => {
        expect((await search({ text: "mia" })).total).toBe(0);
      });
    });

    describe("filters", () => {
      it("make and model filters accept aliases and spellings", async () => {
        const vw = await search({ make: "vw", limit: 50 });
        expect(vw.total).toBe(sample.filter((car) => car.make === "Volkswagen").length);
        const crv = await search({ make: "Honda", model: "crv" });
        expect(crv.cars.map((car) => car.model)).toEqual(["CR-V", "CR-V"]);
        const mazda = await search({ model: "Mazda3", limit: 50 });
        expect(mazda.total).toBe(sample.filter((car) => car.model === "Mazda 3").length);
      });

      it("price, year and km ranges are inclusive", async () => {
        const query = { minPrice: 200_000, maxPrice: 300_000, minYear: 2018, maxYear: 2020, maxKm: 60_000, limit: 50 };
        const expected = sample.filter((c) => c.price >= 200_000 && c.price <= 300_000 && c.year >= 2018 && c.year <= 2020 && c.km <= 60_000);
        const result = await search(query);
        expect(result.total).toBe(expected.length);
        expect(new Set(result.cars.map((car) => car.stockId))).toEqual(new Set(expected.map((car) => car.stockId)));
        const edge = await search({ minPrice: 138_999, maxPrice: 138_999 });
        expect(edge.cars.map((car) => car.stockId)).toEqual([291054]);
      });

      it("bluetooth true keeps confirmed ones; false keeps the not confirmed", async () => {
        const yes = await search({ bluetooth: true, limit: 50 });
        const no = await search({ bluetooth: false, limit: 50 });
        expect(yes.total).toBe(sample.filter((car) => car.bluetooth === true).length);
        expect(no.total).toBe(sample.filter((car) => car.bluetooth !== true).length);
        expect(yes.total + no.total).toBe(sample.length);
      });

      it("manual transmission", async () => {
        const result = await search({ transmission: "manual", limit: 50 });
        expect(result.total).toBe(sample.filter((car) => car.transmission === "manual").length);
        for (const car of result.cars) expect(car.transmission).toBe("manual");
      });

      it("body types are any-of, needs are all-of", async () => {
        const sedansAndHatches = await search({ bodyTypes: ["sedan", "hatchback"], limit: 50 });
        expect(sedansAndHatches.total).toBe(sample.filter((car) => car.bodyType === "sedan" || car.bodyType === "hatchback").length);
        const sevenSeatFamily = await search({ needs: ["familiar", "siete_pasajeros"], limit: 50 });
        expect(sevenSeatFamily.total).toBe(sample.filter((car) => (car.seats ?? 0) >= 7).length);
        for (const car of sevenSeatFamily.cars) expect(car.seats).toBeGreaterThanOrEqual(7);
        const premiumCity = await search({ needs: ["premium", "ciudad"], limit: 50 });
        for (const car of premiumCity.cars) expect(["Audi", "BMW", "Mercedes Benz", "Mini", "Volvo", "Land Rover", "Lincoln", "Infiniti"]).toContain(car.make);
      });
    });

    describe("sort, paging, facets", () => {
      it.each([
        ["price_asc", (a: Car, b: Car) => a.price - b.price],
        ["price_desc", (a: Car, b: Car) => b.price - a.price],
        ["year_desc", (a: Car, b: Car) => b.year - a.year],
        ["year_asc", (a: Car, b: Car) => a.year - b.year],
        ["km_asc", (a: Car, b: Car) => a.km - b.km],
      ] as const)("sort %s", async (sort, compare) => {
        const result = await search({ sort, limit: 50 });
        expect(result.total).toBe(sample.length);
        for (let i = 1; i < result.cars.length; i++) expect(compare(result.cars[i - 1]!, result.cars[i]!)).toBeLessThanOrEqual(0);
      });

      it("relevance without text: newest first, then cheapest", async () => {
        const result = await search({ limit: 50 });
        const expected = [...sample].sort((a, b) => b.year - a.year || a.price - b.price || a.stockId - b.stockId).slice(0, 50);
        expect(result.cars.map((car) => car.stockId)).toEqual(expected.map((car) => car.stockId));
      });

      it("limit defaults to 5, caps at 50; offset pages without overlap, aligned or not", async () => {
        expect((await search({})).cars).toHaveLength(5);
        expect((await search({ limit: 500 })).cars).toHaveLength(50);
        const all = await search({ text: "nissan", sort: "price_asc", limit: 20 });
        const first = await search({ text: "nissan", sort: "price_asc", limit: 3 });
        const second = await search({ text: "nissan", sort: "price_asc", limit: 3, offset: 3 });
        const unaligned = await search({ text: "nissan", sort: "price_asc", limit: 3, offset: 2 });
        expect(first.total).toBe(all.total);
        expect([...first.cars, ...second.cars].map((car) => car.stockId)).toEqual(all.cars.slice(0, 6).map((car) => car.stockId));
        expect(unaligned.cars.map((car) => car.stockId)).toEqual(all.cars.slice(2, 5).map((car) => car.stockId));
        const past = await search({ text: "nissan", offset: 100 });
        expect(past.cars).toEqual([]);
        expect(past.total).toBe(all.total);
        expect(past.nearest).toEqual([]);
      });

      it("facets describe the cars matching the text, before filters", async () => {
        const nissans = sample.filter((car) => car.make === "Nissan");
        const result = await search({ text: "nissan", maxPrice: 100_000 });
        expect(result.total).toBe(0);
        expect(result.facets.makes).toEqual([{ make: "Nissan", count: nissans.length }]);
        expect(result.facets.price).toEqual({ min: Math.min(...nissans.map((c) => c.price)), max: Math.max(...nissans.map((c) => c.price)) });
        expect(result.facets.year).toEqual({ min: Math.min(...nissans.map((c) => c.year)), max: Math.max(...nissans.map((c) => c.year)) });
      });

      it("without text (or when the text matches nothing) facets describe the whole catalog", async () => {
        for (const query of [{}, { text: "ferrari" }]) {
          const result = await search(query);
          const counts = result.facets.makes.map((entry) => entry.count);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(sample.length);
          expect(counts).toEqual([...counts].sort((a, b) => b - a));
          expect(result.facets.makes[0]).toEqual({ make: "Nissan", count: sample.filter((car) => car.make === "Nissan").length });
          expect(result.facets.price).toEqual({ min: Math.min(...sample.map((c) => c.price)), max: Math.max(...sample.map((c) => c.price)) });
        }
      });
    });

    describe("nearest options", () => {
      it("a price cap under every BMW gives the cheapest BMW above it", async () => {
        const result = await search({ make: "BMW", maxPrice: 300_000 });
        const cheapest = sample.filter((car) => car.make === "BMW").sort(byPrice)[0]!;
        expect(result.total).toBe(0);
        expect(result.nearest[0]?.stockId).toBe(cheapest.stockId);
        for (const car of result.nearest) expect(car.make).toBe("BMW");
      });

      it("the loosest filter goes first: year before equipment", async () => {
        const result = await search({ text: "versa", minYear: 2023, carPlay: true });
        expect(result.total).toBe(0);
        // Dropping the year alone is enough: the 2020 Versa has CarPlay.
        expect(result.nearest.map((car) => car.stockId)).toEqual([322722]);
      });

      it("a model the catalog lacks falls back to its make", async () => {
        const result = await search({ make: "Volkswagen", model: "Beetle" });
        expect(result.total).toBe(0);
        expect(result.nearest.length).toBeGreaterThan(0);
        for (const car of result.nearest) expect(car.make).toBe("Volkswagen");
      });

      it("nothing near at all: nearest is empty, never an invented car", async () => {
        const result = await search({ text: "ferrari testarossa" });
        expect(result).toMatchObject({ total: 0, cars: [], nearest: [] });
        const noMake = await search({ make: "Ferrari" });
        expect(noMake).toMatchObject({ total: 0, cars: [], nearest: [] });
      });
    });

    // Last: these change the catalog (each restores what it changed).
    describe("sync with the catalog: changes show up in search at once", () => {
      const admin = <A, E>(f: (a: CatalogAdmin["Service"]) => Effect.Effect<A, E>) => runtime.runPromise(CatalogAdmin.use(f));

      it("a price update", async () => {
        const before = (await search({ text: "nisan vesra", sort: "price_asc" })).cars;
        expect(before.map((car) => car.stockId)).toEqual([173312, 322722]);
        await admin((a) => a.update(322722, { price: 199_999 }));
        const after = await search({ text: "nisan vesra", sort: "price_asc" });
        expect(after.cars.map((car) => [car.stockId, car.price])).toEqual([
          [322722, 199_999],
          [173312, 220_999],
        ]);
        expect((await search({ text: "versa", maxPrice: 200_000 })).cars.map((car) => car.stockId)).toEqual([322722]);
        await admin((a) => a.update(322722, { price: 265_999 }));
        expect((await search({ text: "versa", maxPrice: 200_000 })).total).toBe(0);
      });

      it("a new car", async () => {
        expect((await search({ text: "un vocho" })).total).toBe(0);
        const created = await admin((a) =>
          a.create({ stockId: 999001, make: "VOLKSWAGEN", model: "Beetle", year: 2019, version: "2.5 SPORT TIPTRONIC", price: 289_999, km: 40_000, bluetooth: true }),
        );
        expect(created).toMatchObject({ make: "Volkswagen", bodyType: "hatchback", transmission: "automatica" });
        const found = await search({ text: "un vocho" });
        expect(found.cars.map((car) => car.stockId)).toEqual([999001]);
        expect((await search({ text: "beetel" })).cars.map((car) => car.stockId)).toEqual([999001]);
        await admin((a) => a.remove(999001));
      });

      it("a deleted car", async () => {
        const odyssey = sample.filter((car) => car.model === "Odyssey");
        expect((await search({ text: "odyssey" })).total).toBe(odyssey.length);
        await admin((a) => a.remove(odyssey[0]!.stockId));
        const after = await search({ text: "odyssey" });
        expect(after.cars.map((car) => car.stockId)).toEqual(odyssey.slice(1).map((car) => car.stockId));
        await admin((a) => a.create(odyssey[0]));
        expect((await search({ text: "odyssey" })).total).toBe(odyssey.length);
      });

      it("an import of many cars, and a rebuild from the database, agree", async () => {
        const extra = Array.from({ length: 30 }, (_, i) => ({ ...sample[i]!, stockId: 800_000 + i, price: 100_000 + i }));
        const summary = await admin((a) => a.importCars(extra));
        expect(summary).toEqual({ imported: 30, created: 30, updated: 0 });
        const cheap = await search({ maxPrice: 129_999, sort: "price_asc", limit: 50 });
        expect(cheap.cars.map((car) => car.stockId)).toEqual(extra.map((car) => car.stockId));
        await runtime.runPromise(CatalogSearch.use((s) => s.rebuild()));
        expect((await search({ maxPrice: 129_999, limit: 50 })).total).toBe(30);
        for (const car of extra) await admin((a) => a.remove(car.stockId));
        expect((await search({ maxPrice: 129_999 })).total).toBe(0);
      });
    });
  });
}
