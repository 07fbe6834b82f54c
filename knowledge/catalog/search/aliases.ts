/**
 * Nicknames people use for makes and models. One table feeds both engines: the embedded index
 * stores a car's aliases as an extra searchable field, Meilisearch gets the same field plus the
 * table as synonyms. Aliases are compared on `compact` form (letters and digits only).
 */
import { KNOWN_MODELS } from "../body-types.ts";
import { compact } from "./text.ts";

export interface MakeAlias {
  readonly make: string;
  readonly aliases: ReadonlyArray<string>;
}

export interface ModelAlias {
  readonly make: string;
  readonly model: string;
  readonly aliases: ReadonlyArray<string>;
}

export const MAKE_ALIASES: ReadonlyArray<MakeAlias> = [
  { make: "Volkswagen", aliases: ["vw", "volks", "volkswagen", "wolkswagen"] },
  { make: "Chevrolet", aliases: ["chevy", "chevrolet", "chevi"] },
  { make: "Mercedes Benz", aliases: ["mercedes", "mb", "merce", "benz", "mercedesbenz"] },
  { make: "Land Rover", aliases: ["landrover", "lr"] },
  { make: "Mini", aliases: ["minicooper"] },
  { make: "Toyota", aliases: ["toyo"] },
  { make: "Nissan", aliases: ["niss"] },
  { make: "Kia", aliases: ["kia"] },
  { make: "BMW", aliases: ["bmw", "beeme"] },
];

export const MODEL_ALIASES: ReadonlyArray<ModelAlias> = [
  { make: "Volkswagen", model: "Beetle", aliases: ["vocho", "vochito", "beetle", "escarabajo", "bocho"] },
  { make: "Honda", model: "CR-V", aliases: ["crv"] },
  { make: "Honda", model: "HR-V", aliases: ["hrv"] },
  { make: "Honda", model: "BR-V", aliases: ["brv"] },
  { make: "Mazda", model: "Mazda 3", aliases: ["mazda3", "m3"] },
  { make: "Mazda", model: "CX-5", aliases: ["cx5"] },
  { make: "Mazda", model: "CX-9", aliases: ["cx9"] },
  { make: "Nissan", model: "X-Trail", aliases: ["xtrail"] },
  { make: "Volkswagen", model: "T-Cross", aliases: ["tcross"] },
  { make: "Toyota", model: "RAV4", aliases: ["rav"] },
  { make: "BMW", model: "Serie 1", aliases: ["serie1"] },
  { make: "BMW", model: "Serie 2", aliases: ["serie2", "m2"] },
  { make: "BMW", model: "Serie 3", aliases: ["serie3"] },
  { make: "BMW", model: "Serie 7", aliases: ["serie7"] },
  { make: "Mercedes Benz", model: "Clase A", aliases: ["clasea"] },
  { make: "Mercedes Benz", model: "Clase C", aliases: ["clasec"] },
  { make: "Mercedes Benz", model: "Clase CLA", aliases: ["cla"] },
  { make: "Ford", model: "EcoSport", aliases: ["eco"] },
];

const MAKE_BY_ALIAS = new Map<string, string>(MAKE_ALIASES.flatMap((entry) => entry.aliases.map((alias) => [compact(alias), entry.make] as const)));
const MODEL_BY_ALIAS = new Map<string, ModelAlias>(MODEL_ALIASES.flatMap((entry) => entry.aliases.map((alias) => [compact(alias), entry] as const)));
/** Known model names (lookup + aliases) → their make, to find a make when the model is missing. */
const MAKE_OF_MODEL = new Map<string, string>([
  ...KNOWN_MODELS.map((entry) => [compact(entry.model), entry.make] as const),
  ...MODEL_ALIASES.flatMap((entry) => entry.aliases.map((alias) => [compact(alias), entry.make] as const)),
]);

/** "chevy" → "chevrolet", "mercedes" → "mercedesbenz": the compact key of the make a word names. */
export const makeKeyOf = (value: string): string => {
  const key = compact(value);
  const make = MAKE_BY_ALIAS.get(key);
  return make ? compact(make) : key;
};

/** "crv" → "crv", "vocho" → "beetle", "Mazda3" → "mazda3": the compact key of the model a word names. */
export const modelKeyOf = (value: string): string => {
  const key = compact(value);
  const alias = MODEL_BY_ALIAS.get(key);
  return alias ? compact(alias.model) : key;
};

/** The make a model word belongs to ("vocho" → "Volkswagen", "hilux" → "Toyota"), when known. */
export const makeOfModelWord = (word: string): string | undefined => MAKE_OF_MODEL.get(compact(word));

/** The alias words indexed with a car: nicknames of its make and of its model. */
export const aliasesOf = (make: string, model: string): string[] => {
  const makeKey = compact(make);
  const modelKey = compact(model);
  const words = new Set<string>();
  for (const entry of MAKE_ALIASES) if (compact(entry.make) === makeKey) for (const alias of entry.aliases) words.add(alias);
  for (const entry of MODEL_ALIASES)
    if (compact(entry.make) === makeKey && compact(entry.model) === modelKey) for (const alias of entry.aliases) words.add(alias);
  return [...words];
};

/** The table as Meilisearch synonyms (both directions between an alias and the name). */
export const meilisearchSynonyms = (): Record<string, string[]> => {
  const synonyms: Record<string, Set<string>> = {};
  const link = (a: string, b: string) => {
    if (a === b) return;
    (synonyms[a] ??= new Set()).add(b);
  };
  for (const entry of MAKE_ALIASES) {
    const name = entry.make.toLowerCase();
    for (const alias of entry.aliases) {
      link(alias, name);
      link(name, alias);
    }
  }
  for (const entry of MODEL_ALIASES) {
    const name = entry.model.toLowerCase();
    for (const alias of entry.aliases) {
      link(alias, name);
      link(name, alias);
    }
  }
  return Object.fromEntries(Object.entries(synonyms).map(([word, set]) => [word, [...set].sort()]));
};
