/**
 * The embedded engine: a MiniSearch index in this process, plus the ranking, filters, sort and
 * facets of SEMANTICS.md. Plain synchronous code; the service wraps it.
 *
 * MiniSearch indexes each distinct searchable text (make + model + version) once, as a "text
 * group" holding the cars that share it: a catalog repeats the same versions many times, so
 * text search costs what the vocabulary costs, not what the number of cars costs. MiniSearch
 * finds the groups (every term within the typo rule, adjacent swaps included); ranking is then
 * computed here the way Meilisearch's rules order results (fewer typos, better field, whole
 * word over prefix), ties broken by the default order (newest, cheapest, stock id).
 */
import MiniSearch, { type Query, type SearchResult } from "minisearch";
import type { Car } from "../car.ts";
import { carOfDoc, FIELD_RANK, SEARCHABLE_FIELDS, type SearchableField, type SearchDoc, toSearchDoc } from "./documents.ts";
import type { EngineResultWithFacets, SearchPlan } from "./plan.ts";
import { FilterColumns } from "./filter-columns.ts";
import type { CarSearchFacets, SortOrder } from "./query.ts";
import { editDistance } from "../../../lib/edit-distance.ts";
import { adjacentSwaps, allowedEdits, compact, tokenize } from "./text.ts";

/** Prefix search applies to the last word from this length on ("toyo" finds "toyota"). */
export const MIN_PREFIX_LENGTH = 3;

/** The searchable text shared by cars of the same make, model and version. */
interface TextGroup {
  readonly id: number;
  readonly doc: Pick<SearchDoc, "make" | "model" | "version" | "aliases" | "compact">;
  readonly members: Set<Entry>;
  /** Derived from members, rebuilt on the first search after they change. */
  cache: { readonly slots: Int32Array; readonly stats: GroupStats } | undefined;
}

interface GroupStats {
  readonly count: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly minYear: number;
  readonly maxYear: number;
}

const cacheOf = (group: TextGroup) => {
  if (!group.cache) {
    const slots = new Int32Array(group.members.size);
    let i = 0;
    let minPrice = Infinity;
    let maxPrice = -Infinity;
    let minYear = Infinity;
    let maxYear = -Infinity;
    for (const entry of group.members) {
      slots[i++] = entry.slot;
      const { price, year } = entry.doc;
      if (price < minPrice) minPrice = price;
      if (price > maxPrice) maxPrice = price;
      if (year < minYear) minYear = year;
      if (year > maxYear) maxYear = year;
    }
    group.cache = { slots, stats: { count: slots.length, minPrice, maxPrice, minYear, maxYear } };
  }
  return group.cache;
};

interface Entry {
  readonly doc: SearchDoc;
  /** Dense slot of this car in rank arrays. */
  readonly slot: number;
  readonly group: TextGroup;
}

interface Order {
  /** Slots of the cars in this order. */
  readonly slots: Int32Array;
  /** Dense rank of the sort value by slot (equal values share a rank). */
  readonly valueRank: Int32Array;
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
  new MiniSearch<TextGroup>({
    idField: "id",
    fields: [...SEARCHABLE_FIELDS],
    storeFields: [],
    extractField: (group, field) => {
      if (field === "id") return group.id;
      const value = group.doc[field as SearchableField];
      return Array.isArray(value) ? value.join(" ") : (value as string);
    },
    tokenize: (text) => tokenize(text),
    processTerm: (term) => term,
  });

const groupKey = (doc: SearchDoc) => `${doc.make}\u0000${doc.model}\u0000${doc.version}`;

export class EmbeddedIndex {
  private mini = newMiniSearch();
  private readonly entries = new Map<number, Entry>();
  private readonly groups = new Map<string, TextGroup>();
  private readonly groupsById = new Map<number, TextGroup>();
  private readonly byMake = new Map<string, Set<Entry>>();
  private readonly columns = new FilterColumns();
  private readonly entryBySlot: Array<Entry | undefined> = [];
  /** Names known without spaces (compact forms, aliases, make/model keys) → how many groups have them. */
  private readonly compacts = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private nextGroupId = 0;
  private orders = new Map<SortOrder, Order>();
  private catalogFacets: CarSearchFacets | undefined;

