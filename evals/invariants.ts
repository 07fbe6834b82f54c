/**
 * Rules every assistant reply must keep, whatever the conversation: Spanish, at most 1,600
 * characters, only figures the tools returned (or the user said), only cars of the catalog, no
 * internals (JSON, stack traces, ids), none of the false Kavak claims. Pure functions over the
 * reply and what this conversation's tools returned; evals/README.md documents each rule.
 */
import { foldAccents } from "../lib/fold-accents.ts";

export type InvariantRule = "spanish" | "length" | "grounded-figures" | "catalog-cars" | "no-internals" | "false-claims";

export interface Violation {
  readonly rule: InvariantRule;
  readonly detail: string;
}

export const MAX_REPLY_CHARS = 1600;

// ---------------------------------------------------------------- text helpers

/** Lowercase, no accents, no WhatsApp bold markers. */
export const fold = (text: string): string =>
  foldAccents(text).replace(/\*/g, "").toLowerCase();

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** True when a "no" (a negation) comes before `index` on the same line: "No encontré *Tesla*". */
const negatedBefore = (text: string, index: number): boolean => {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  return /(^|[^\p{L}])(no|sin|ni|imposible)([^\p{L}]|$)/u.test(fold(text.slice(lineStart, index)));
};

// ---------------------------------------------------------------- figures

/** A figure as written: "$265,999" → "265999"; "5478.29" → "5478.29"; "300 mil" → "300000". */
export interface Figure {
  readonly text: string;
  readonly index: number;
  /** Canonical decimal: no separators, no trailing fraction zeros ("265999", "5478.3"). */
  readonly value: string;
  readonly money: boolean;
  readonly percent: boolean;
  /** Written with a multiplier word: "300 mil", "1.5 millones", "300k". */
  readonly scaled: boolean;
}

const FIGURE =
  /(?<![\p{L}\p{N}_.,\-/:])(\$\s?)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(mil(?:lones|l[oó]n)?\b|millones\b|k\b))?(\s?%)?(?![\p{L}\p{N}_]|[.,]\d)/giu;

/** Canonical string of a non-negative decimal given as integer digits and fraction digits. */
export const canonical = (integer: string, fraction = ""): string => {
  const int = integer.replace(/^0+(?=\d)/, "");
  const frac = fraction.replace(/0+$/, "");
  return frac === "" ? int : `${int}.${frac}`;
};

/** Exact multiplication of a canonical decimal by 10^power. */
const scale = (value: string, power: number): string => {
  const [int = "0", frac = ""] = value.split(".");
  const padded = frac.padEnd(power, "0");
  return canonical(`${int}${padded.slice(0, power)}`, padded.slice(power));
};

/** Every figure in a text, with money/percent/scale markers. */
export const extractFigures = (text: string): Figure[] => {
  const figures: Figure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, dollar, integer = "", fraction, multiplier, percent] = match;
    let value = canonical(integer.replace(/,/g, ""), fraction ?? "");
    const word = (multiplier ?? "").toLowerCase();
    if (word === "mil" || word === "k") value = scale(value, 3);
    else if (word.startsWith("mill")) value = scale(value, 6);
    figures.push({ text: whole.trim(), index: match.index, value, money: dollar !== undefined, percent: percent !== undefined, scaled: word !== "" });
  }
  return figures;
};

/** Figures a reply may state: everything tools returned or were given, and what the user said. */
export interface GroundedFigures {
  readonly values: ReadonlySet<string>;
  /** Values that are catalog stock ids (internal): a reply must not show them. */
  readonly stockIds: ReadonlySet<string>;
}

const addNumber = (values: Set<string>, n: number) => {
  if (!Number.isFinite(n) || n < 0) return;
  const [int = "0", frac = ""] = String(n).includes("e") ? [n.toFixed(0)] : String(n).split(".");
  const value = canonical(int, frac);
  values.add(value);
  // A decimal amount may be quoted in whole pesos ("$5,478" for 5478.29): rounded or truncated.
  if (frac !== "") {
    values.add(String(Math.round(n)));
    values.add(String(Math.floor(n)));
  }
};

