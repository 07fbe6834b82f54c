/**
 * Independent oracles for what each tool returns, from the domain rules and the catalog file
 * alone (not from the code under test): a tool result that contradicts them is wrong whatever
 * the reply says. Applied to every tool call of every golden conversation and tool-level case.
 *
 * - calculate_financing: price from the catalog (or the input), down payment from the amount or
 *   the percentage (half-up to the peso), financed = price − down payment, one plan per term
 *   (36/48/60/72, the asked ones or all), payment = P·r/(1−(1+r)^−n) with r = 10%/12 rounded
 *   half-up to the cent, totals = payment × n; and the right rejection when a rule is broken.
 * - calculate_affordable_price: the largest whole-peso amount whose payment fits the budget.
 * - search_cars: every car shown is a catalog car with its catalog figures and meets every
 *   filter asked (ranges inclusive), in the order asked; with numeric filters only, the total
 *   is exactly the number of catalog cars that meet them.
 * - get_car_details: the catalog's car, or "not found" only for a stock id the catalog lacks.
 * - search_knowledge: every passage comes from the knowledge base, at most 3 (the best for the whole
 *   question first; a second one may answer another part of it, scored on that part).
 */
import { CLOSING_ORACLES } from "./closing-checks.ts";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogCsv } from "../knowledge/catalog/csv-import.ts";
import type { Car } from "../knowledge/catalog/car.ts";
import { CATALOG_CSV } from "./catalog.ts";

export const RULES = {
  annualRatePercent: 10,
  terms: [36, 48, 60, 72] as ReadonlyArray<number>,
  defaultSearchLimit: 5,
  knowledgeLimit: 3,
} as const;

// ---------------------------------------------------------------- exact money

const halfUp = (numerator: bigint, denominator: bigint): bigint => {
  const q = numerator / denominator;
  return (numerator - q * denominator) * 2n >= denominator ? q + 1n : q;
};

/** "5478.29" for 547829n. */
export const decimal = (cents: bigint): string => {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
};

/** The monthly payment in cents of `financedPesos` over `months` at 10% a year (r = 1/120). */
export const paymentCents = (financedPesos: number, months: number): bigint => {
  const growth = 121n ** BigInt(months);
  const base = 120n ** BigInt(months);
  return halfUp(BigInt(financedPesos) * 100n * growth, 120n * (growth - base));
};

/**
 * Month-by-month schedule: interest on the balance half-up to the cent, the last payment closes it at
 * 0.00. A payment never takes the balance below zero: on tiny amounts (where the rounded payment
 * repays more than is owed) that month pays the balance plus its interest and later months owe 0.00.
 */
export const expectedSchedule = (financedPesos: number, months: number) => {
  const payment = paymentCents(financedPesos, months);
  let balance = BigInt(financedPesos) * 100n;
  const rows: Array<{ month: number; payment: string; interest: string; principal: string; balance: string }> = [];
  for (let month = 1; month <= months; month++) {
    const interest = halfUp(balance, 120n);
    const last = month === months;
    const principal = last || payment - interest > balance ? balance : payment - interest;
    balance -= principal;
    rows.push({ month, payment: decimal(principal + interest), interest: decimal(interest), principal: decimal(principal), balance: decimal(balance) });
  }
  return rows;
};

/** Down payment for a percentage given with at most two decimals, half-up to the peso; undefined beyond. */
const downFromPercent = (price: number, percent: number): number | undefined => {
  const [int = "0", frac = ""] = String(percent).split(".");
  if (frac.length > 2 || /e/i.test(String(percent))) return undefined;
  const hundredths = BigInt(int) * 100n + BigInt(frac.padEnd(2, "0"));
  return Number(halfUp(BigInt(price) * hundredths, 10_000n));
};

// ---------------------------------------------------------------- catalog and knowledge

let catalogCars: ReadonlyMap<number, Car> | undefined;
export const catalogById = (): ReadonlyMap<number, Car> => {
  if (catalogCars === undefined) catalogCars = new Map(parseCatalogCsv(readFileSync(CATALOG_CSV, "utf8")).cars.map((car) => [car.stockId, car]));
  return catalogCars;
};

