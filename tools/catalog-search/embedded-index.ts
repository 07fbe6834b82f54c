/**
 * The embedded engine: a MiniSearch index of the catalog in this process, plus the ranking,
 * filters, sort and facets of SEMANTICS.md. Plain synchronous code; the service wraps it.
 *
 * MiniSearch finds the candidates (every term within the typo rule, adjacent swaps included);
 * ranking is then computed here the way Meilisearch's rules order results (fewer typos, better
 * field, whole word over prefix), ties broken by the default order (newest, cheapest, stock id).
 */
import MiniSearch, { type Query, type SearchResult } from "minisearch";
import type { Car } from "../../knowledge/catalog/car.ts";
import { carOfDoc, FIELD_RANK, SEARCHABLE_FIELDS, type SearchableField, type SearchDoc, toSearchDoc } from "./documents.ts";
import type { EngineResultWithFacets, SearchPlan } from "./plan.ts";
import { matchesFilters } from "./plan.ts";
import type { CarSearchFacets, SortOrder } from "./query.ts";
import { adjacentSwaps, allowedEdits, compact, editDistance, tokenize } from "./text.ts";

/** Prefix search applies to the last word from this length on ("toyo" finds "toyota"). */
export const MIN_PREFIX_LENGTH = 3;

interface Order {
  readonly docs: ReadonlyArray<SearchDoc>;
  /** Dense rank of the sort value (equal values share a rank), by stock id. */
  readonly valueRank: Map<number, number>;
}

const ORDER_COMPARATORS: Record<SortOrder, (a: SearchDoc, b: SearchDoc) => number> = {
  relevance: (a, b) => b.year - a.year || a.price - b.price || a.id - b.id,
  price_asc: (a, b) => a.price - b.price,
  price_desc: (a, b) => b.price - a.price,
  year_desc: (a, b) => b.year - a.year,
  year_asc: (a, b) => a.year - b.year,
  km_asc: (a, b) => a.km - b.km,
};

const emptyFacets: CarSearchFacets = { makes: [], price: null, year: null };

const newMiniSearch = () =>
  new MiniSearch<SearchDoc>({
    idField: "id",
    fields: [...SEARCHABLE_FIELDS],
    storeFields: [],
    extractField: (doc, field) => {
      const value = doc[field as keyof SearchDoc];
      return Array.isArray(value) ? value.join(" ") : value;
    },
    tokenize: (text) => tokenize(text),
    processTerm: (term) => term,
  });

export class EmbeddedIndex {
  private mini = newMiniSearch();
  private readonly docs = new Map<number, SearchDoc>();
  /** Names known without spaces (compact forms, aliases, make/model keys) → how many cars have them. */
  private readonly compacts = new Map<string, number>();
  private orders = new Map<SortOrder, Order>();
  private catalogFacets: CarSearchFacets | undefined;

  constructor(cars: ReadonlyArray<Car> = []) {
    this.replaceAll(cars);
  }

  get size(): number {
    return this.docs.size;
  }

  isKnownCompact = (word: string): boolean => this.compacts.has(word);

  replaceAll(cars: ReadonlyArray<Car>): void {
    const docs = cars.map(toSearchDoc);
    const mini = newMiniSearch();
    mini.addAll(docs);
    this.mini = mini;
    this.docs.clear();
    this.compacts.clear();
    for (const doc of docs) {
      this.docs.set(doc.id, doc);
      this.countCompacts(doc, 1);
    }
    this.invalidate();
  }

  upsert(cars: ReadonlyArray<Car>): void {
    for (const car of cars) {
      const doc = toSearchDoc(car);
      const previous = this.docs.get(doc.id);
      if (previous) {
        this.countCompacts(previous, -1);
        this.mini.replace(doc);
      } else this.mini.add(doc);
      this.docs.set(doc.id, doc);
      this.countCompacts(doc, 1);
    }
    this.invalidate();
  }

