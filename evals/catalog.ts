/** The sample catalog as the invariants see it (makes, models, years), read once per process. */
import { readFileSync } from "node:fs";
import { parseCatalogCsv } from "../knowledge/catalog/csv-import.ts";
import { buildCatalogIndex, type CatalogIndex } from "./invariants.ts";

export const CATALOG_CSV = new URL("../knowledge/catalog/data/catalog.csv", import.meta.url).pathname;

let cached: CatalogIndex | undefined;

export const catalogIndex = (): CatalogIndex => {
  if (cached === undefined) {
    const { cars, errors } = parseCatalogCsv(readFileSync(CATALOG_CSV, "utf8"));
    if (errors.length > 0) throw new Error(`catalog.csv has ${errors.length} invalid rows; the evals need a clean catalog`);
    cached = buildCatalogIndex(cars);
  }
  return cached;
};