export const KNOWLEDGE_DIR = new URL("../knowledge/documents/", import.meta.url).pathname;
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
let knowledgeWords: ReadonlySet<string> | undefined;
/** Every word and number the knowledge documents use. */
const knowledgeVocabulary = (): ReadonlySet<string> =>
  (knowledgeWords ??= new Set(readdirSync(KNOWLEDGE_DIR).filter((f) => f.endsWith(".md")).flatMap((file) => words(readFileSync(join(KNOWLEDGE_DIR, file), "utf8")))));

/**
 * Whether a passage comes from the knowledge base: every number in it is one the documents state,
 * and nearly all of its words are theirs (passages may be composed from a section's fields).
 */
const knowledgeProblem = (text: string): string | undefined => {
  const vocabulary = knowledgeVocabulary();
  const all = words(text);
  if (all.length === 0) return "empty";
  const numbers = all.filter((w) => /^\d+$/.test(w) && !vocabulary.has(w));
  if (numbers.length > 0) return `states ${numbers.join(", ")}, which no document states`;
  const unknown = all.filter((w) => !vocabulary.has(w));
  return unknown.length / all.length > 0.1 ? `${unknown.length} of its ${all.length} words are in no document (${[...new Set(unknown)].slice(0, 5).join(", ")})` : undefined;
};

// ---------------------------------------------------------------- helpers

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const compactName = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]/g, "");
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

interface CardLike {
  stockId: number;
  make: string;
  model: string;
  year: number;
  version: string;
  price: number;
  km: number;
  transmission?: unknown;
  bluetooth?: unknown;
  carPlay?: unknown;
  bodyType?: unknown;
}

const asCard = (v: unknown): CardLike | undefined =>
  isRecord(v) && typeof v.stockId === "number" && typeof v.price === "number" ? (v as unknown as CardLike) : undefined;

/** A card shows the catalog's own figures for its stock id. */
const checkCard = (card: CardLike, where: string): string[] => {
  const car = catalogById().get(card.stockId);
  if (car === undefined) return [`${where}: stock id ${card.stockId} is not in the catalog`];
  const problems: string[] = [];
  for (const field of ["make", "model", "year", "version", "price", "km"] as const)
    if (card[field] !== car[field]) problems.push(`${where}: ${field} ${JSON.stringify(card[field])}, the catalog says ${JSON.stringify(car[field])}`);
  for (const field of ["transmission", "bluetooth", "carPlay", "bodyType"] as const)
    if (field in card && card[field] !== car[field]) problems.push(`${where}: ${field} ${JSON.stringify(card[field])}, the catalog says ${JSON.stringify(car[field])}`);
  return problems;
};

// ---------------------------------------------------------------- financing

type Problem = string;

export interface ExpectedFinancing {
  readonly errors: ReadonlyArray<string>;
  readonly price?: number;
  readonly downPayment?: number;
  readonly terms?: ReadonlyArray<number>;
}

/** What calculate_financing must answer for an input: the rejection codes that apply, or the figures. */
export const expectedFinancing = (input: Record<string, unknown>): ExpectedFinancing => {
  const errors: string[] = [];
  let price = num(input.price);
  if (input.stockId !== undefined) {
    const car = catalogById().get(Number(input.stockId));
    if (car === undefined) return { errors: ["car_not_found"] };
    price = car.price;
  }
  if (price === undefined) return { errors: ["missing_price"] };
  if (!Number.isSafeInteger(price) || price <= 0) errors.push("invalid_price");
  let downPayment: number | undefined = 0;
  if (input.downPayment !== undefined) downPayment = num(input.downPayment);
  else if (input.downPaymentPercent !== undefined) {
    const percent = num(input.downPaymentPercent);
    if (percent === undefined || percent < 0 || percent >= 100) errors.push("invalid_down_payment");
    else downPayment = downFromPercent(price, percent);
  }
  if (input.downPayment !== undefined && (downPayment === undefined || !Number.isSafeInteger(downPayment) || downPayment < 0)) errors.push("invalid_down_payment");
  if (downPayment !== undefined && Number.isFinite(downPayment) && downPayment >= price && errors.length === 0) errors.push("down_payment_too_high");
  const asked = Array.isArray(input.termMonths) && input.termMonths.length > 0 ? (input.termMonths as number[]) : RULES.terms;
  if (asked.some((term) => !RULES.terms.includes(term))) errors.push("invalid_term");
  const terms = [...new Set(asked)].sort((a, b) => a - b);
  return { errors, price, ...(downPayment === undefined ? {} : { downPayment }), terms };
};