  remove(stockIds: ReadonlyArray<number>): void {
    for (const id of stockIds) {
      const previous = this.docs.get(id);
      if (!previous) continue;
      this.mini.discard(id);
      this.docs.delete(id);
      this.countCompacts(previous, -1);
    }
    this.invalidate();
  }

  search(plan: SearchPlan, withFacets: boolean): EngineResultWithFacets {
    const accepts = matchesFilters(plan.filters);
    if (plan.terms.length === 0) return this.browse(plan, accepts, withFacets);

    const hits = this.textHits(plan.terms);
    const facets = withFacets ? (hits.length > 0 ? facetsOf(hits.map((hit) => this.docs.get(hit.id)!)) : this.wholeCatalogFacets()) : emptyFacets;
    const scorer = relevanceScorer(plan.terms);
    const order = this.order(plan.sort);
    const rank = this.order("relevance").valueRank;
    const size = this.docs.size + 1;
    const keyed: Array<{ doc: SearchDoc; key: number }> = [];
    for (const hit of hits) {
      const doc = this.docs.get(hit.id);
      if (!doc || !accepts(doc)) continue;
      const relevance = scorer(hit);
      const primary = plan.sort === "relevance" ? 0 : order.valueRank.get(doc.id)!;
      keyed.push({ doc, key: (primary * RELEVANCE_KEYS + relevance) * size + rank.get(doc.id)! });
    }
    keyed.sort((a, b) => a.key - b.key);
    const page = keyed.slice(plan.offset, plan.offset + plan.limit).map((entry) => carOfDoc(entry.doc));
    return { cars: page, total: keyed.length, facets };
  }

  /** No text: walk the docs in the requested order. */
  private browse(plan: SearchPlan, accepts: (doc: SearchDoc) => boolean, withFacets: boolean): EngineResultWithFacets {
    const cars: Car[] = [];
    let total = 0;
    const end = plan.offset + plan.limit;
    for (const doc of this.order(plan.sort).docs) {
      if (!accepts(doc)) continue;
      if (total >= plan.offset && total < end) cars.push(carOfDoc(doc));
      total++;
    }
    return { cars, total, facets: withFacets ? this.wholeCatalogFacets() : emptyFacets };
  }

  private textHits(terms: ReadonlyArray<string>): SearchResult[] {
    const query: Query = {
      combineWith: "AND",
      queries: terms.map((term, i) => termQuery(term, i === terms.length - 1)),
    };
    return this.mini.search(query);
  }

  private order(sort: SortOrder): Order {
    let order = this.orders.get(sort);
    if (!order) {
      const compare = ORDER_COMPARATORS[sort];
      const tieBreak = ORDER_COMPARATORS.relevance;
      const docs = [...this.docs.values()].sort((a, b) => compare(a, b) || tieBreak(a, b));
      const valueRank = new Map<number, number>();
      let rank = 0;
      docs.forEach((doc, i) => {
        if (i > 0 && (sort === "relevance" || compare(docs[i - 1]!, doc) !== 0)) rank++;
        valueRank.set(doc.id, rank);
      });
      order = { docs, valueRank };
      this.orders.set(sort, order);
    }
    return order;
  }

  private wholeCatalogFacets(): CarSearchFacets {
    this.catalogFacets ??= facetsOf(this.docs.values());
    return this.catalogFacets;
  }

  private countCompacts(doc: SearchDoc, delta: 1 | -1): void {
    const words = new Set([...doc.compact, ...doc.aliases.map(compact), doc.makeKey, doc.modelKey]);
    for (const word of words) {
      const count = (this.compacts.get(word) ?? 0) + delta;
      if (count > 0) this.compacts.set(word, count);
      else this.compacts.delete(word);
    }
  }

  private invalidate(): void {
    this.orders = new Map();
    this.catalogFacets = undefined;
  }
}

