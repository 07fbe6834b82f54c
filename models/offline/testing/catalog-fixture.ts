/**
 * Test-only tools that answer like the real ones, over the 100-car sample catalog, so the offline
 * model can be exercised end to end through generateText without the database. The catalog is read
 * with the real import (knowledge/catalog/csv-import.ts) and the money comes from the real, exact
 * financing math (knowledge/financing/financing-math.ts).
 */
import { readFileSync } from "node:fs";
import type { Car } from "../../../knowledge/catalog/car.ts";
import { parseCatalogCsv } from "../../../knowledge/catalog/csv-import.ts";
import {
  ALLOWED_TERMS,
  ANNUAL_RATE_PERCENT,
  isAllowedTerm,
  maxFinancedFor,
  simulateFinancing,
  validateFinancing,
  type Term,
} from "../../../knowledge/financing/financing-math.ts";
import { foldLatinAccents } from "../../../lib/fold-accents.ts";
import type {
  CalculateAffordablePriceInput,
  CalculateAffordablePriceOutput,
  CalculateFinancingInput,
  CalculateFinancingOutput,
  CarCard,
  GetCarDetailsOutput,
  SearchCarsInput,
  SearchCarsOutput,
  SearchKnowledgeOutput,
} from "../../../tools/contracts.ts";

const CSV = new URL("../../../knowledge/catalog/data/catalog.csv", import.meta.url);

export const loadCatalog = (): ReadonlyArray<Car> => {
  const { cars, errors } = parseCatalogCsv(readFileSync(CSV, "utf8"));
  if (errors.length > 0) throw new Error(`sample catalog rejected: ${errors.map((e) => `line ${e.line}: ${e.reason}`).join("; ")}`);
  return cars;
};

const card = (c: Car): CarCard => ({
  stockId: c.stockId, make: c.make, model: c.model, year: c.year, version: c.version, price: c.price, km: c.km,
  transmission: c.transmission, bluetooth: c.bluetooth, carPlay: c.carPlay, bodyType: c.bodyType,
});

const same = (a: string, b: string) => a.localeCompare(b, "es", { sensitivity: "base" }) === 0;

export const searchCars = (catalog: ReadonlyArray<Car>, q: SearchCarsInput): SearchCarsOutput => {
  const text = q.query?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const byText = catalog.filter(
    (c) =>
      (q.make === undefined || same(c.make, q.make)) &&
      (q.model === undefined || same(c.model, q.model)) &&
      text.every((w) => `${c.make} ${c.model} ${c.version}`.toLowerCase().includes(w)),
  );
  const matches = byText.filter(
    (c) =>
      (q.minPrice === undefined || c.price >= q.minPrice) &&
      (q.maxPrice === undefined || c.price <= q.maxPrice) &&
      (q.minYear === undefined || c.year >= q.minYear) &&
      (q.maxYear === undefined || c.year <= q.maxYear) &&
      (q.maxKm === undefined || c.km <= q.maxKm) &&
      (q.bluetooth === undefined || c.bluetooth === q.bluetooth) &&
      (q.carPlay === undefined || c.carPlay === q.carPlay) &&
      (q.transmission === undefined || c.transmission === q.transmission),
  );
  const order: Record<string, (a: Car, b: Car) => number> = {
    price_asc: (a, b) => a.price - b.price,
    price_desc: (a, b) => b.price - a.price,
    year_desc: (a, b) => b.year - a.year || a.price - b.price,
    year_asc: (a, b) => a.year - b.year,
    km_asc: (a, b) => a.km - b.km,
    relevance: (a, b) => b.year - a.year || a.price - b.price,
  };
  const sorted = [...matches].sort(order[q.sort ?? "relevance"]);
  const offset = q.offset ?? 0;
  const page = sorted.slice(offset, offset + (q.limit ?? 5));
  const prices = byText.map((c) => c.price);
  const years = byText.map((c) => c.year);
  const makes = new Map<string, number>();
  for (const c of byText) makes.set(c.make, (makes.get(c.make) ?? 0) + 1);
  return {
    total: matches.length,
    offset,
    cars: page.map(card),
    nearest: matches.length === 0 ? [...(byText.length > 0 ? byText : catalog)].sort((a, b) => a.price - b.price).slice(0, 3).map(card) : [],
    facets: {
      makes: [...makes].map(([make, count]) => ({ make, count })),
      price: prices.length === 0 ? null : { min: Math.min(...prices), max: Math.max(...prices) },
      year: years.length === 0 ? null : { min: Math.min(...years), max: Math.max(...years) },
    },
  };
};