  constructor(cars: ReadonlyArray<Car> = []) {
    this.replaceAll(cars);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Distinct searchable texts indexed in MiniSearch. */
  get textGroups(): number {
    return this.groups.size;
  }

  isKnownCompact = (word: string): boolean => this.compacts.has(word);

  replaceAll(cars: ReadonlyArray<Car>): void {
    this.mini = newMiniSearch();
    this.entries.clear();
    this.groups.clear();
    this.byMake.clear();
    this.compacts.clear();
    this.freeSlots.length = 0;
    this.entryBySlot.length = 0;
    this.nextSlot = 0;
    this.upsert(cars);
  }

  upsert(cars: ReadonlyArray<Car>): void {
    const fresh: TextGroup[] = [];
    for (const car of cars) {
      const doc = toSearchDoc(car);
      const previous = this.entries.get(doc.id);
      if (previous) this.detach(previous);
      this.attach(doc, fresh);
    }
    // A group created and emptied within this batch never reaches MiniSearch.
    this.mini.addAll(fresh.filter((group) => this.groupsById.has(group.id)));
    this.invalidate();
  }

  remove(stockIds: ReadonlyArray<number>): void {
    for (const id of stockIds) {
      const entry = this.entries.get(id);
      if (entry) this.detach(entry);
    }
    this.invalidate();
  }

  search(plan: SearchPlan, withFacets: boolean): EngineResultWithFacets {
    const accepts = Object.keys(plan.filters).length > 0 ? this.columns.compile(plan.filters) : undefined;
    if (plan.terms.length === 0) {
      const facets = withFacets ? this.wholeCatalogFacets() : emptyFacets;
      const makeEntries = plan.filters.makeKey !== undefined ? this.byMake.get(plan.filters.makeKey) ?? new Set<Entry>() : undefined;
      // A make filter narrows the cars to rank; otherwise walk the whole catalog in order.
      if (makeEntries) return { ...this.rank(plan, [{ slots: Int32Array.from(makeEntries, (e) => e.slot), relevance: 0 }], accepts), facets };
      return { ...this.browse(plan, accepts), facets };
    }
    const scorer = relevanceScorer(plan.terms);
    const groups: TextGroup[] = [];
    const matched: Array<{ slots: Int32Array; relevance: number }> = [];
    for (const hit of this.textHits(plan.terms)) {
      const group = this.groupsById.get(hit.id);
      if (!group) continue;
      groups.push(group);
      matched.push({ slots: cacheOf(group).slots, relevance: scorer(hit) });
    }
    const facets = withFacets ? (groups.length > 0 ? facetsOfGroups(groups) : this.wholeCatalogFacets()) : emptyFacets;
    return { ...this.rank(plan, matched, accepts), facets };
  }

  /** Cars of the given groups that pass the filters, in the plan's order, one page of them. */
  private rank(plan: SearchPlan, matched: ReadonlyArray<{ slots: Int32Array; relevance: number }>, accepts: ((slot: number) => boolean) | undefined) {
    const defaultRank = this.order("relevance").valueRank;
    const defaultSlots = this.order("relevance").slots;
    const sortRank = plan.sort === "relevance" ? undefined : this.order(plan.sort).valueRank;
    const n = defaultSlots.length + 1;
    let capacity = 0;
    for (const { slots } of matched) capacity += slots.length;
    if (this.keys.length < capacity) this.keys = new Float64Array(Math.max(capacity, this.keys.length * 2));
    const keys = this.keys;
    let count = 0;
    for (const { slots, relevance } of matched) {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (accepts && !accepts(slot)) continue;
        const primary = sortRank ? sortRank[slot]! : 0;
        keys[count++] = (primary * RELEVANCE_KEYS + relevance) * n + defaultRank[slot]!;
      }
    }
    const page = topKeys(keys.subarray(0, count), plan.offset + plan.limit).slice(plan.offset);
    return { cars: page.map((key) => carOfDoc(this.entryBySlot[defaultSlots[key % n]!]!.doc)), total: count };
  }

  /** Reused buffer of ranking keys (one search at a time: the engine is synchronous). */
  private keys = new Float64Array(1024);

  /** No text: walk the cars in the requested order. */
  private browse(plan: SearchPlan, accepts: ((slot: number) => boolean) | undefined) {
    const cars: Car[] = [];
    let total = 0;
    const end = plan.offset + plan.limit;
    const slots = this.order(plan.sort).slots;
    if (!accepts) {
      for (let i = plan.offset; i < Math.min(end, slots.length); i++) cars.push(carOfDoc(this.entryBySlot[slots[i]!]!.doc));
      return { cars, total: slots.length };
    }
    for (const slot of slots) {
      if (!accepts(slot)) continue;
      if (total >= plan.offset && total < end) cars.push(carOfDoc(this.entryBySlot[slot]!.doc));
      total++;
    }
    return { cars, total };
  }

  private textHits(terms: ReadonlyArray<string>): SearchResult[] {
    return this.mini.search({ combineWith: "AND", queries: terms.map((term, i) => termQuery(term, i === terms.length - 1)) });
  }

  private attach(doc: SearchDoc, fresh: TextGroup[]): void {
    const key = groupKey(doc);
    let group = this.groups.get(key);
    if (!group) {
      group = {
        id: this.nextGroupId++,
        doc: { make: doc.make, model: doc.model, version: doc.version, aliases: doc.aliases, compact: doc.compact },
        members: new Set(),
        cache: undefined,
      };
      this.groups.set(key, group);
      this.groupsById.set(group.id, group);
      fresh.push(group);
      this.countCompacts(doc, 1);
    }
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    const entry: Entry = { doc, slot, group };
    this.entryBySlot[slot] = entry;
    this.columns.set(slot, doc);
    group.members.add(entry);
    group.cache = undefined;
    this.entries.set(doc.id, entry);
    let makeSet = this.byMake.get(doc.makeKey);
    if (!makeSet) this.byMake.set(doc.makeKey, (makeSet = new Set()));
    makeSet.add(entry);
  }