/** One word of the query: itself within its typo budget, or with two neighbours swapped. */
const termQuery = (term: string, isLast: boolean): Query => {
  const edits = allowedEdits(term);
  const prefix = isLast && term.length >= MIN_PREFIX_LENGTH;
  const queries: Query[] = [{ queries: [term], fuzzy: edits > 0 ? edits : false, prefix }];
  if (edits > 0) {
    const swaps = adjacentSwaps(term);
    if (swaps.length > 0) queries.push({ queries: swaps, combineWith: "OR", fuzzy: edits > 1 ? edits - 1 : false, prefix: false });
  }
  return { combineWith: "OR", queries };
};

/** Relevance keys fit below this number: typos (≤ 20) × 441 + field ranks (≤ 20) × 21 + prefix-only words (≤ 20). */
const RELEVANCE_KEYS = 21 * 21 * 21;

/**
 * Relevance of a hit, smaller is better: total typos, then the fields matched (model before
 * make before version), then words matched only as a prefix.
 */
const relevanceScorer = (terms: ReadonlyArray<string>) => {
  const distances = new Map<string, number>();
  const lastIndex = terms.length - 1;
  const distance = (term: string, docTerm: string, isLast: boolean): { typos: number; prefix: boolean } | undefined => {
    if (term === docTerm) return { typos: 0, prefix: false };
    if (isLast && term.length >= MIN_PREFIX_LENGTH && docTerm.startsWith(term)) return { typos: 0, prefix: true };
    const budget = allowedEdits(term);
    if (budget === 0) return undefined;
    const cacheKey = `${term}\u0000${docTerm}`;
    let d = distances.get(cacheKey);
    if (d === undefined) {
      d = editDistance(term, docTerm, budget);
      distances.set(cacheKey, d);
    }
    return d <= budget ? { typos: d, prefix: false } : undefined;
  };
  return (hit: SearchResult): number => {
    let typos = 0;
    let fields = 0;
    let prefixes = 0;
    terms.forEach((term, i) => {
      let best: { typos: number; field: number; prefix: boolean } | undefined;
      for (const docTerm of hit.terms) {
        const d = distance(term, docTerm, i === lastIndex);
        if (!d) continue;
        const field = Math.min(...(hit.match[docTerm] ?? []).map((f) => FIELD_RANK[f as SearchableField] ?? 2));
        if (!best || d.typos < best.typos || (d.typos === best.typos && (field < best.field || (field === best.field && !d.prefix && best.prefix))))
          best = { typos: d.typos, field, prefix: d.prefix };
      }
      // A hit always has a match for every term (AND); the fallback only guards odd tokenisation.
      typos += best?.typos ?? 2;
      fields += best?.field ?? 2;
      prefixes += best?.prefix ? 1 : 0;
    });
    return Math.min(typos, 20) * 441 + Math.min(fields, 20) * 21 + Math.min(prefixes, 20);
  };
};

export const facetsOf = (docs: Iterable<SearchDoc>): CarSearchFacets => {
  const makes = new Map<string, number>();
  let minPrice = Infinity;
  let maxPrice = -Infinity;
  let minYear = Infinity;
  let maxYear = -Infinity;
  for (const doc of docs) {
    makes.set(doc.make, (makes.get(doc.make) ?? 0) + 1);
    if (doc.price < minPrice) minPrice = doc.price;
    if (doc.price > maxPrice) maxPrice = doc.price;
    if (doc.year < minYear) minYear = doc.year;
    if (doc.year > maxYear) maxYear = doc.year;
  }
  if (makes.size === 0) return emptyFacets;
  return {
    makes: sortMakeCounts([...makes].map(([make, count]) => ({ make, count }))),
    price: { min: minPrice, max: maxPrice },
    year: { min: minYear, max: maxYear },
  };
};

/** Most cars first, then by name: the order both engines report makes in. */
export const sortMakeCounts = (makes: Array<{ make: string; count: number }>) =>
  makes.sort((a, b) => b.count - a.count || a.make.localeCompare(b.make, "es"));