const checkFinancing = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  const expected = expectedFinancing(input);
  if (output.ok === false) {
    const code = isRecord(output.error) ? String(output.error.code) : "?";
    if (code === "tool_unavailable") return [];
    if (expected.errors.length === 0) return [`rejected with ${code}, but the request is valid (price ${expected.price}, down payment ${expected.downPayment}, terms ${expected.terms?.join("/")})`];
    return expected.errors.includes(code) ? [] : [`rejected with ${code}, expected ${expected.errors.join(" or ")}`];
  }
  if (expected.errors.length > 0) return [`accepted, but the request breaks a rule: ${expected.errors.join(", ")}`];
  const problems: Problem[] = [];
  if (typeof output.quoteId !== "string" || output.quoteId === "") problems.push("no quoteId");
  if (output.price !== expected.price) problems.push(`price ${output.price}, expected ${expected.price}`);
  if (expected.downPayment !== undefined && output.downPayment !== expected.downPayment) problems.push(`downPayment ${output.downPayment}, expected ${expected.downPayment}`);
  const down = num(output.downPayment) ?? expected.downPayment ?? 0;
  const financed = (expected.price ?? 0) - down;
  if (output.financed !== financed) problems.push(`financed ${output.financed}, expected ${financed}`);
  if (output.annualRate !== `${RULES.annualRatePercent}%`) problems.push(`annualRate ${JSON.stringify(output.annualRate)}, expected "${RULES.annualRatePercent}%"`);
  if (input.stockId !== undefined) {
    const car = isRecord(output.car) ? output.car : undefined;
    const catalogCar = catalogById().get(Number(input.stockId))!;
    if (car === undefined || car.stockId !== catalogCar.stockId || car.make !== catalogCar.make || car.model !== catalogCar.model || car.year !== catalogCar.year)
      problems.push(`car ${JSON.stringify(car)} is not stock id ${catalogCar.stockId} (${catalogCar.make} ${catalogCar.model} ${catalogCar.year})`);
  }
  const plans = Array.isArray(output.plans) ? output.plans.filter(isRecord) : [];
  const terms = plans.map((p) => p.termMonths);
  if (JSON.stringify(terms) !== JSON.stringify(expected.terms)) problems.push(`plans for ${terms.join("/")} months, expected ${expected.terms?.join("/")}`);
  for (const plan of plans) {
    const months = Number(plan.termMonths);
    if (!RULES.terms.includes(months)) continue;
    const payment = paymentCents(financed, months);
    const want = { monthlyPayment: decimal(payment), totalPaid: decimal(payment * BigInt(months)), totalInterest: decimal(payment * BigInt(months) - BigInt(financed) * 100n) };
    for (const [key, value] of Object.entries(want))
      if (plan[key] !== value) problems.push(`${months} months: ${key} ${JSON.stringify(plan[key])}, expected "${value}"`);
  }
  return problems;
};

// ---------------------------------------------------------------- affordability

