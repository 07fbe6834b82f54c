/** Cues of looking for cars, and the slot groups the intent rules test. */
import type { Slots } from "./types.ts";
import { anyOf } from "./alternation.ts";

export const SEARCH_CUES =
  new RegExp(`\\b(?:${anyOf([
    "busco",
    "buscando",
    "buscar",
    "ando buscando",
    "necesito",
    "quiero",
    "quisiera",
    "me interesa",
    "interesado",
    "tienes",
    "tienen",
    "tendran",
    "hay",
    "venden",
    "vendes",
    "manejan",
    "muestrame",
    "ensename",
    "dame",
    "recomienda(?:me)?",
    "recomiendas",
    "sugiere",
    "sugerencia",
    "opciones",
    "algo",
    "auto",
    "autos",
    "carro",
    "carros",
    "coche",
    "coches",
    "vehiculo",
    "vehiculos",
    "nave",
    "ranfla",
    "modelo",
    "marca",
    "seminuevo",
    "seminuevos",
    "usado",
    "usados",
    "cuanto cuesta",
    "cuanto vale",
    "precio del",
    "en cuanto (?:esta|sale|dan)",
  ])})\\b`);

/** Verbs of looking for cars: with them, a number in the message is a budget, not an answer. */
export const SEARCH_VERBS = /\b(?:busco|buscando|buscar|quiero (?:un|una|ver|algo)|quisiera (?:un|una|algo)|tienes|tienen|tendran|hay|venden|muestrame|ensename|recomienda(?:me)?|recomiendas|necesito (?:un|una|algo))\b/;

/** With a car noun and nothing else, these make a message a search ("q autos tienen"); "rentan autos?" is not. */
export const SEARCH_INTENT_VERBS = /\b(?:busco|buscando|buscar|quiero|quisiera|necesito|tienes|tienen|tendran|hay|venden|vendes|muestrame|ensename|recomienda(?:me)?|recomiendas|comprar|me interesa|ver|opciones|catalogo|inventario|dame)\b/;

export const hasAny = (slots: Slots, keys: ReadonlyArray<keyof Slots>): boolean => keys.some((k) => slots[k] !== undefined);

export const SEARCH_SLOTS: ReadonlyArray<keyof Slots> = ["make", "model", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs"];

export const FINANCING_SLOTS: ReadonlyArray<keyof Slots> = ["downPayment", "downPaymentPercent", "termMonths"];

export const CAR_NOUN = /\b(?:auto|autos|automovil|automoviles|carro|carros|carrito|coche|coches|vehiculo|vehiculos|nave|seminuevos?|usados?|opciones|catalogo|inventario|ranfla|camioneta|camionetas|troca|trocas)\b/;

/** The message asks for cars: a search verb with a car noun or a car criterion, or a body type/feature/need. */
export const isCarRequest = (text: string, slots: Slots): boolean =>
  (SEARCH_INTENT_VERBS.test(text) && (CAR_NOUN.test(text) || hasAny(slots, ["make", "model", "query"]))) || hasAny(slots, ["bodyTypes", "needs", "transmission", "bluetooth", "carPlay", "sort"]);