export const carDetails = (catalog: ReadonlyArray<Car>, stockId: number): GetCarDetailsOutput => {
  const c = catalog.find((x) => x.stockId === stockId);
  return c === undefined ? { found: false, stockId } : { found: true, car: { ...card(c), lengthMm: c.lengthMm, widthMm: c.widthMm, heightMm: c.heightMm, seats: c.seats } };
};

const ANNUAL_RATE = `${ANNUAL_RATE_PERCENT}%`;

export const financing = (catalog: ReadonlyArray<Car>, input: CalculateFinancingInput): CalculateFinancingOutput => {
  const fail = (code: Extract<CalculateFinancingOutput, { ok: false }>["error"]["code"], message: string): CalculateFinancingOutput => ({ ok: false, error: { code, message } });
  const car = input.stockId === undefined ? undefined : catalog.find((c) => c.stockId === input.stockId);
  if (input.stockId !== undefined && car === undefined) return fail("car_not_found", "No existe ese auto");
  const price = car?.price ?? input.price;
  if (price === undefined) return fail("missing_price", "Falta el precio");
  const down = input.downPayment ?? (input.downPaymentPercent === undefined ? 0 : Math.round((price * input.downPaymentPercent) / 100));
  const terms = input.termMonths === undefined || input.termMonths.length === 0 ? ALLOWED_TERMS : input.termMonths;
  const problem = validateFinancing(price, down, terms);
  if (problem !== undefined) return fail(problem.code, problem.message);
  const simulation = simulateFinancing(price, down, terms as ReadonlyArray<Term>);
  return {
    ok: true,
    quoteId: `q-${price}-${down}`,
    car: car === undefined ? null : { stockId: car.stockId, make: car.make, model: car.model, year: car.year, version: car.version },
    price,
    downPayment: down,
    financed: simulation.financed,
    annualRate: ANNUAL_RATE,
    plans: simulation.plans,
  };
};

export const affordable = (input: CalculateAffordablePriceInput): CalculateAffordablePriceOutput => {
  if (input.monthlyBudget <= 0) return { ok: false, error: { code: "invalid_budget", message: "Presupuesto inválido" } };
  const terms = input.termMonths ?? ALLOWED_TERMS;
  if (!terms.every(isAllowedTerm)) return { ok: false, error: { code: "invalid_term", message: "Plazos válidos: 36, 48, 60 o 72 meses" } };
  const down = input.downPayment ?? 0;
  return {
    ok: true,
    monthlyBudget: input.monthlyBudget,
    downPayment: down,
    annualRate: ANNUAL_RATE,
    plans: terms.map((n) => {
      const maxFinanced = maxFinancedFor(input.monthlyBudget, n);
      return { termMonths: n, maxFinanced, maxPrice: maxFinanced + down };
    }),
  };
};

/** A few knowledge snippets in the shape search_knowledge returns (wording is the fixture's own). */
const DOCS = [
  { title: "Sedes de Kavak", topic: "sedes", words: ["sede", "sedes", "sucursal", "sucursales", "ubicad", "donde"], text: "Kavak tiene 15 sedes y 13 centros de inspección en México, en ciudades como Ciudad de México, Monterrey, Guadalajara, Puebla, Querétaro y Cuernavaca." },
  { title: "Horario de Kavak Explanada", topic: "horarios", words: ["horario", "hora", "abren", "cierran"], text: "Kavak Explanada, en Puebla, abre todos los días de 9:00 a 18:00. Para otras sedes el horario no está publicado." },
];

export const knowledge = (query: string): SearchKnowledgeOutput => {
  const q = foldLatinAccents(query.toLowerCase());
  return { results: DOCS.filter((d) => d.words.some((w) => q.includes(w))).map((d) => ({ title: d.title, topic: d.topic, text: d.text, score: 0.8 })) };
};