const checkAffordable = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  const budget = num(input.monthlyBudget);
  const down = input.downPayment === undefined ? 0 : num(input.downPayment);
  const asked = Array.isArray(input.termMonths) && input.termMonths.length > 0 ? (input.termMonths as number[]) : RULES.terms;
  const errors: string[] = [];
  if (budget === undefined || !Number.isSafeInteger(budget) || budget <= 0) errors.push("invalid_budget");
  if (down === undefined || !Number.isSafeInteger(down) || down < 0) errors.push("invalid_down_payment");
  if (asked.some((t) => !RULES.terms.includes(t))) errors.push("invalid_term");
  if (output.ok === false) {
    const code = isRecord(output.error) ? String(output.error.code) : "?";
    if (code === "tool_unavailable") return [];
    return errors.includes(code) ? [] : [`rejected with ${code}, expected ${errors.length === 0 ? "a result" : errors.join(" or ")}`];
  }
  if (errors.length > 0) return [`accepted, but the request breaks a rule: ${errors.join(", ")}`];
  const problems: Problem[] = [];
  const plans = Array.isArray(output.plans) ? output.plans.filter(isRecord) : [];
  const terms = [...new Set(asked)].sort((a, b) => a - b);
  if (JSON.stringify(plans.map((p) => p.termMonths)) !== JSON.stringify(terms)) problems.push(`plans for ${plans.map((p) => p.termMonths).join("/")} months, expected ${terms.join("/")}`);
  if (output.annualRate !== `${RULES.annualRatePercent}%`) problems.push(`annualRate ${JSON.stringify(output.annualRate)}`);
  for (const plan of plans) {
    const months = Number(plan.termMonths);
    const max = Number(plan.maxFinanced);
    if (!Number.isSafeInteger(max) || max < 0) {
      problems.push(`${months} months: maxFinanced ${plan.maxFinanced}`);
      continue;
    }
    const budgetCents = BigInt(budget!) * 100n;
    if (paymentCents(max, months) > budgetCents) problems.push(`${months} months: $${max} costs ${decimal(paymentCents(max, months))} a month, over the budget of ${budget}`);
    if (paymentCents(max + 1, months) <= budgetCents) problems.push(`${months} months: maxFinanced ${max} is not the largest amount the budget pays (${max + 1} also fits)`);
    if (plan.maxPrice !== max + (down ?? 0)) problems.push(`${months} months: maxPrice ${plan.maxPrice}, expected ${max + (down ?? 0)}`);
  }
  return problems;
};

// ---------------------------------------------------------------- search

const SORTS: Record<string, (a: CardLike, b: CardLike) => number> = {
  price_asc: (a, b) => a.price - b.price,
  price_desc: (a, b) => b.price - a.price,
  year_desc: (a, b) => b.year - a.year,
  year_asc: (a, b) => a.year - b.year,
  km_asc: (a, b) => a.km - b.km,
};

/** The needs as knowledge/catalog/search/SEMANTICS.md defines them, over the catalog's own car. */
const PREMIUM_MAKES = new Set(["audi", "bmw", "mercedes benz", "land rover", "lincoln", "infiniti", "volvo", "mini", "lexus", "acura", "porsche", "jaguar", "cadillac", "genesis", "alfa romeo", "maserati"]);
const NEEDS: Record<string, (car: Car) => boolean> = {
  familiar: (car) => car.bodyType === "suv" || car.bodyType === "minivan" || (car.seats ?? 0) >= 7,
  economico: (car) => {
    const litres = car.version.match(/^(\d+\.\d)\b/);
    return car.price <= 250_000 && (litres === null || Number(litres[1]) <= 2.0);
  },
  premium: (car) => PREMIUM_MAKES.has(car.make.toLowerCase()),
  ciudad: (car) => (car.lengthMm !== null ? car.lengthMm <= 4_400 && car.bodyType !== "pickup" && car.bodyType !== "minivan" : car.bodyType === "hatchback"),
  siete_pasajeros: (car) => (car.seats ?? 0) >= 7,
};

