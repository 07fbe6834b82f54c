/**
 * Words that look like a car model the vocabulary does not know ("Hyundai Elantra", "Tesla Model 3",
 * "un auto cupra"): they go to search_cars as free `query` text, so a changed catalog still works.
 */
import { isEverydayWord } from "./common-nouns.ts";
import { COMMON_WORDS } from "./common-words.ts";
import { words } from "./normalize.ts";
import { findKavakTopics } from "./kavak-topics.ts";
import { findPlace } from "./places.ts";
import { anyOf } from "./alternation.ts";

/** Words that are slots or chat, never model names. */
const NOT_MODEL = new Set(
  `auto autos carro carros coche coches automovil automoviles camioneta camionetas vehiculo nave modelo modelos marca version año
  automatico automatica automaticos estandar manual bluetooth carplay suv suvs sedan hatchback pickup minivan van coupe
  barato barata baratos economico economica economicos familiar premium lujo nuevo nueva seminuevo usado
  mil pesos km kilometros menos mas hasta entre desde arriba abajo precio color rojo blanco negro gris azul plata
  enganche meses anos plazo credito mensualidad financiamiento por favor porfa gracias hola buenas
  que sea tenga con sin para del los las una uno unos algo alguno alguna disponible disponibles tienen tienes hay
  grande grandes chico chica chiquito pequeno mediano amplio amplia comodo comoda seguro segura bonito bonita confiable rapido potente
  superior superiores mayor menor posterior anterior inferior reciente recientes arriba adelante
  deportivo electrico hibrido diesel gasolina blanco blanca negra roja rojo color usado usada nueva nuevo reciente barata economica
  pick pickups troca trocas batea camionetita hatch hb van vans compacto compactos crossover todoterreno 4x4 sedanes coupes cupe
  kavak opcion opciones tipo car cars`.split(/\s+/),
);

const isCandidate = (w: string): boolean => w.length >= 2 && !COMMON_WORDS.has(w) && !NOT_MODEL.has(w) && !/^\d{4,}$/.test(w);

/**
 * @param usedTokens token positions already read as make/model
 * @param makeOnly true when a make was named without a known model
 */
export const findFreeModelText = (normalized: string, usedTokens: ReadonlyArray<number>, makeOnly: boolean): string | undefined => {
  const tokens = words(normalized);
  if (makeOnly && usedTokens.length > 0) {
    const after = Math.max(...usedTokens) + 1;
    const picked: string[] = [];
    for (let i = after; i < tokens.length && picked.length < 2; i++) {
      const w = tokens[i]!;
      if (!isCandidate(w) && !(picked.length > 0 && /^\d{1,3}$/.test(w))) break;
      picked.push(w);
    }
    return picked.length > 0 ? picked.join(" ") : undefined;
  }
  if (usedTokens.length > 0) return undefined;
  // Without a make: an explicit "modelo X" / "un auto X", or a name the language does not know right
  // after a request ("busco un elantra", "¿tienen renegade?"); "busco un plomero" stays a plumber.
  const m =
    normalized.match(/\b(?:el modelo|modelo|un auto|un carro|un coche|una camioneta)\s+([a-z][a-z0-9]+)(?:\s+(\d{1,3}))?\b/) ?? requestedName(normalized);
  if (m === null || !isCandidate(m[1]!)) return undefined;
  return m[2] === undefined ? m[1] : `${m[1]} ${m[2]}`;
};

/** Verbs of asking for a car; "quiero" and "necesito" need an article ("quiero saber" is not a car). */
const REQUEST = new RegExp(`\\b(?:${anyOf([
  `(?:${anyOf([
    "busco",
    "buscando",
    "ando buscando",
    "quiero",
    "quisiera",
    "necesito",
    "ocupo",
    "me interesa",
    "me gustaria",
    "me gusta",
    "tienes",
    "tienen",
    "tendran",
    "hay",
    "venden",
    "manejan",
    "cotizame",
    "muestrame",
    "ensename",
  ])})\\s+(?:un|una|el|la|algun|alguna|los|las)`,
  "busco",
  "buscando",
  "tienes",
  "tienen",
  "tendran",
  "hay",
  "venden",
  "manejan",
])})\\s+([a-z][a-z0-9]+)(?:\\s+(\\d{1,3}))?(?=\\s|$)`);

const requestedName = (normalized: string): RegExpMatchArray | null => {
  const m = normalized.match(REQUEST);
  if (m === null) return null;
  const name = m[1]!;
  if (name.length < 3 || /^\d/.test(name) || isEverydayWord(name) || findPlace(name) !== undefined || findKavakTopics(name).length > 0) return null;
  return m;
};
