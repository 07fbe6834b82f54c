/** The catalog admin API over a real HTTP server (express on port 0, real fetch), real PGlite. */
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogSearch } from "../../../knowledge/catalog/search/catalog-search.ts";
import type { CarSearchQuery } from "../../../knowledge/catalog/search/query.ts";
import { catalogRuntime, type CatalogRuntime } from "../../../knowledge/catalog/search/testing/sample-catalog.ts";
import { catalogAdminRouter } from "./router.ts";

const KEY = "test-admin-key-1";
const HEADER = "stock_id,km,price,make,model,year,version,bluetooth,largo,ancho,altura,car_play";

let runtime: CatalogRuntime;
let server: Server;
let base: string;
let disabledServer: Server;
let disabledBase: string;

const listen = (app: express.Express) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve({ server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` }));
  });

const appWith = (apiKeys: ReadonlyArray<string>) => {
  const app = express();
  app.use("/v1/admin", catalogAdminRouter({ run: (effect) => runtime.runPromise(effect), apiKeys }));
  return app;
};

const api = (path: string, init: RequestInit & { json?: unknown; csv?: string; key?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set("authorization", `Bearer ${init.key ?? KEY}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  if (init.csv !== undefined) {
    headers.set("content-type", "text/csv");
    body = init.csv;
  }
  return fetch(`${base}/v1/admin${path}`, { ...init, headers, body });
};

const search = (query: CarSearchQuery) => runtime.runPromise(CatalogSearch.use((s) => s.search(query)));

const newCar = { stockId: 900001, make: "volkswagen", model: "Beetle", year: 2018, version: "2.5 SPORT TIPTRONIC", price: 259_999, km: 52_000, bluetooth: true };

beforeAll(async () => {
  runtime = catalogRuntime(CatalogSearch.layerEmbedded);
  await runtime.runPromise(CatalogSearch.use((s) => s.status()));
  ({ server, url: base } = await listen(appWith([KEY, "second-key"])));
  ({ server: disabledServer, url: disabledBase } = await listen(appWith([])));
});

afterAll(async () => {
  server?.closeAllConnections();
  disabledServer?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await new Promise((resolve) => disabledServer?.close(resolve));
  await runtime?.dispose();
});

describe("authentication", () => {
  it("answers 503 when no admin key is configured", async () => {
    const res = await fetch(`${disabledBase}/v1/admin/cars`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: "admin_disabled", message: expect.stringContaining("admin API disabled") } });
  });

  it("requires a key: none or a wrong one is 401", async () => {
    const none = await api("/cars", { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await none.json()).error.code).toBe("unauthorized");
    const wrong = await api("/cars", { key: "nope" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toBe("invalid API key");
  });

  it("accepts any configured key, as Bearer or X-API-Key", async () => {
    expect((await api("/cars", { key: "second-key" })).status).toBe(200);
    expect((await api("/cars", { key: null, headers: { "x-api-key": KEY } })).status).toBe(200);
  });
});

describe("reading", () => {
  it("lists cars a page at a time", async () => {
    const res = await api("/cars?offset=95&limit=10");
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page).toMatchObject({ total: 100, offset: 95, limit: 10 });
    expect(page.cars).toHaveLength(5);
  });

  it("rejects a bad page with the field named", async () => {
    const res = await api("/cars?limit=0");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "invalid_query", message: "limit: must be a whole number from 1 to 500", fields: [{ field: "limit", message: "must be a whole number from 1 to 500" }] },
    });
    expect((await api("/cars?offset=-1")).status).toBe(400);
  });

  it("gets one car; unknown is 404, a malformed id 400", async () => {
    const res = await api("/cars/322722");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stockId: 322722, make: "Nissan", model: "Versa", price: 265_999 });
    const missing = await api("/cars/1");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
    expect((await (await api("/cars/abc")).json()).error.code).toBe("invalid_stock_id");
  });

  it("unknown admin routes are 404 in the error shape", async () => {
    const res = await api("/nothing");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});