/** The structured filters a car must meet (ranges inclusive); undefined when it meets them all. */
const filterMiss = (input: Record<string, unknown>, car: CardLike): string | undefined => {
  const n = (key: string) => num(input[key]);
  if (n("minPrice") !== undefined && car.price < n("minPrice")!) return `price ${car.price} < minPrice ${n("minPrice")}`;
  if (n("maxPrice") !== undefined && car.price > n("maxPrice")!) return `price ${car.price} > maxPrice ${n("maxPrice")}`;
  if (n("minYear") !== undefined && car.year < n("minYear")!) return `year ${car.year} < minYear ${n("minYear")}`;
  if (n("maxYear") !== undefined && car.year > n("maxYear")!) return `year ${car.year} > maxYear ${n("maxYear")}`;
  if (n("maxKm") !== undefined && car.km > n("maxKm")!) return `km ${car.km} > maxKm ${n("maxKm")}`;
  if (typeof input.transmission === "string" && car.transmission !== input.transmission) return `transmission ${car.transmission}, asked ${input.transmission}`;
  if (input.bluetooth === true && car.bluetooth !== true) return `bluetooth ${car.bluetooth}, asked true`;
  if (input.carPlay === true && car.carPlay !== true) return `carPlay ${car.carPlay}, asked true`;
  if (input.bluetooth === false && car.bluetooth === true) return "bluetooth true, asked false";
  if (input.carPlay === false && car.carPlay === true) return "carPlay true, asked false";
  if (Array.isArray(input.bodyTypes) && input.bodyTypes.length > 0 && !input.bodyTypes.includes(car.bodyType)) return `body ${car.bodyType}, asked ${input.bodyTypes.join("/")}`;
  const full = catalogById().get(car.stockId);
  if (Array.isArray(input.needs) && full !== undefined)
    for (const need of input.needs) if (NEEDS[String(need)] !== undefined && !NEEDS[String(need)]!(full)) return `does not meet the need ${need}`;
  const makes = new Set([...catalogById().values()].map((c) => compactName(c.make)));
  if (typeof input.make === "string" && makes.has(compactName(input.make)) && compactName(car.make) !== compactName(input.make)) return `make ${car.make}, asked ${input.make}`;
  const models = new Set([...catalogById().values()].map((c) => compactName(c.model)));
  if (typeof input.model === "string" && models.has(compactName(input.model)) && compactName(car.model) !== compactName(input.model)) return `model ${car.model}, asked ${input.model}`;
  return undefined;
};

/** Inputs whose matches the oracle can count exactly: no text, needs, or name it cannot resolve. */
const countable = (input: Record<string, unknown>): boolean => {
  if (typeof input.query === "string" && input.query.trim() !== "") return false;
  if (Array.isArray(input.needs) && input.needs.some((need) => NEEDS[String(need)] === undefined)) return false;
  const cars = [...catalogById().values()];
  if (typeof input.make === "string" && !cars.some((c) => compactName(c.make) === compactName(input.make as string))) return false;
  if (typeof input.model === "string" && !cars.some((c) => compactName(c.model) === compactName(input.model as string))) return false;
  return true;
};

export const expectedSearchTotal = (input: Record<string, unknown>): number | undefined =>
  countable(input) ? [...catalogById().values()].filter((car) => filterMiss(input, car) === undefined).length : undefined;

