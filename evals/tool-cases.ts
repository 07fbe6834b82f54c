/**
 * Tool-level evals: the tools of the registry (tools/toolkit.ts) called directly with what a live
 * model would send, independent of the built-in model (which corrects spelling and rounds
 * numbers before it calls a tool, and so hides what the tools do with raw input).
 *
 * - Hand-written cases (evals/tool-cases/*.yaml): raw typos, aliases, knowledge questions, faults.
 * - Generated from the registry: every enum value of every tool's input schema, and the schema's
 *   numeric bounds (on, just inside, just outside: what the AI SDK must accept or refuse).
 * - Generated from the domain rules over the catalog: financing (down payment against the price,
 *   every term and its neighbours, percentages with decimals, a bare price), affordability, and
 *   the search ceilings (price, year, km: on the value of a catalog car, and one past it).
 * Every case is also checked by the oracles (oracles.ts), its stored quote (stored-checks.ts)
 * and its spans (trace-checks.ts).
 */
import { asSchema, type ToolSet } from "ai";
import { Context, Effect } from "effect";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { makeSalesToolkit } from "../tools/toolkit.ts";
import { matchesArgs } from "./expectations.ts";
import { faultSpec } from "./app/faults.ts";
import { catalogById, RULES } from "./oracles.ts";

export const TOOL_CASES_DIR = new URL("./tool-cases/", import.meta.url).pathname;

const expectation = z
  .object({
    /** The input must be refused by the tool's input schema (the AI SDK never calls the tool). */
    schema: z.enum(["accept", "reject", "any"]).optional(),
    /** Keys the output must have (matching like a golden conversation's tool arguments). */
    output: z.record(z.string(), z.unknown()).optional(),
    /** Keys every car shown must have. */
    every_car: z.record(z.string(), z.unknown()).optional(),
    /** Keys the first car shown must have. */
    first_car: z.record(z.string(), z.unknown()).optional(),
    /** Keys the first of the nearest options (nothing matched) must have. */
    first_nearest: z.record(z.string(), z.unknown()).optional(),
    min_total: z.number().int().nonnegative().optional(),
    /** Texts (case and accents ignored) the knowledge passages must contain, all of them. */
    passages_say: z.array(z.string()).optional(),
  })
  .strict();

const toolCase = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    description: z.string().optional(),
    tool: z.string(),
    input: z.record(z.string(), z.unknown()),
    expect: expectation.default({}),
    faults: z.array(faultSpec).default([]),
    /** Why it is not gating yet (a known defect); played with --pending, reported, never gating. */
    pending: z.string().optional(),
  })
  .strict();

export type ToolCaseSpec = z.output<typeof toolCase> & { readonly source: string };

export const loadToolCaseFiles = (dir = TOOL_CASES_DIR): ToolCaseSpec[] =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => {
      const parsed = z.array(toolCase).safeParse(parse(readFileSync(join(dir, file), "utf8")));
      if (!parsed.success) throw new Error(`${file}: not a valid tool-case file\n${parsed.error.issues.map((i) => `  at ${i.path.join(".")}: ${i.message}`).join("\n")}`);
      return parsed.data.map((c) => ({ ...c, source: file }));
    });

// ---------------------------------------------------------------- the registry

/** The registry's tools, built without any service (they are only needed when a tool runs). */
export const registryTools = (): ToolSet => Effect.runSync(Effect.provideContext(makeSalesToolkit, Context.empty() as never)).tools;

interface JsonSchema {
  readonly type?: string;
  readonly enum?: ReadonlyArray<unknown>;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: ReadonlyArray<string>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly maxItems?: number;
}

export interface ToolContract {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
}

/**
 * The reviewed contract of every tool (evals/tool-contracts.json, written by `npm run eval:snapshot`
 * from the registry): the gate checks the live registry still offers exactly it, and the generated
 * cases come from it, so a changed bound or enum in the code is tested against the agreed one.
 */
export const TOOL_CONTRACTS_FILE = new URL("./tool-contracts.json", import.meta.url).pathname;
export const agreedContracts = (): ToolContract[] => JSON.parse(readFileSync(TOOL_CONTRACTS_FILE, "utf8")) as ToolContract[];

