/**
 * The embedded engine's filters over typed-array columns (one slot per car): scanning 100,000
 * cars costs well under a millisecond. Same meaning as `matchesFilters` in plan.ts, which stays
 * the reference (filter-columns.test.ts checks they agree).
 */
import type { BodyType } from "../car.ts";
import type { SearchDoc } from "./documents.ts";
import type { PlanFilters } from "./plan.ts";
import type { Need } from "./query.ts";

const BODY_BITS: Record<BodyType, number> = { sedan: 1, hatchback: 2, suv: 4, pickup: 8, minivan: 16, coupe: 32 };
const NEED_BITS: Record<Need, number> = { familiar: 4, economico: 8, premium: 16, ciudad: 32, siete_pasajeros: 64 };
const BLUETOOTH = 1;
const CAR_PLAY = 2;
const TRANSMISSION = { automatica: 1, manual: 2 } as const;

export class FilterColumns {
  private capacity = 0;
  private price = new Int32Array(0);
  private km = new Int32Array(0);
  private year = new Int16Array(0);
  /** bluetooth, CarPlay (confirmed true) and needs as bits. */
  private flags = new Uint8Array(0);
  private body = new Uint8Array(0);
  private transmission = new Uint8Array(0);
  private make = new Int32Array(0);
  private model = new Int32Array(0);
  private readonly keyIds = new Map<string, number>();

  set(slot: number, doc: SearchDoc): void {
    if (slot >= this.capacity) this.grow(Math.max(slot + 1, this.capacity * 2, 1024));
    this.price[slot] = doc.price;
    this.km[slot] = doc.km;
    this.year[slot] = doc.year;
    let flags = (doc.bluetooth === true ? BLUETOOTH : 0) | (doc.carPlay === true ? CAR_PLAY : 0);
    for (const need of doc.needs) flags |= NEED_BITS[need];
    this.flags[slot] = flags;
    this.body[slot] = doc.bodyType ? BODY_BITS[doc.bodyType] : 0;
    this.transmission[slot] = doc.transmission ? TRANSMISSION[doc.transmission] : 0;
    this.make[slot] = this.idOf(doc.makeKey);
    this.model[slot] = this.idOf(doc.modelKey);
  }

  /** A predicate over slots for these filters. */
  compile(filters: PlanFilters): (slot: number) => boolean {
    const { price, km, year, flags, body, transmission, make, model } = this;
    const minPrice = filters.minPrice ?? -Infinity;
    const maxPrice = filters.maxPrice ?? Infinity;
    const minYear = filters.minYear ?? -Infinity;
    const maxYear = filters.maxYear ?? Infinity;
    const minKm = filters.minKm ?? -Infinity;
    const maxKm = filters.maxKm ?? Infinity;
    let required = 0;
    let forbidden = 0;
    if (filters.bluetooth !== undefined) filters.bluetooth ? (required |= BLUETOOTH) : (forbidden |= BLUETOOTH);
    if (filters.carPlay !== undefined) filters.carPlay ? (required |= CAR_PLAY) : (forbidden |= CAR_PLAY);
    for (const need of filters.needs ?? []) required |= NEED_BITS[need];
    const bodyMask = (filters.bodyTypes ?? []).reduce((mask, bodyType) => mask | BODY_BITS[bodyType], 0);
    const wantedTransmission = filters.transmission ? TRANSMISSION[filters.transmission] : 0;
    // -2: no such make/model in the catalog (matches nothing); -1: no filter.
    const makeId = filters.makeKey === undefined ? -1 : (this.keyIds.get(filters.makeKey) ?? -2);
    const modelId = filters.modelKey === undefined ? -1 : (this.keyIds.get(filters.modelKey) ?? -2);
    return (slot) =>
      price[slot]! >= minPrice &&
      price[slot]! <= maxPrice &&
      year[slot]! >= minYear &&
      year[slot]! <= maxYear &&
      km[slot]! >= minKm &&
      km[slot]! <= maxKm &&
      (flags[slot]! & required) === required &&
      (flags[slot]! & forbidden) === 0 &&
      (bodyMask === 0 || (body[slot]! & bodyMask) !== 0) &&
      (wantedTransmission === 0 || transmission[slot] === wantedTransmission) &&
      (makeId === -1 || make[slot] === makeId) &&
      (modelId === -1 || model[slot] === modelId);
  }

  private idOf(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) this.keyIds.set(key, (id = this.keyIds.size));
    return id;
  }

  private grow(capacity: number): void {
    const grown = <T extends Int32Array | Int16Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.price = grown(this.price, (n) => new Int32Array(n));
    this.km = grown(this.km, (n) => new Int32Array(n));
    this.year = grown(this.year, (n) => new Int16Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.body = grown(this.body, (n) => new Uint8Array(n));
    this.transmission = grown(this.transmission, (n) => new Uint8Array(n));
    this.make = grown(this.make, (n) => new Int32Array(n));
    this.model = grown(this.model, (n) => new Int32Array(n));
    this.capacity = capacity;
  }
}