const addFromText = (values: Set<string>, text: string) => {
  for (const figure of extractFigures(text)) addNumber(values, Number(figure.value));
};

const walk = (value: unknown, values: Set<string>, stockIds: Set<string>, key?: string) => {
  if (typeof value === "number") {
    if (key !== undefined && /^stock_?id$/i.test(key)) stockIds.add(String(value));
    addNumber(values, value);
  } else if (typeof value === "string") addFromText(values, value);
  else if (Array.isArray(value)) for (const item of value) walk(item, values, stockIds);
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, values, stockIds, k);
};

/** Amount words users type ("medio millón", "un millón") that carry no digits. */
const SPOKEN_AMOUNTS: ReadonlyArray<[RegExp, number]> = [
  [/medio millon/, 500_000],
  [/(un|1) millon/, 1_000_000],
  [/millon y medio/, 1_500_000],
];

/**
 * The figures this conversation grounds: every number in tool outputs and tool inputs (string
 * fields included: "5478.29", "10%", addresses), and every number the user wrote, also read as
 * thousands and millions ("entre 150 y 250 mil", "5 mil al mes").
 */
export const groundedFigures = (sources: {
  readonly toolOutputs: ReadonlyArray<unknown>;
  readonly toolInputs: ReadonlyArray<unknown>;
  readonly userTexts: ReadonlyArray<string>;
}): GroundedFigures => {
  // Zero states nothing a tool could have invented ("Enganche: $0", "desde $0").
  const values = new Set<string>(["0"]);
  const stockIds = new Set<string>();
  for (const output of sources.toolOutputs) walk(output, values, stockIds);
  const inputValues = new Set<string>();
  for (const input of sources.toolInputs) walk(input, inputValues, stockIds);
  for (const value of inputValues) values.add(value);
  for (const text of sources.userTexts) {
    for (const figure of extractFigures(text)) {
      values.add(figure.value);
      values.add(scale(figure.value, 3));
      values.add(scale(figure.value, 6));
    }
    for (const [pattern, amount] of SPOKEN_AMOUNTS) if (pattern.test(fold(text))) values.add(String(amount));
  }
  return { values, stockIds };
};

/**
 * A figure must be grounded when it is money ("$…"), a percentage, written with "mil"/"millones",
 * or a plain number of 100 or more (prices, km, years, postal codes). Plain numbers under 100 are
 * list positions, counts, terms and hours ("1.", "3 opciones", "48 meses", "9:00"): exempt. So are
 * figures inside an example of what the user may type, and zero.
 */
export const mustBeGrounded = (figure: Figure): boolean => figure.money || figure.percent || figure.scaled || Number(figure.value) >= 100;

/**
 * Examples of what the user may type state no figure: a short quoted text ('"SUV de menos de 350
 * mil"') or a parenthetical example ("(ej. 50 mil)", "(por ejemplo *Nissan Versa 2020*)").
 */
