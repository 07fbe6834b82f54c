/**
 * Model years: "2020", "2019 en adelante", "más nuevo que 2018" (strictly newer), "modelo superior a
 * 2020", "del 2016 al 2019", "entre 2016 y 2019", "antes de 2015", "2018 o anterior".
 */

export interface YearsFound {
  readonly minYear?: number;
  readonly maxYear?: number;
  /** The single year named without a comparison ("el Versa 2020"). */
  readonly exact?: number;
  readonly spans: ReadonlyArray<readonly [number, number]>;
}

const Y = String.raw`(19[89]\d|20[0-3]\d)`;

const RULES: ReadonlyArray<{ re: RegExp; apply: (a: number, b?: number) => { minYear?: number; maxYear?: number } }> = [
  // negated comparisons first: "ni sea mayor a 2019" is a ceiling, "no más viejo de 2017" a floor
  { re: new RegExp(String.raw`\b(?:no|ni) (?:sea |este |que sea )?(?:mayor(?:es)?|superior(?:es)?|posterior(?:es)?) (?:a|al|que|de)\s*(?:el\s*)?(?:modelo\s*)?${Y}`, "g"), apply: (a) => ({ maxYear: a }) },
  { re: new RegExp(String.raw`\b(?:no|ni) (?:sea |este |que sea )?(?:menor(?:es)?|inferior(?:es)?) (?:a|al|que|de)\s*(?:el\s*)?(?:modelo\s*)?${Y}`, "g"), apply: (a) => ({ minYear: a }) },
  { re: new RegExp(String.raw`\b(?:no mas viej[oa]s? (?:que|de|del)|no anterior(?:es)? (?:a|al))\s*(?:el\s*)?(?:modelo\s*)?${Y}`, "g"), apply: (a) => ({ minYear: a }) },
  { re: new RegExp(String.raw`\b(?:entre(?: el)?|del?|desde(?: el)?)\s*${Y}\s*(?:y|al?|hasta(?: el)?|-)\s*(?:el\s*)?${Y}`, "g"), apply: (a, b) => ({ minYear: Math.min(a, b!), maxYear: Math.max(a, b!) }) },
  { re: new RegExp(String.raw`\b${Y}\s*(?:-|o|u|y|,|a|al|hasta|\s)\s*(?:el\s*|del\s*)?${Y}\b`, "g"), apply: (a, b) => ({ minYear: Math.min(a, b!), maxYear: Math.max(a, b!) }) },
  { re: new RegExp(String.raw`\b(?:mas nuev[oa]s? que|mas recientes? que|posterior(?:es)? (?:a|al)|superior(?:es)? (?:a|al)|mayor(?:es)? (?:a|al|que)|despues del?|arriba del?)\s*(?:el\s*)?(?:modelo\s*)?(?:ano\s*)?${Y}`, "g"), apply: (a) => ({ minYear: a + 1 }) },
  { re: new RegExp(String.raw`\b(?:mas viej[oa]s? que|mas antigu[oa]s? que|anterior(?:es)? (?:a|al)|antes del?|menor(?:es)? (?:a|al|que)|inferior(?:es)? (?:a|al))\s*(?:el\s*)?(?:modelo\s*)?${Y}`, "g"), apply: (a) => ({ maxYear: a - 1 }) },
  { re: new RegExp(String.raw`\b(?:a partir del?|desde(?: el)?|minimo(?: del?)?|de perdida|mínimo)\s*(?:modelo\s*)?(?:ano\s*)?${Y}`, "g"), apply: (a) => ({ minYear: a }) },
  { re: new RegExp(String.raw`\b(?:hasta(?: el)?|maximo(?: del?)?)\s*(?:modelo\s*)?${Y}`, "g"), apply: (a) => ({ maxYear: a }) },
  { re: new RegExp(String.raw`\b${Y}\s*(?:en adelante|pa ?lante|para lante|pa delante|para aca|para aqui|para adelante|o mas nuev[oa]s?|o mas recientes?|para arriba|pa arriba|hacia arriba|o superior|o posterior|o despues|y mas|\+|o mayor|minimo)`, "g"), apply: (a) => ({ minYear: a }) },
  { re: new RegExp(String.raw`\b${Y}\s*(?:para atras|pa atras|hacia atras|o anterior(?:es)?|o mas viejos?|o antes|para abajo|pa abajo|hacia abajo|o menos|o inferior)`, "g"), apply: (a) => ({ maxYear: a }) },
];

const EXACT = new RegExp(String.raw`\b${Y}\b(?!\s*(?:mil|k\b|pesos|km|kms|kilometros|%))`, "g");

export const findYears = (normalized: string): YearsFound | undefined => {
  const spans: [number, number][] = [];
  let minYear: number | undefined;
  let maxYear: number | undefined;
  const overlaps = (s: number, e: number) => spans.some(([a, b]) => s < b && a < e);
  for (const rule of RULES) {
    for (const m of normalized.matchAll(rule.re)) {
      if (overlaps(m.index, m.index + m[0].length)) continue;
      const nums = m.slice(1).filter((g): g is string => g !== undefined).map(Number);
      const r = rule.apply(nums[0]!, nums[1]);
      if (r.minYear !== undefined) minYear = r.minYear;
      if (r.maxYear !== undefined) maxYear = r.maxYear;
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  let exact: number | undefined;
  for (const m of normalized.matchAll(EXACT)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    // a money-looking number glued to separators ("2,020") is not a year
    if (/[,.]\d/.test(normalized.slice(m.index + 4, m.index + 6))) continue;
    if (/[$]\s*$/.test(normalized.slice(Math.max(0, m.index - 2), m.index))) continue;
    exact ??= Number(m[1]);
    spans.push([m.index, m.index + m[0].length]);
  }
  if (minYear === undefined && maxYear === undefined && exact === undefined) return undefined;
  return {
    ...(minYear === undefined ? {} : { minYear }),
    ...(maxYear === undefined ? {} : { maxYear }),
    ...(exact === undefined ? {} : { exact }),
    spans,
  };
};