const checkSearch = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  if (output.ok === false) return [];
  const problems: Problem[] = [];
  const cars = Array.isArray(output.cars) ? output.cars.map(asCard) : [];
  const nearest = Array.isArray(output.nearest) ? output.nearest.map(asCard) : [];
  if (cars.some((c) => c === undefined) || nearest.some((c) => c === undefined)) return ["a car card without stockId/price"];
  const total = num(output.total);
  if (total === undefined) return ["no total"];
  const limit = num(input.limit) ?? RULES.defaultSearchLimit;
  if (cars.length > limit) problems.push(`${cars.length} cars for a limit of ${limit}`);
  if (total < cars.length + (num(input.offset) ?? 0) && cars.length > 0) problems.push(`total ${total} < cars shown`);
  if (output.offset !== (num(input.offset) ?? 0)) problems.push(`offset ${output.offset}, asked ${num(input.offset) ?? 0}`);
  if (total === 0 && cars.length > 0) problems.push("total 0 with cars shown");
  if (total > 0 && nearest.length > 0) problems.push("nearest options while there are matches");
  for (const [i, car] of cars.entries()) {
    problems.push(...checkCard(car!, `car ${i + 1}`));
    const miss = filterMiss(input, car!);
    if (miss !== undefined) problems.push(`car ${i + 1} (${car!.make} ${car!.model} ${car!.year}, stock ${car!.stockId}) misses a filter: ${miss}`);
  }
  for (const [i, car] of nearest.entries()) problems.push(...checkCard(car!, `nearest ${i + 1}`));
  const order = typeof input.sort === "string" ? SORTS[input.sort] : undefined;
  if (order !== undefined)
    for (let i = 1; i < cars.length; i++) if (order(cars[i - 1]!, cars[i]!) > 0) problems.push(`not sorted by ${input.sort}: car ${i} before car ${i + 1}`);
  // Facets (SEMANTICS.md §4): over the whole catalog without text, or when the text matches nothing.
  const onlyText = Object.keys(input).every((key) => ["query", "limit", "offset", "sort"].includes(key));
  if (typeof input.query !== "string" || (onlyText && total === 0 && nearest.length === 0)) {
    const all = [...catalogById().values()];
    const want = { min: Math.min(...all.map((c) => c.price)), max: Math.max(...all.map((c) => c.price)) };
    const facets = isRecord(output.facets) ? output.facets : {};
    const price = isRecord(facets.price) ? facets.price : undefined;
    if (price?.min !== want.min || price?.max !== want.max) problems.push(`facets.price ${JSON.stringify(facets.price)}, the whole catalog's is ${JSON.stringify(want)}`);
    const makes = Array.isArray(facets.makes) ? facets.makes.filter(isRecord) : [];
    const count = makes.reduce((sum, m) => sum + Number(m.count ?? 0), 0);
    if (count !== all.length) problems.push(`facets.makes count ${count} cars, the catalog has ${all.length}`);
  }
  const expected = expectedSearchTotal(input);
  if (expected !== undefined && total !== expected) problems.push(`total ${total}, but ${expected} catalog cars meet ${JSON.stringify(input)}`);
  return problems;
};

// ---------------------------------------------------------------- details, knowledge

const checkDetails = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  if (output.ok === false) return [];
  const inCatalog = catalogById().has(Number(input.stockId));
  if (output.found === false) return inCatalog ? [`says stock id ${input.stockId} is not found, but the catalog has it`] : [];
  if (output.found !== true) return ["neither found nor not found"];
  if (!inCatalog) return [`found stock id ${input.stockId}, which the catalog does not have`];
  const card = asCard(output.car);
  if (card === undefined) return ["found without a car"];
  return [...(card.stockId !== input.stockId ? [`asked stock id ${input.stockId}, got ${card.stockId}`] : []), ...checkCard(card, "car")];
};

const checkKnowledge = (_input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  if (output.ok === false) return [];
  const results = Array.isArray(output.results) ? output.results.filter(isRecord) : undefined;
  if (results === undefined) return ["no results list"];
  const problems: Problem[] = [];
  if (results.length > RULES.knowledgeLimit) problems.push(`${results.length} passages, at most ${RULES.knowledgeLimit}`);
  for (const [i, r] of results.entries()) {
    const text = String(r.text ?? "");
    const problem = knowledgeProblem(text);
    if (problem !== undefined) problems.push(`passage ${i + 1} is not from the knowledge base: ${problem}: "${text.slice(0, 80)}"`);
    if (typeof r.score !== "number" || r.score <= 0 || r.score > 1) problems.push(`passage ${i + 1} score ${r.score}`);
    // The first passage answers the whole question best; the second may answer another part of it
    // (knowledge/knowledge-base/rerank.ts chooseAnswer) and is scored on that part, so it may score higher.
    if (i > 1 && Number(r.score) > Number(results[i - 1]!.score)) problems.push(`passage ${i + 1} scores above passage ${i}`);
  }
  return problems;
};