describe("writing keeps search in sync", () => {
  it("creates a car (201, Location), enriched, searchable at once; a second create is 409", async () => {
    expect((await search({ text: "vocho" })).total).toBe(0);
    const res = await api("/cars", { method: "POST", json: newCar });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/v1/admin/cars/900001");
    expect(await res.json()).toMatchObject({ make: "Volkswagen", bodyType: "hatchback", seats: 4, transmission: "automatica", carPlay: null });
    expect((await search({ text: "un vocho" })).cars.map((car) => car.stockId)).toEqual([900001]);
    const again = await api("/cars", { method: "POST", json: newCar });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("already_exists");
  });

  it("validates field by field", async () => {
    const res = await api("/cars", { method: "POST", json: { stockId: 1.5, make: "", year: 2300, price: -5, km: "mucho", color: "rojo", transmission: "cvt" } });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_car");
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { field: "stockId", message: "must be a whole number" },
        { field: "make", message: "must not be empty" },
        { field: "model", message: "is required" },
        { field: "year", message: expect.stringMatching(/^must not be after \d{4}$/) },
        { field: "price", message: "must be greater than 0" },
        { field: "km", message: "must be a number" },
        { field: "transmission", message: 'must be one of "automatica", "manual"' },
        { field: "color", message: "is not a car field" },
      ]),
    );
    expect(error.fields).toHaveLength(8);
  });

  it("rejects bodies that are not JSON objects", async () => {
    const malformed = await api("/cars", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("malformed_json");
    const form = await api("/cars", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    const array = await api("/cars", { method: "POST", json: [1, 2] });
    expect(array.status).toBe(400);
    expect((await array.json()).error.fields).toEqual([{ field: "(body)", message: "must be a JSON object" }]);
  });

  it("PATCH changes a price and search sees it at once", async () => {
    const res = await api("/cars/322722", { method: "PATCH", json: { price: 199_999 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stockId: 322722, price: 199_999, model: "Versa" });
    expect((await search({ text: "nisan vesra", maxPrice: 200_000 })).cars.map((car) => [car.stockId, car.price])).toEqual([[322722, 199_999]]);
    expect((await api("/cars/322722", { method: "PATCH", json: { price: 265_999 } })).status).toBe(200);
  });

  it("PATCH rejects unknown fields, bad values, a stock id change and unknown cars", async () => {
    const bad = await api("/cars/322722", { method: "PATCH", json: { price: "barato", wheels: 4 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual([
      { field: "price", message: "must be a number" },
      { field: "wheels", message: "is not a car field" },
    ]);
    const moved = await api("/cars/322722", { method: "PATCH", json: { stockId: 5 } });
    expect(moved.status).toBe(400);
    expect((await moved.json()).error.code).toBe("stock_id_mismatch");
    expect((await api("/cars/1", { method: "PATCH", json: { price: 1 } })).status).toBe(404);
  });

  it("PATCH of the model re-derives the body type", async () => {
    const res = await api("/cars/900001", { method: "PATCH", json: { model: "Tiguan", version: "1.4 R-LINE DCT" } });
    expect(await res.json()).toMatchObject({ model: "Tiguan", bodyType: "suv", transmission: "automatica" });
    expect((await search({ text: "vocho" })).total).toBe(0);
    expect((await search({ text: "tiguan", limit: 10 })).cars.map((car) => car.stockId)).toContain(900001);
  });

  it("PUT creates (201) or replaces (200); the body's stock id must match", async () => {
    const { stockId: _, ...withoutId } = newCar;
    const created = await api("/cars/900002", { method: "PUT", json: withoutId });
    expect(created.status).toBe(201);
    const replaced = await api("/cars/900002", { method: "PUT", json: { ...withoutId, price: 249_999 } });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ stockId: 900002, price: 249_999 });
    const mismatch = await api("/cars/900002", { method: "PUT", json: { ...newCar, stockId: 900003 } });
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).error.code).toBe("stock_id_mismatch");
  });

  it("DELETE removes from the catalog and from search (204), then 404", async () => {
    for (const id of [900001, 900002]) {
      expect((await api(`/cars/${id}`, { method: "DELETE" })).status).toBe(204);
      expect((await api(`/cars/${id}`, { method: "DELETE" })).status).toBe(404);
    }
    expect((await search({ text: "vocho" })).total).toBe(0);
    expect((await api("/cars/900001")).status).toBe(404);
  });
});

describe("CSV import", () => {
  const row = (id: number, price: number, model = "Beetle") => `${id},30000,${price}.0,Volkswagen,${model},2019,2.5 SPORT TIPTRONIC,Sí,4278.0,1808.0,1486.0,Sí`;

  it("imports new and changed cars and makes them searchable", async () => {
    const csv = [HEADER, row(910001, 279_999), "322722,45837,255999.0,Nissan,Versa,2020,1.6 ADVANCE CVT,Sí,4495.0,1740.0,1465.0,Sí"].join("\n");
    const res = await api("/cars/import", { method: "POST", csv });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 2, created: 1, updated: 1, rejected: [] });
    expect((await search({ text: "un vocho" })).cars.map((car) => [car.stockId, car.carPlay])).toEqual([[910001, true]]);
    expect((await search({ text: "versa", sort: "price_desc" })).cars[0]).toMatchObject({ stockId: 322722, price: 255_999 });
  });

  it("a file with bad rows is rejected whole, with each row's reason", async () => {
    const csv = [HEADER, row(910002, 289_999), "910003,abc,100.0,Volkswagen,Beetle,2019,X,Sí,,,,", row(910004, 0)].join("\n");
    const res = await api("/cars/import", { method: "POST", csv });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_csv");
    expect(error.rows.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect((await api("/cars/910002")).status).toBe(404);
  });

  it("?partial=true imports the valid rows and reports the rejected ones", async () => {
    const csv = [HEADER, row(910002, 289_999), "910003,abc,100.0,Volkswagen,Beetle,2019,X,Sí,,,,"].join("\n");
    const res = await api("/cars/import?partial=true", { method: "POST", csv });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ imported: 1, created: 1, updated: 0 });
    expect(body.rejected.map((r: { line: number }) => r.line)).toEqual([3]);
    expect((await api("/cars/910002")).status).toBe(200);
  });

  it("accepts JSON {cars: [...]} too, validated per car", async () => {
    const ok = await api("/cars/import", { method: "POST", json: { cars: [{ ...newCar, stockId: 910005 }] } });
    expect(await ok.json()).toEqual({ imported: 1, created: 1, updated: 0, rejected: [] });
    const bad = await api("/cars/import", { method: "POST", json: { cars: [{ ...newCar, stockId: 910006, price: 0 }] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual([{ field: "cars[0].price", message: "must be greater than 0" }]);
    expect((await api("/cars/import", { method: "POST", json: { nope: 1 } })).status).toBe(400);
  });

  it("restores: deletes what the import tests added", async () => {
    for (const id of [910001, 910002, 910005]) expect((await api(`/cars/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api("/cars/322722", { method: "PATCH", json: { price: 265_999 } })).status).toBe(200);
    expect((await (await api("/cars?limit=1")).json()).total).toBe(100);
  });
});
