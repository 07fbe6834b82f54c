/**
 * Features, body types, needs and sort orders, as a documented table. Needs map to search_cars'
 * `needs` field, whose meaning in catalog attributes lives in knowledge/catalog/search/needs.ts.
 *
 * | user says                                         | slot                          |
 * |---------------------------------------------------|-------------------------------|
 * | bluetooth, bt                                     | bluetooth: true               |
 * | carplay, car play, apple carplay                  | carPlay: true                 |
 * | automatico/a, automat, cvt, "de transmision auto" | transmission: automatica      |
 * | estandar, manual, std, de velocidades             | transmission: manual          |
 * | camioneta, suv, suburban-like words, crossover    | bodyTypes: [suv]              |
 * | pickup, pick up, troca, batea                     | bodyTypes: [pickup]           |
 * | sedan                                             | bodyTypes: [sedan]            |
 * | hatchback, hatch, compacto                        | bodyTypes: [hatchback]        |
 * | minivan, van                                      | bodyTypes: [minivan]          |
 * | coupe, deportivo                                  | bodyTypes: [coupe]            |
 * | familiar, para la familia, con hijos/ninos        | needs: [familiar]             |
 * | economico, barato, que gaste poco, ahorrador      | needs: [economico]            |
 * | premium, de lujo, lujoso, elegante                | needs: [premium]              |
 * | para la ciudad, urbano, para el trafico           | needs: [ciudad]               |
 * | 7 pasajeros/asientos/lugares, tres filas          | needs: [siete_pasajeros]      |
 * | el mas barato, mas economicos primero             | sort: price_asc               |
 * | el mas caro                                       | sort: price_desc              |
 * | el mas nuevo, mas reciente                        | sort: year_desc               |
 * | menos kilometros, poco kilometraje                | sort: km_asc                  |
 */
import { soundAlike, spellingCorrector } from "./fuzzy.ts";
import type { BodyType, Need, Slots, Sort } from "./types.ts";
import { anyOf } from "./alternation.ts";

type Rule<T> = readonly [RegExp, T];

const BODY: ReadonlyArray<Rule<BodyType>> = [
  // "¿es 4x4?" asks about a car; "una 4x4" asks for one
  [/\b(camionetas?|camionetita|suvs?|crossover|todoterreno|(?<!\b(?:es|son|sera|trae|tiene) )4x4)\b/, "suv"],
  [/\b(pick ?ups?|trocas?|troca|batea|pickups?)\b/, "pickup"],
  [/\b(sedan|sedanes)\b/, "sedan"],
  [/\b(hatchbacks?|hatch|hb)\b/, "hatchback"],
  [/\b(minivan|minivans|van|vans)\b/, "minivan"],
  [/\b(coupe|coupes|cupe|deportivos?)\b/, "coupe"],
];

const NEEDS: ReadonlyArray<Rule<Need>> = [
  [new RegExp(`\\b(${anyOf([
    "familiar(?:es)?",
    "para (?:la|mi) familia",
    "para mis (?:hijos|hijas|ninos|chamacos|chavos|kids|nenes|bebes)",
    "con (?:hijos|ninos|bebe)",
    "familia grande",
    "para la familia",
    "(?:tengo|con|somos) (?:\\w+ )?(?:hijos|ninos|bebes|chamacos|chavos|nenes)",
    "hijos chiquitos",
    "mi esposa y (?:mis )?hijos",
    "(?<!con )(?:mi|nuestra) familia",
    "(?:quepa|quepamos|quepan) (?:toda )?la familia",
    "toda la familia",
  ])})\\b`), "familiar"],
  [new RegExp(`\\b(${anyOf([
    "economicos?",
    "economicas?",
    "baratos?",
    "baratas?",
    "baratitos?",
    "que gaste poco",
    "que no gaste",
    "que rinda(?: la gasolina)?",
    "ahorrador(?:es)?",
    "rendidor(?:es)?",
    "accesibles?",
    "no muy caros?",
    "bara",
    "no (?:sea|este|salga|cueste) (?:tan |muy |demasiado )?car[oa]",
    "que no cueste (?:mucho|tanto)",
    "no (?:tan|demasiado) car[oa]s?",
  ])})\\b(?! de (?:mantener|mantenimiento))`), "economico"],
  [/\b(premium|de lujo|lujosos?|lujosas?|elegantes?|de alta gama|alta gama|fifi)\b/, "premium"],
  [/\b(para la ciudad|para ciudad|urbanos?|para el trafico|para moverme en la ciudad|(?:manej\w*|and\w*|mov\w*|circul\w*|usa\w*|rod\w*|ir)(?: \w+)? (?:en|por) (?:la )?ciudad(?! de)|citadinos?|facil de estacionar|(?:auto|carro|coche|carrito) (?:chiquito|chico|pequeno|compacto))\b/, "ciudad"],
  [/\b((?:7|siete) (?:pasajeros|asientos|plazas|lugares|personas)|tres filas|3 filas|tercera fila|para (?:7|siete)(?! mil| meses| anos|\d))\b/, "siete_pasajeros"],
];