// ---------------------------------------------------------------- check_fines

/** The embedded registry's sample dataset, read here on its own: plate (no separators, upper case) → unpaid fines in cents. */
const SAMPLE_FINES = new URL("../knowledge/fines/sample-fines.csv", import.meta.url).pathname;
let sampleFines: Map<string, Array<{ folio: string; cents: bigint }>> | undefined;
const unpaidSampleFines = () => {
  if (sampleFines !== undefined) return sampleFines;
  sampleFines = new Map();
  const lines = readFileSync(SAMPLE_FINES, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).slice(1);
  for (const line of lines) {
    const [folio, plate, , , , amount, status] = line.split(",").map((f) => f.trim());
    if (status !== "unpaid") continue;
    const [pesos, cents = ""] = amount!.split(".");
    const key = plate!.replace(/[-\s]/g, "").toUpperCase();
    sampleFines.set(key, [...(sampleFines.get(key) ?? []), { folio: folio!, cents: BigInt(pesos!) * 100n + BigInt(cents.padEnd(2, "0")) }]);
  }
  return sampleFines;
};

/** check_fines: a settled answer lists exactly the plate's unpaid sample fines, each amount and the total to the cent. */
const checkFines = (input: Record<string, unknown>, output: Record<string, unknown>): Problem[] => {
  if (output.ok === false || output.status !== "done") return [];
  // A photo: the plate is the one read from it (the golden conversation checks which); its fines are still checked below.
  const typed = input.plate !== undefined && String(input.plate).trim() !== "";
  const plate = typed ? String(input.plate).replace(/[-\s.]/g, "").toUpperCase() : String(output.plate ?? "").replace(/-/g, "");
  if (String(output.plate ?? "").replace(/-/g, "") !== plate) return [`answers plate ${String(output.plate)} for ${String(input.plate)}`];
  if (output.source !== "sample") return [];
  const expected = unpaidSampleFines().get(plate) ?? [];
  const fines = Array.isArray(output.fines) ? output.fines.filter(isRecord) : [];
  const problems: Problem[] = [];
  const got = fines.map((f) => String(f.folio)).sort();
  const want = expected.map((f) => f.folio).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`fines ${got.join(",") || "none"}, the sample has ${want.join(",") || "none"}`);
  for (const fine of fines) {
    const e = expected.find((x) => x.folio === fine.folio);
    if (e !== undefined && fine.amount !== decimal(e.cents)) problems.push(`fine ${String(fine.folio)}: ${String(fine.amount)}, the sample says ${decimal(e.cents)}`);
  }
  const total = decimal(expected.reduce((sum, f) => sum + f.cents, 0n));
  if (output.total !== total) problems.push(`total ${String(output.total)}, the sample's unpaid fines add up to ${total}`);
  if (output.count !== expected.length) problems.push(`count ${String(output.count)}, expected ${expected.length}`);
  return problems;
};

// ---------------------------------------------------------------- all tools

const ORACLES: Record<string, (input: Record<string, unknown>, output: Record<string, unknown>) => Problem[]> = {
  calculate_financing: checkFinancing,
  calculate_affordable_price: checkAffordable,
  search_cars: checkSearch,
  get_car_details: checkDetails,
  search_knowledge: checkKnowledge,
  check_fines: checkFines,
  ...CLOSING_ORACLES,
};

/** Tools with an oracle (a vitest checks every tool of the registry has one). */
export const ORACLE_TOOLS = Object.keys(ORACLES);

/** Everything wrong with one tool result, per the domain rules and the catalog. */
export const checkToolResult = (name: string, input: unknown, output: unknown): Problem[] => {
  const oracle = ORACLES[name];
  if (oracle === undefined) return [`no oracle for tool ${name}`];
  if (!isRecord(output)) return [`output is not an object: ${JSON.stringify(output)?.slice(0, 80)}`];
  return oracle(isRecord(input) ? input : {}, output);
};