/** Where two contracts of a tool differ, in a line. */
export const contractDiff = (agreed: ToolContract, live: ToolContract): string => {
  if (agreed.description !== live.description) return `description ${JSON.stringify(live.description.slice(0, 120))}, agreed ${JSON.stringify(agreed.description.slice(0, 120))}`;
  const a = agreed.schema.properties ?? {};
  const b = live.schema.properties ?? {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return `${key}: ${JSON.stringify(b[key])}, agreed ${JSON.stringify(a[key])}`;
  return "the schema's shape";
};

/** What the model reads of each tool: its description and input JSON schema. */
export const registryContracts = async (): Promise<ToolContract[]> =>
  Promise.all(
    Object.entries(registryTools()).map(async ([name, tool]) => ({
      name,
      description: typeof tool.description === "string" ? tool.description : "",
      schema: (await asSchema(tool.inputSchema).jsonSchema) as JsonSchema,
    })),
  );

// ---------------------------------------------------------------- generated cases

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const generated = (tool: string, id: string, input: Record<string, unknown>, expect: ToolCaseSpec["expect"] = { schema: "any" }): ToolCaseSpec => ({
  id: `${slug(tool)}-${slug(id)}`,
  tool,
  input,
  expect,
  faults: [],
  source: "generated",
});

/** The smallest valid input of a tool (its required properties). */
const minimalInput = (tool: string): Record<string, unknown> => {
  const cars = [...catalogById().values()];
  if (tool === "get_car_details") return { stockId: cars[0]!.stockId };
  if (tool === "calculate_affordable_price") return { monthlyBudget: 5000 };
  if (tool === "search_knowledge") return { query: "garantía" };
  if (tool === "manage_appointment") return { action: "consultar" };
  if (tool === "record_satisfaction") return { rating: 5 };
  if (tool === "calculate_financing") return { stockId: cars[0]!.stockId };
  return {};
};

/** Every enum value and every numeric bound (on it, and one past it) of every tool's input schema. */
const contractCases = (contracts: ReadonlyArray<ToolContract>): ToolCaseSpec[] =>
  contracts.flatMap(({ name, schema }) =>
    Object.entries(schema.properties ?? {}).flatMap(([key, prop]) => {
      const base = minimalInput(name);
      const cases: ToolCaseSpec[] = [];
      const values = prop.enum ?? prop.items?.enum;
      for (const value of values ?? []) {
        const input = { ...base, [key]: prop.type === "array" ? [value] : value, ...(name === "search_cars" ? { limit: 10 } : {}) };
        // Every value the model is offered must find something in the catalog (else it is a dead option).
        cases.push(generated(name, `${key}-${String(value)}`, input, { schema: "accept", ...(name === "search_cars" ? { min_total: 1 } : {}) }));
      }
      if (prop.type === "boolean")
        for (const value of [true, false])
          cases.push(generated(name, `${key}-${value}`, { ...base, [key]: value, ...(name === "search_cars" ? { limit: 10 } : {}) }, { schema: "accept", ...(name === "search_cars" && value ? { min_total: 1 } : {}) }));
      if (prop.type === "string" && prop.maxLength !== undefined) {
        cases.push(generated(name, `${key}-at-max-length`, { ...base, [key]: "a".repeat(prop.maxLength) }, { schema: "accept" }));
        cases.push(generated(name, `${key}-above-max-length`, { ...base, [key]: "a".repeat(prop.maxLength + 1) }, { schema: "reject" }));
      }
      if (prop.type === "string" && prop.minLength !== undefined && prop.minLength > 0)
        cases.push(generated(name, `${key}-below-min-length`, { ...base, [key]: "a".repeat(prop.minLength - 1) }, { schema: "reject" }));
      if (prop.type === "array" && prop.maxItems !== undefined && prop.items?.type === "integer") {
        cases.push(generated(name, `${key}-above-max-items`, { ...base, [key]: Array.from({ length: prop.maxItems + 1 }, () => 48) }, { schema: "reject" }));
      }
      if (prop.type === "integer" || prop.type === "number") {
        const bound = (label: string, value: number, accepted: boolean) => cases.push(generated(name, `${key}-${label}`, { ...base, [key]: value }, { schema: accepted ? "accept" : "reject" }));
        if (prop.minimum !== undefined) {
          bound("at-minimum", prop.minimum, true);
          bound("below-minimum", prop.minimum - 1, false);
        }
        if (prop.maximum !== undefined) {
          bound("at-maximum", prop.maximum, true);
          bound("above-maximum", prop.maximum + 1, false);
        }
        if (prop.exclusiveMinimum !== undefined) {
          bound("at-exclusive-minimum", prop.exclusiveMinimum, false);
          bound("above-exclusive-minimum", prop.exclusiveMinimum + 1, true);
        }
      }
      return cases;
    }),
  );

/** Domain rules, on / just inside / just outside, over real catalog cars. The oracles say what is right. */
const domainCases = (): ToolCaseSpec[] => {
  const cars = [...catalogById().values()].sort((a, b) => a.price - b.price || a.stockId - b.stockId);
  const picks = [cars[0]!, cars[Math.floor(cars.length / 2)]!, cars[cars.length - 1]!];
  const cases: ToolCaseSpec[] = [];
  const fin = (id: string, input: Record<string, unknown>) => cases.push(generated("calculate_financing", id, input));
  for (const car of picks) {
    const at = (label: string) => `${car.stockId}-${label}`;
    // Down payment < price: one peso below, equal, one above; zero; negative.
    fin(at("down-price-minus-1"), { stockId: car.stockId, downPayment: car.price - 1, termMonths: [36] });
    fin(at("down-equal-price"), { stockId: car.stockId, downPayment: car.price });
    fin(at("down-price-plus-1"), { stockId: car.stockId, downPayment: car.price + 1 });
    fin(at("down-zero"), { stockId: car.stockId, downPayment: 0 });
    fin(at("down-negative"), { stockId: car.stockId, downPayment: -1 });
    // Percentages: 0, fractional, just under 100, 100, negative.
    for (const percent of [0, 12.5, 33.33, 20.05, 99.99, 100, -0.01]) fin(at(`percent-${percent}`), { stockId: car.stockId, downPaymentPercent: percent });
  }
  const mid = picks[1]!;
  // Terms: each allowed one, its neighbours, the usual wrong ones, none, repeated and unordered.
  for (const term of [0, 12, 24, 35, 36, 37, 47, 48, 49, 59, 60, 61, 71, 72, 73, 84, 96]) fin(`${mid.stockId}-term-${term}`, { stockId: mid.stockId, downPayment: 50_000, termMonths: [term] });
  fin(`${mid.stockId}-terms-empty`, { stockId: mid.stockId, downPayment: 50_000, termMonths: [] });
  fin(`${mid.stockId}-terms-unordered-repeated`, { stockId: mid.stockId, downPayment: 50_000, termMonths: [72, 36, 36] });
  fin(`${mid.stockId}-terms-one-invalid`, { stockId: mid.stockId, downPayment: 50_000, termMonths: [48, 84] });
  // A bare price: the smallest, zero, negative, down payment on the price; an unknown car; nothing.
  fin("price-1", { price: 1 });
  fin("price-0", { price: 0 });
  fin("price-negative", { price: -100 });
  fin("price-250000-down-249999", { price: 250_000, downPayment: 249_999, termMonths: [72] });
  fin("price-250000-down-250000", { price: 250_000, downPayment: 250_000 });
  fin("price-250000-percent-12-5", { price: 250_000, downPaymentPercent: 12.5, termMonths: [48] });
  fin("unknown-car", { stockId: 1, downPayment: 0 });
  fin("no-car-no-price", { downPayment: 10_000 });
  // Affordability: budgets from one peso up, with and without down payment, each term and wrong ones.
  const aff = (id: string, input: Record<string, unknown>) => cases.push(generated("calculate_affordable_price", id, input));
  for (const budget of [1, 999, 5000, 5001, 25_000]) aff(`budget-${budget}`, { monthlyBudget: budget });
  aff("budget-5000-down-100000", { monthlyBudget: 5000, downPayment: 100_000 });
  for (const term of [24, 35, ...RULES.terms, 73, 84]) aff(`budget-6000-term-${term}`, { monthlyBudget: 6000, termMonths: [term] });
  aff("down-negative", { monthlyBudget: 6000, downPayment: -1 });
  // Search ceilings and floors, inclusive: on a catalog car's value, and one past it.
  const search = (id: string, input: Record<string, unknown>, expect: ToolCaseSpec["expect"] = {}) => cases.push(generated("search_cars", id, input, expect));
  for (const car of picks) {
    const at = (label: string) => `${car.stockId}-${label}`;
    search(at("max-price-on"), { maxPrice: car.price, sort: "price_desc", limit: 1 }, { first_car: { price: car.price } });
    search(at("max-price-below"), { maxPrice: car.price - 1, sort: "price_desc", limit: 1 });
    search(at("min-price-on"), { minPrice: car.price, sort: "price_asc", limit: 1 }, { first_car: { price: car.price } });
    search(at("min-price-above"), { minPrice: car.price + 1, sort: "price_asc", limit: 1 });
    search(at("price-exact"), { minPrice: car.price, maxPrice: car.price, limit: 10 }, { min_total: 1, every_car: { price: car.price } });
    search(at("max-year-on"), { maxYear: car.year, sort: "year_desc", limit: 1 }, { first_car: { year: car.year } });
    search(at("min-year-on"), { minYear: car.year, sort: "year_asc", limit: 1 }, { first_car: { year: car.year } });
    search(at("year-exact"), { minYear: car.year, maxYear: car.year, limit: 10 }, { min_total: 1, every_car: { year: car.year } });
    search(at("max-km-on"), { maxKm: car.km, limit: 10 }, { min_total: 1 });
    search(at("max-km-below"), { maxKm: car.km - 1, limit: 10 });
    search(at("make-model"), { make: car.make, model: car.model, limit: 10 }, { min_total: 1, every_car: { make: car.make, model: car.model } });
  }
  // Paging: every page of a search adds up to its total.
  search("page-2", { sort: "price_asc", limit: 10, offset: 10 });
  search("page-beyond", { sort: "price_asc", limit: 10, offset: 1000 });
  // Details: every picked car, and a stock id the catalog lacks.
  for (const car of picks) cases.push(generated("get_car_details", `${car.stockId}`, { stockId: car.stockId }, { output: { found: true, car: { stockId: car.stockId, price: car.price } } }));
  cases.push(generated("get_car_details", "unknown", { stockId: 1 }, { output: { found: false } }));
  return cases;
};

/**
 * Generated cases that expose a known product defect: reported on every run (played with
 * --pending), not gating until the defect is fixed. Remove an entry when its case passes.
 */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {};

/** Every tool-level case: the files' and the generated ones (ids unique). */
export const loadToolCases = async (): Promise<ToolCaseSpec[]> => {
  const all = [...loadToolCaseFiles(), ...contractCases(agreedContracts()), ...domainCases()].map((c) =>
    KNOWN_DEFECTS[c.id] !== undefined && c.pending === undefined ? { ...c, pending: KNOWN_DEFECTS[c.id] } : c,
  );
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new Error(`duplicate tool case id "${c.id}" (${c.source})`);
    seen.add(c.id);
  }
  return all;
};