const SORTS: ReadonlyArray<Rule<Sort>> = [
  [/\b(el|la|los|las|lo)? ?mas (?:baratos?|baratas?|economicos?|economicas?|accesibles?)\b(?! de (?:mantener|mantenimiento|gasolina|mantenerlos?))|\bmenor precio\b|\bprecio mas bajo\b|\bde menor a mayor precio\b/, "price_asc"],
  [/\b(el|la|los|las)? ?mas (?:caros?|caras?)\b|\bmayor precio\b|\bprecio mas alto\b/, "price_desc"],
  [/(?<!\bo )\b(?:(?:el|la|los|las) )?mas (?:nuevos?|nuevas?|recientes?|modernos?)\b(?! (?:que (?:el )?(?:modelo )?\d|de (?:19|20)\d\d|del (?:19|20)\d\d|a (?:19|20)\d\d))/, "year_desc"],
  [/\b(menos|menor|poco|pocos|bajo) (?:kilometros|kilometraje|km|kms|recorrido)\b|\bmenos kilometrado\b|\bmenos rodado\b|\bmenos usado\b/, "km_asc"],
];

const firstMatch = <T>(rules: ReadonlyArray<Rule<T>>, text: string): T[] => rules.filter(([re]) => re.test(text)).map(([, v]) => v);

/** Feature words worth correcting when misspelled ("hatchbak", "automatco", "camionta", "blutut"). */
const FEATURE_WORDS = `hatchback camioneta camionetas minivan automatico automatica automaticos automaticas estandar familiar economico
  economica economicos economicas barato barata baratos baratas bluetooth carplay pasajeros kilometros kilometraje`
  .split(/\s+/)
  .filter((w) => w !== "");

const correctFeatureWord = spellingCorrector(FEATURE_WORDS, { minLength: 6, firstLetters: soundAlike });

/** The text with misspelled feature words corrected, so every extractor reads "camionta" as "camioneta". */
export const withFeatureSpelling = (normalized: string): string => normalized.replace(/[a-z]+/g, correctFeatureWord);

export const findFeatures = (normalized: string): Partial<Slots> => {
  const slots: Partial<Slots> = {};
  if (/\b(bluetooth|bluetoot|blutooth|bluetoth|blutut|bt)\b/.test(normalized) && !/\bsin (bluetooth|bt)\b/.test(normalized)) slots.bluetooth = true;
  if (/\b(car ?play|carplay|apple car ?play)\b/.test(normalized) && !/\bsin car ?play\b/.test(normalized)) slots.carPlay = true;
  if (/\b(automaticos?|automaticas?|automatico|automatik|cvt|transmision automatica|de transmision auto)\b/.test(normalized)) slots.transmission = "automatica";
  else if (/\b(estandar|estandares|manual(?:es)?|std|de velocidades|de palanca)\b/.test(normalized)) slots.transmission = "manual";
  // "si no es camioneta, un sedán": a body type ruled out is not one to search
  const bodyTypes = firstMatch(BODY, normalized.replace(/\b(?:no (?:es|sea|quiero|busco)|que no sea|sin ser|menos|mi|mis|nuestra|nuestro|nuestras) (?:una? )?(?:camionetas?|suvs?|sedan(?:es)?|pick ?ups?|minivans?|hatchbacks?)\b/g, " "));
  if (bodyTypes.length > 0) slots.bodyTypes = bodyTypes;
  const sorts = firstMatch(SORTS, normalized);
  if (sorts.length > 0) slots.sort = sorts[0]!;
  let needs = firstMatch(NEEDS, normalized);
  // "el más barato" is a sort, not the need "económico"
  if (slots.sort === "price_asc" && !/\b(auto|carro|coche|algo|uno|una|busco|quiero) (economico|barato)/.test(normalized)) needs = needs.filter((n) => n !== "economico");
  if (needs.length > 0) slots.needs = needs;
  return slots;
};
