/**
 * Synthetic catalogs drawn from the sample: every car copies a sample car (so makes, models,
 * dimensions and equipment keep the sample's joint distribution), then moves its year by up to
 * two, its price with the year (±7% a year) and ±10% noise, and its km with the year and ±30%
 * noise. Versions vary like a real catalog's: 60% of cars get a new trim line (the template's
 * engine and transmission words, plus one or two trim words used by the same make in the
 * sample), so the vocabulary grows with the catalog instead of repeating 100 versions.
 * Seeded: the same seed gives the same catalog.
 */
import type { Car } from "../../knowledge/catalog/car.ts";
import { prng } from "../../knowledge/catalog/search/testing/prng.ts";

const TRANSMISSION_WORDS = new Set(["AUTO", "AT", "TA", "MT", "STD", "CVT", "DCT", "IVT", "TIPTRONIC", "XTRONIC", "ASG"]);
const isEngine = (word: string) => /^\d\.\d$/.test(word);

/** Trim words each make uses in the sample (no engine, transmission or one-letter words). */
const trimWordsByMake = (sample: ReadonlyArray<Car>) => {
  const byMake = new Map<string, string[]>();
  for (const car of sample) {
    const words = byMake.get(car.make) ?? [];
    for (const word of car.version.split(/\s+/)) if (word.length > 1 && !isEngine(word) && !TRANSMISSION_WORDS.has(word) && !words.includes(word)) words.push(word);
    byMake.set(car.make, words);
  }
  return byMake;
};

export const syntheticCatalog = (sample: ReadonlyArray<Car>, size: number, seed: number): Car[] => {
  const random = prng(seed);
  const trims = trimWordsByMake(sample);
  const pick = <T>(items: ReadonlyArray<T>) => items[Math.floor(random() * items.length)]!;
  const minYear = Math.min(...sample.map((car) => car.year));
  const maxYear = Math.max(...sample.map((car) => car.year));
  const cars: Car[] = [];
  for (let i = 0; i < size; i++) {
    // The first pass takes each sample car once, so even the smallest catalog has every model.
    const template = i < sample.length ? sample[i]! : sample[Math.floor(random() * sample.length)]!;
    const year = Math.min(maxYear, Math.max(minYear, template.year + Math.floor(random() * 5) - 2));
    const age = year - template.year;
    const price = Math.max(50_000, Math.round((template.price * (1 + 0.07 * age) * (0.9 + 0.2 * random())) / 1_000) * 1_000 - 1);
    const km = Math.max(0, Math.round(template.km * Math.max(0.1, 1 - 0.15 * age) * (0.7 + 0.6 * random())));
    let version = template.version;
    const pool = trims.get(template.make) ?? [];
    if (i >= sample.length && pool.length > 0 && random() < 0.6) {
      const words = template.version.split(/\s+/);
      const engine = words.find(isEngine);
      const transmission = words.find((word) => TRANSMISSION_WORDS.has(word));
      const trim = random() < 0.5 ? [pick(pool)] : [pick(pool), pick(pool)];
      version = [engine, ...new Set(trim), transmission].filter(Boolean).join(" ");
    }
    cars.push({ ...template, stockId: 1_000_000 + i, year, price, km, version });
  }
  return cars;
};
