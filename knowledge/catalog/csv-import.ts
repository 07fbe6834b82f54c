/**
 * Parses the challenge's catalog CSV into validated, normalised cars. Every rejected row is
 * reported with its line number and reason; callers write nothing unless the file is clean.
 */
import { parse } from "csv-parse/sync";
import { classifyBody } from "./body-types.ts";
import type { Car } from "./car.ts";
import { displayMake, displayModel, parseYesNo, transmissionFromVersion } from "./normalize.ts";

export interface RowError {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly reason: string;
}

export interface ParsedCatalog {
  readonly cars: ReadonlyArray<Car>;
  readonly errors: ReadonlyArray<RowError>;
}

const REQUIRED = ["stock_id", "km", "price", "make", "model", "year", "version"] as const;
/** Accepted header spellings → canonical column. */
const HEADER_ALIASES: Record<string, string> = { stockid: "stock_id", carplay: "car_play", car_play: "car_play", stock_id: "stock_id" };

const canonicalHeader = (header: string) => {
  const key = header.trim().toLowerCase();
  return HEADER_ALIASES[key] ?? key;
};

const MAX_YEAR = new Date().getFullYear() + 1;

const wholeNumber = (raw: string | undefined, field: string, { min, max }: { min: number; max: number }): number | string => {
  const value = (raw ?? "").trim();
  if (value === "") return `${field} is empty`;
  if (!/^\d+(\.0+)?$/.test(value)) return `${field} is not a whole number: "${value}"`;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min || number > max) return `${field} out of range (${min}-${max}): ${value}`;
  return number;
};

const optionalMm = (raw: string | undefined, field: string): number | null | string => {
  const value = (raw ?? "").trim();
  if (value === "") return null;
  const result = wholeNumber(value, field, { min: 500, max: 10_000 });
  return result;
};

export const parseCatalogCsv = (text: string): ParsedCatalog => {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { cars: [], errors: [{ line, reason: `malformed CSV: ${(error as Error).message}` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { cars: [], errors: [{ line: 1, reason: "empty file" }] };
  const columns = header.map(canonicalHeader);
  const missing = REQUIRED.filter((column) => !columns.includes(column));
  if (missing.length > 0) return { cars: [], errors: [{ line: 1, reason: `missing columns: ${missing.join(", ")}` }] };

  const cars: Car[] = [];
  const errors: RowError[] = [];
  const seen = new Map<number, number>();
  rows.forEach((values, index) => {
    const line = index + 2;
    if (values.length !== columns.length) {
      errors.push({ line, reason: `expected ${columns.length} columns, found ${values.length}` });
      return;
    }
    const row = Object.fromEntries(columns.map((column, i) => [column, values[i]]));
    const result = carFromRow(row);
    if (typeof result === "string") {
      errors.push({ line, reason: result });
      return;
    }
    const previous = seen.get(result.stockId);
    if (previous !== undefined) {
      errors.push({ line, reason: `duplicate stock_id ${result.stockId} (first seen on line ${previous})` });
      return;
    }
    seen.set(result.stockId, line);
    cars.push(result);
  });
  return { cars, errors };
};

/** One row → a Car, or the reason it is rejected. */
export const carFromRow = (row: Record<string, string | undefined>): Car | string => {
  const stockId = wholeNumber(row.stock_id, "stock_id", { min: 1, max: 2_147_483_647 });
  const km = wholeNumber(row.km, "km", { min: 0, max: 2_000_000 });
  const price = wholeNumber(row.price, "price", { min: 1, max: 100_000_000 });
  const year = wholeNumber(row.year, "year", { min: 1950, max: MAX_YEAR });
  const lengthMm = optionalMm(row.largo, "largo");
  const widthMm = optionalMm(row.ancho, "ancho");
  const heightMm = optionalMm(row.altura, "altura");
  for (const value of [stockId, km, price, year, lengthMm, widthMm, heightMm]) if (typeof value === "string") return value;
  const make = (row.make ?? "").trim();
  const model = (row.model ?? "").trim();
  const version = (row.version ?? "").trim();
  if (make === "") return "make is empty";
  if (model === "") return "model is empty";
  const bluetooth = parseYesNo(row.bluetooth);
  const carPlay = parseYesNo(row.car_play);
  if (bluetooth === "invalid") return `bluetooth not recognised: "${row.bluetooth}" (use Sí, No or blank)`;
  if (carPlay === "invalid") return `car_play not recognised: "${row.car_play}" (use Sí, No or blank)`;
  const displayedMake = displayMake(make);
  const displayedModel = displayModel(model);
  const body = classifyBody(displayedMake, displayedModel, heightMm as number | null, { version, lengthMm: lengthMm as number | null });
  return {
    stockId: stockId as number,
    make: displayedMake,
    model: displayedModel,
    year: year as number,
    version,
    price: price as number,
    km: km as number,
    bluetooth,
    carPlay,
    transmission: transmissionFromVersion(version),
    lengthMm: lengthMm as number | null,
    widthMm: widthMm as number | null,
    heightMm: heightMm as number | null,
    bodyType: body.bodyType,
    seats: body.seats,
  };
};