  private detach(entry: Entry): void {
    this.entries.delete(entry.doc.id);
    this.freeSlots.push(entry.slot);
    this.entryBySlot[entry.slot] = undefined;
    this.byMake.get(entry.doc.makeKey)?.delete(entry);
    const group = entry.group;
    group.members.delete(entry);
    group.cache = undefined;
    if (group.members.size === 0) {
      this.groups.delete(groupKey(entry.doc));
      this.groupsById.delete(group.id);
      if (this.mini.has(group.id)) this.mini.discard(group.id);
      this.countCompacts(entry.doc, -1);
    }
  }

  private order(sort: SortOrder): Order {
    let order = this.orders.get(sort);
    if (!order) {
      const compare = ORDER_COMPARATORS[sort];
      const tieBreak = ORDER_COMPARATORS.relevance;
      const entries = [...this.entries.values()].sort((a, b) => compare(a.doc, b.doc) || tieBreak(a.doc, b.doc));
      const valueRank = new Int32Array(this.nextSlot);
      let rank = 0;
      entries.forEach((entry, i) => {
        if (i > 0 && (sort === "relevance" || compare(entries[i - 1]!.doc, entry.doc) !== 0)) rank++;
        valueRank[entry.slot] = rank;
      });
      order = { slots: Int32Array.from(entries, (entry) => entry.slot), valueRank };
      this.orders.set(sort, order);
    }
    return order;
  }

  private wholeCatalogFacets(): CarSearchFacets {
    this.catalogFacets ??= facetsOf(docsOf([this.entries.values()]));
    return this.catalogFacets;
  }

  private countCompacts(doc: SearchDoc, delta: 1 | -1): void {
    for (const word of compactWordsOf(doc)) {
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

function* docsOf(groups: Iterable<Iterable<Entry>>): Iterable<SearchDoc> {
  for (const entries of groups) for (const entry of entries) yield entry.doc;
}

const facetsOfGroups = (groups: ReadonlyArray<TextGroup>): CarSearchFacets => {
  const makes = new Map<string, number>();
  let minPrice = Infinity;
  let maxPrice = -Infinity;
  let minYear = Infinity;
  let maxYear = -Infinity;
  for (const group of groups) {
    const stats = cacheOf(group).stats;
    if (stats.count === 0) continue;
    makes.set(group.doc.make, (makes.get(group.doc.make) ?? 0) + stats.count);
    minPrice = Math.min(minPrice, stats.minPrice);
    maxPrice = Math.max(maxPrice, stats.maxPrice);
    minYear = Math.min(minYear, stats.minYear);
    maxYear = Math.max(maxYear, stats.maxYear);
  }
  if (makes.size === 0) return emptyFacets;
  return {
    makes: sortMakeCounts([...makes].map(([make, count]) => ({ make, count }))),
    price: { min: minPrice, max: maxPrice },
    year: { min: minYear, max: maxYear },
  };
};

/** The smallest `k` keys in ascending order (a bounded insertion when k is small). */
const topKeys = (keys: Float64Array, k: number): number[] => {
  if (k <= 0) return [];
  if (k > 256 || keys.length <= k * 4) return Array.from(Float64Array.from(keys).sort().subarray(0, k));
  const top: number[] = [];
  for (const key of keys) {
    if (top.length === k && key >= top[k - 1]!) continue;
    let i = top.length < k ? top.length : k - 1;
    while (i > 0 && top[i - 1]! > key) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = key;
  }
  return top;
};

/** The words a doc makes known without spaces; cached per doc's name fields (shared by model). */
const compactWordsCache = new WeakMap<ReadonlyArray<string>, ReadonlyArray<string>>();
const compactWordsOf = (doc: SearchDoc): ReadonlyArray<string> => {
  let words = compactWordsCache.get(doc.compact);
  if (!words) {
    words = [...new Set([...doc.compact, ...doc.aliases.map(compact), doc.makeKey, doc.modelKey])];
    compactWordsCache.set(doc.compact, words);
  }
  return words;
};

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
  const lastIndex = terms.length - 1;
  const distance = (term: string, docTerm: string, isLast: boolean): { typos: number; prefix: boolean } | undefined => {
    if (term === docTerm) return { typos: 0, prefix: false };
    if (isLast && term.length >= MIN_PREFIX_LENGTH && docTerm.startsWith(term)) return { typos: 0, prefix: true };
    const budget = allowedEdits(term);
    if (budget === 0) return undefined;
    const d = editDistance(term, docTerm, budget);
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

const collator = new Intl.Collator("es");

/** Most cars first, then by name: the order both engines report makes in. */
export const sortMakeCounts = (makes: Array<{ make: string; count: number }>) => makes.sort((a, b) => b.count - a.count || collator.compare(a.make, b.make));