// ---------------------------------------------------------------- grading

export interface ToolCaseRun {
  readonly tool: string;
  readonly input: unknown;
  /** What the schema said (the AI SDK validates before calling). */
  readonly schema: "accept" | "reject";
  readonly schemaError?: string | undefined;
  /** The tool's result (undefined when the schema refused the input). */
  readonly output?: unknown;
  /** A thrown error: tools must never throw. */
  readonly thrown?: string | undefined;
}

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** Everything a tool-level run misses of its case's expectations (the oracles are checked apart). */
export const checkToolCase = (spec: ToolCaseSpec, run: ToolCaseRun): string[] => {
  const problems: string[] = [];
  if (run.thrown !== undefined) return [`the tool threw: ${run.thrown}`];
  const wantSchema = spec.expect.schema ?? "accept";
  if (wantSchema !== "any" && run.schema !== wantSchema) return [`the input schema ${run.schema === "reject" ? `refused the input (${run.schemaError})` : "accepted the input"}; expected it to ${wantSchema}`];
  if (run.schema === "reject") return problems;
  const output = run.output as Record<string, unknown> | undefined;
  if (output === undefined || typeof output !== "object") return [`no output: ${JSON.stringify(run.output)}`];
  const unavailable = output.ok === false && (output.error as { code?: unknown } | undefined)?.code === "tool_unavailable";
  if (spec.faults.length === 0 && unavailable) problems.push("the tool answered tool_unavailable with nothing failing");
  if (spec.expect.output !== undefined) {
    const miss = matchesArgs(spec.expect.output, output, "output");
    if (miss !== undefined) problems.push(miss);
  }
  const cars = Array.isArray(output.cars) ? (output.cars as unknown[]) : [];
  if (spec.expect.min_total !== undefined && !(typeof output.total === "number" && output.total >= spec.expect.min_total))
    problems.push(`total ${JSON.stringify(output.total)}, expected at least ${spec.expect.min_total}`);
  if (spec.expect.every_car !== undefined)
    for (const [i, car] of cars.entries()) {
      const miss = matchesArgs(spec.expect.every_car, car, `car ${i + 1}`);
      if (miss !== undefined) problems.push(miss);
    }
  if (spec.expect.first_car !== undefined) {
    const miss = cars.length === 0 ? "no car shown" : matchesArgs(spec.expect.first_car, cars[0], "first car");
    if (miss !== undefined) problems.push(miss);
  }
  if (spec.expect.first_nearest !== undefined) {
    const nearest = Array.isArray(output.nearest) ? (output.nearest as unknown[]) : [];
    const miss = nearest.length === 0 ? "no nearest option" : matchesArgs(spec.expect.first_nearest, nearest[0], "first nearest option");
    if (miss !== undefined) problems.push(miss);
  }
  if (spec.expect.passages_say !== undefined) {
    const text = fold(JSON.stringify((output.results as unknown[] | undefined) ?? []));
    for (const want of spec.expect.passages_say) if (!text.includes(fold(want))) problems.push(`no passage says "${want}"`);
  }
  return problems;
};