const exampleRanges = (text: string): Array<[number, number]> =>
  [...text.matchAll(/"[^"\n]{1,80}"|“[^”\n]{1,80}”|\((?:ej\.|ej:|p\. ?ej\.|por ejemplo)[^)\n]{1,80}\)/gi)].map((match) => [match.index, match.index + match[0].length]);

const checkFigures = (reply: string, grounded: GroundedFigures): Violation[] => {
  const violations: Violation[] = [];
  const examples = exampleRanges(reply);
  for (const figure of extractFigures(reply)) {
    if (examples.some(([start, end]) => figure.index > start && figure.index < end)) continue;
    if (grounded.stockIds.has(figure.value) && !figure.money)
      violations.push({ rule: "no-internals", detail: `shows the internal stock id ${figure.text}` });
    else if (mustBeGrounded(figure) && !grounded.values.has(figure.value))
      violations.push({ rule: "grounded-figures", detail: `"${figure.text}" appears in no tool output, tool input or user message of this conversation` });
  }
  return violations;
};

// ---------------------------------------------------------------- language

const SPANISH = new Set(
  ("de la que el en y los las un una por con para es tu te al del se lo le mas mes meses auto autos que cual puedo puedes tengo tienes hay no si " +
    "quieres pago pagos precio enganche plazo plazos mensualidad mensualidades opciones opcion encontre aqui tasa anual como pero muy gracias hola " +
    "esta estas son este ese esa esos anos ano sin tambien ya mi me nos tus sus su dime ayudo ayudar dudas cuanto cuantos donde ahi asi sobre " +
    "financiamiento garantia sede sedes dias prueba documentos quiero buscar busco alguno cuales otro otra mejor nuestro nuestra claro perfecto listo").split(" "),
);

const ENGLISH = new Set(
  ("the and you your are is of for with this that these those here there what which would could should can will have has want like please " +
    "thanks thank month months monthly payment payments price prices car cars options option found from our we it its my be to in on at an or " +
    "how help per down term terms any other more let know about sorry i'm don't cannot can't these also only just sure great").split(" "),
);

/** Words of a line for language detection: all-caps tokens (car versions: "AUTO 4WD") left out. */
const languageWords = (line: string): string[] =>
  (line.match(/[\p{L}']+/gu) ?? []).filter((word) => !(word.length > 1 && word === word.toUpperCase())).map((word) => fold(word));

const languageCounts = (line: string) => {
  let es = 0;
  let en = 0;
  for (const word of languageWords(line)) {
    if (SPANISH.has(word)) es++;
    if (ENGLISH.has(word)) en++;
  }
  return { es, en };
};

/**
 * Spanish: no line reads as English (at least 3 English function words and more English than
 * Spanish ones), and the whole reply has more Spanish than English function words.
 */
export const checkSpanish = (reply: string): Violation[] => {
  for (const line of reply.split("\n")) {
    const { es, en } = languageCounts(line);
    if (en >= 3 && en > es) return [{ rule: "spanish", detail: `an English line: "${line.trim().slice(0, 80)}"` }];
  }
  const { es, en } = languageCounts(reply);
  if (en > 0 && en >= es) return [{ rule: "spanish", detail: `more English (${en}) than Spanish (${es}) function words` }];
  if (es === 0 && languageWords(reply).length >= 4) return [{ rule: "spanish", detail: "no Spanish words in the reply" }];
  return [];
};

// ---------------------------------------------------------------- catalog cars

export interface CatalogCar {
  readonly make: string;
  readonly model: string;
  readonly year: number;
}

/** Makes sold in Mexico that the sample catalog does not carry: naming one is naming a car we do not have. */
const OTHER_MAKES = [
  "Tesla", "Ferrari", "Porsche", "Lamborghini", "Bugatti", "Maserati", "Bentley", "Rolls-Royce", "Jaguar", "Alfa Romeo", "Subaru",
  "Mitsubishi", "Hyundai", "Acura", "Lexus", "Cadillac", "Buick", "GMC", "Chrysler", "Cupra", "Genesis", "BYD", "Great Wall", "Changan",
  "Geely", "Chirey", "Chery", "BAIC", "Foton", "Isuzu", "Smart", "McLaren", "Aston Martin", "Pontiac", "Hummer", "Citroën", "Opel", "Skoda",
];

/** Common ways to write a catalog make. */
const MAKE_ALIASES: Record<string, ReadonlyArray<string>> = {
  volkswagen: ["vw"],
  chevrolet: ["chevy"],
  "mercedes benz": ["mercedes-benz", "mercedes"],
};

export interface CatalogIndex {
  /** Folded make name or alias → folded canonical make. */
  readonly makes: ReadonlyMap<string, string>;
  /** Folded canonical make → its models (folded name and spoken forms) with their years. */
  readonly models: ReadonlyMap<string, ReadonlyArray<{ readonly names: ReadonlyArray<string>; readonly years: ReadonlySet<number> }>>;
  readonly otherMakes: ReadonlySet<string>;
}

export const buildCatalogIndex = (cars: ReadonlyArray<CatalogCar>): CatalogIndex => {
  const makes = new Map<string, string>();
  const byMake = new Map<string, Map<string, Set<number>>>();
  for (const car of cars) {
    const make = fold(car.make);
    makes.set(make, make);
    for (const alias of MAKE_ALIASES[make] ?? []) makes.set(alias, make);
    const models = byMake.get(make) ?? new Map<string, Set<number>>();
    const model = fold(car.model);
    models.set(model, (models.get(model) ?? new Set()).add(car.year));
    byMake.set(make, models);
  }
  const models = new Map<string, Array<{ names: string[]; years: Set<number> }>>();
  for (const [make, entries] of byMake) {
    models.set(
      make,
      [...entries].map(([model, years]) => {
        // "Mazda 3" of make Mazda is also just "3" after the make ("Mazda 3 2018").
        const names = [model];
        if (model.startsWith(`${make} `)) names.push(model.slice(make.length + 1));
        return { names, years };
      }),
    );
  }
  const otherMakes = new Set(OTHER_MAKES.map(fold).filter((make) => !makes.has(make)));
  return { makes, models, otherMakes };
};

const MAKE_PATTERN = (index: CatalogIndex): RegExp => {
  const names = [...index.makes.keys(), ...index.otherMakes].sort((a, b) => b.length - a.length).map(escapeRegex);
  return new RegExp(`(?<![\\p{L}\\p{N}])(${names.join("|")})(?![\\p{L}\\p{N}])`, "gu");
};

/** Does the text right after a make name state a model? ("Supra 2020" yes; ", Toyota" / "con" no.) */
const looksLikeModel = (original: string): boolean => /^\s*\*?\s*(\p{Lu}|\d)/u.test(original) && !/^\s*\*?\s*\d{1,2}\.\s/.test(original);

/**
 * Every car named (make followed by a model, and a year when one follows) exists in the catalog.
 * A make alone ("Marcas: Nissan, Toyota") names no car; a line that negates before the name
 * ("No encontré *Tesla Model 3*") is an honest "we don't have it".
 */
const checkCars = (reply: string, index: CatalogIndex): Violation[] => {
  const violations: Violation[] = [];
  // Accents removed but asterisks kept, so positions in `lower` are positions in `plain`.
  const plain = foldAccents(reply);
  const lower = plain.toLowerCase();
  for (const match of lower.matchAll(MAKE_PATTERN(index))) {
    const start = match.index;
    const makeName = match[1]!;
    const after = plain.slice(start + makeName.length);
    if (negatedBefore(plain, start)) continue;
    if (index.otherMakes.has(makeName)) {
      violations.push({ rule: "catalog-cars", detail: `names ${plain.slice(start, start + makeName.length)}, a make the catalog does not have` });
      continue;
    }
    const make = index.makes.get(makeName)!;
    const rest = fold(after).replace(/^\s+/, "");
    const models = index.models.get(make) ?? [];
    let matched: { name: string; years: ReadonlySet<number> } | undefined;
    for (const model of models)
      for (const name of model.names)
        if (rest.startsWith(name) && !/^[\p{L}\p{N}]/u.test(rest.slice(name.length)) && (matched === undefined || name.length > matched.name.length))
          matched = { name, years: model.years };
    if (matched === undefined) {
      if (looksLikeModel(after) && !/^\s*\*?\s*\d{4}\b/.test(after))
        violations.push({ rule: "catalog-cars", detail: `names "${plain.slice(start, start + makeName.length + 1 + (after.trimStart().split(/\s/)[0]?.length ?? 0)).trim()}", not a model of the catalog` });
      continue;
    }
    const year = rest.slice(matched.name.length).match(/^\s+(\d{4})(?![\p{N}])/u);
    if (year && !matched.years.has(Number(year[1])))
      violations.push({ rule: "catalog-cars", detail: `names a ${makeName} ${matched.name} ${year[1]}, and the catalog has that model only from ${[...matched.years].sort().join(", ")}` });
  }
  return violations;
};

// ---------------------------------------------------------------- internals

const INTERNALS: ReadonlyArray<[RegExp, string]> = [
  [/[{[]\s*"[\w$]+"\s*:/, "raw JSON"],
  [/"\w+"\s*:\s*("|\d|\[|\{|true|false|null)/, "raw JSON"],
  [/\n\s+at\s+\S+.*(\.ts|\.js):\d+/, "a stack trace"],
  [/\b(TypeError|ReferenceError|SyntaxError|RangeError)\b|\bError:\s/, "an error message"],
  [/\bstock_?id\b/i, "the internal field stockId"],
  [/\bq_[0-9a-f-]{6,}/i, "a quote id"],
  [/\b(toolCallId|tool_call|offline-[0-9a-z]{4,})\b/, "a tool call id"],
  [/\b(undefined|NaN)\b|\[object Object\]/, "a programming value (undefined, NaN, [object Object])"],
  [/(^|\s)null(\s|$|[.,])/, "a programming value (null)"],
];

const checkInternals = (reply: string, conversationId: string | undefined): Violation[] => {
  const violations: Violation[] = [];
  for (const [pattern, what] of INTERNALS) if (pattern.test(reply)) violations.push({ rule: "no-internals", detail: `shows ${what}` });
  if (conversationId !== undefined && conversationId.length >= 6 && reply.includes(conversationId))
    violations.push({ rule: "no-internals", detail: "shows the conversation id" });
  return violations;
};

// ---------------------------------------------------------------- false claims

/**
 * Claims seen elsewhere that are not Kavak facts (kavak-facts.md, last section). `negatable`
 * claims are fine in a line that negates them ("no manejamos plazos de 84 meses").
 */
const FALSE_CLAIMS: ReadonlyArray<{ readonly pattern: RegExp; readonly claim: string; readonly negatable: boolean }> = [
  { pattern: /\b\d{2,3}\s*puntos\b/, claim: "an inspection of N points", negatable: false },
  { pattern: /garantia[^.\n]{0,80}\b\d{1,2}(,|\.|\s)?000\s*(km|kilometros)|\b\d{1,2}(,|\.|\s)?000\s*(km|kilometros)[^.\n]{0,60}garantia/, claim: "a warranty limited in km", negatable: false },
  { pattern: /reembolso (total|completo|del 100)|full refund|devolucion (total|completa) de(l| tu) dinero|te devolvemos (todo )?tu dinero/, claim: "a full refund", negatable: false },
  { pattern: /\b84 meses\b|\b(7|siete) anos de plazo|plazos? de (hasta )?(7|siete) anos/, claim: "a term of 84 months", negatable: true },
  { pattern: /\b(?!10\b)\d{1,2}(?:[.,]\d+)?\s*%\s*(de interes|anual|de tasa)|tasa (de interes )?(del? )?(?!10\b)\d{1,2}(?:[.,]\d+)?\s*%/, claim: "an interest rate other than 10%", negatable: true },
  { pattern: /enganche minimo|minimo de enganche|enganche de al menos/, claim: "a minimum down payment", negatable: true },
  { pattern: /\b24\s*(h|hrs|horas)\b|aprobacion (inmediata|el mismo dia)/, claim: "approval in 24 hours", negatable: false },
  { pattern: /entreg\w*[^.\n]{0,40}\b\d+\s*(dias|horas|semanas)\b|entrega (inmediata|el mismo dia|al dia siguiente)/, claim: "a delivery time", negatable: false },
  { pattern: /\b(argentina|brasil|chile|colombia|peru|turquia|emiratos|estados unidos|espana)\b/, claim: "presence in other countries", negatable: true },
];

export const checkFalseClaims = (reply: string): Violation[] => {
  const text = fold(reply);
  const violations: Violation[] = [];
  for (const { pattern, claim, negatable } of FALSE_CLAIMS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    if (negatable && negatedBefore(text, match.index)) continue;
    violations.push({ rule: "false-claims", detail: `states ${claim}: "${match[0]}"` });
  }
  return violations;
};

// ---------------------------------------------------------------- all rules

export interface ReplyContext {
  readonly grounded: GroundedFigures;
  readonly catalog: CatalogIndex;
  readonly conversationId?: string;
}

/** Every rule a reply breaks (empty when it keeps them all). */
export const checkReply = (reply: string, context: ReplyContext): Violation[] => [
  ...checkSpanish(reply),
  ...(reply.length > MAX_REPLY_CHARS ? [{ rule: "length" as const, detail: `${reply.length} characters (at most ${MAX_REPLY_CHARS})` }] : []),
  ...checkFigures(reply, context.grounded),
  ...checkCars(reply, context.catalog),
  ...checkInternals(reply, context.conversationId),
  ...checkFalseClaims(reply),
];
