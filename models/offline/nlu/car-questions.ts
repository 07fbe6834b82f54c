/**
 * Questions about one car rather than searches: about the car being discussed ("¿tiene carplay?",
 * "¿la camioneta es automática?"), one named ("¿el Yaris es automático?") or one pointed at ("el
 * segundo, ¿cuántos km tiene?").
 */
import { findFeatures } from "./features.ts";
import { OFF_TOPIC_MARKERS } from "./kavak-question.ts";
import { hasAny, SEARCH_VERBS } from "./search-cues.ts";
import type { Slots } from "./types.ts";
import { anyOf, regExpAnyOf } from "./alternation.ts";

export const DETAILS =
  new RegExp(`\\b(?:${anyOf([
    "detalles?",
    "mas (?:info|informacion|datos)",
    "info (?:del|de la|de ese|de esa|sobre)",
    "informes",
    "(?:cuentame|platicame|hablame|dime) (?:mas|del|de la|de ese|de esa|sobre|de)",
    "consumo",
    "rendimiento",
    "caracteristicas",
    "ficha(?: tecnica)?",
    "especificaciones",
    "specs",
    "medidas",
    "dimensiones",
    "que (?:trae|tiene|equipamiento)",
    "equipamiento",
    "version",
    "tiene (?:bluetooth|carplay|car play)",
    "es (?:automatico|automatica|estandar|manual)",
    "cuantos (?:km|kilometros|asientos|pasajeros)",
    "kilometraje",
    "esta disponible",
    "sigue disponible",
    "me interesa",
    "quiero ver",
    "verlo",
    "verla",
    "me gusta",
    "me gusto",
    "mas sobre",
    "saber mas",
    "conocer mas",
  ])})\\b`);

/** "¿el Yaris es automático?", "¿la RAV4 es híbrida?", "¿el Sentra dónde está?": a question about one car named. */
export const NAMED_CAR_QUESTION =
  /^(?:(?:y|oye|ok|entonces|pero|bueno|oiga)\s+)*(?:me (?:interesa|gusta|gusto|late|latio)\s+)?(?:el|la|ese|esa|este|esta)\s+(?:\S+\s+){1,5}?(?:es|esta|tiene|trae|cuenta con|viene con|que tal|de que|donde esta|cuantos|cuanto (?:cuesta|vale)|ha tenido|ha chocado)\b/;

/** A need asked of one car: "¿es familiar?", "¿es económico?". */
export const NEED_ASKED = /\b(?:es|son|sera|seria|trae|tiene) (?:familiar|economic[oa]|barat[oa]|de lujo|premium|grande|ampli[oa]|espacios[oa]|para la ciudad|para familia|4x4|awd|4wd|traccion|turbo|hibrid[oa]|electric[oa]|diesel|(?:de )?(?:7|siete|5|cinco) (?:pasajeros|asientos|lugares))\b/;

/** A question about one car's attributes ("¿cuántos km trae?", "¿qué versión es?", "¿ha chocado?"). */
export const ATTRIBUTE_QUESTION =
  new RegExp(`\\b(?:${anyOf([
    "cuantos (?:km|kms|kilometros|duenos|asientos|cilindros|caballos)(?: (?:tiene|trae|lleva|tendra))?",
    "(?:que|cual) (?:version|motor|color|transmision|rines|motorizacion)(?: es| tiene| trae| lleva)?",
    "de (?:cuanto|que) es el motor",
    `(?:tiene|trae|lleva) (?:${anyOf([
      "pantalla",
      "camara",
      "sensores",
      "quemacocos",
      "asientos de piel",
      "piel",
      "clima",
      "aire",
      "garantia",
      "isofix",
      "anclajes?",
      "bolsas de aire",
      "cajuela",
      "maletero",
      "frenos abs",
    ])})`,
    "ha (?:chocado|tenido (?:choques|duenos|fallas))",
    "cuantos (?:pasajeros|lugares|puertas)",
    "cuanto (?:cuesta|vale)",
    "que precio tiene",
    "(?:tiene|trae|cuenta con|viene con) (?:bluetooth|car ?play)",
    "cuantos duenos",
    "esta chocado",
    "(?:que|como) tal (?:esta|es|anda|salio)",
    "que tal el",
    "que tal la",
  ])})\\b`);

/** "y el Jetta 2020, ¿cuántos km trae?": a question about a car named or pointed at, not a search with a filter. */
export const asksAboutOneCar = (text: string): boolean => ATTRIBUTE_QUESTION.test(text) || DETAILS.test(text);

const CAR_QUESTION =
  regExpAnyOf([
    `^(?:y )?(?:oye )?(?:${anyOf([
      "tiene(?! (?:algo|algun|alguna|otro|otra|otros|otras|opciones))",
      "trae",
      "cuenta con",
      "viene con",
      "es(?! (?:mi|mis|tu|su|que|la primera|el primero|para mi|para nosotros))",
      "cuantos (?:km|kilometros) tiene",
      "cuantos (?:pasajeros|asientos|lugares|puertas)",
      "que version es",
      "de que ano es",
      "(?:de )?que color (?:es|tiene)",
      "cuantos duenos",
      "ha chocado",
      "esta chocado",
      "que motor",
      "esta disponible",
      "sigue disponible",
      "cual es (?:el|su) precio",
      "que precio tiene",
    ])})\\b(?:.*)$`,
    "^(?:y )?(?:cuanto cuesta|cuanto vale|en cuanto sale|en cuanto esta)(?: (?:ese|esa|este|esta|el auto|el carro|la camioneta|el coche))?$",
  ]);

/** Words people put before a question about the car ("ok y", "oye", "bueno, entonces"). */
export const LEAD_IN = String.raw`(?:(?:ok|okay|oki|okey|cool|nice|va|vale|sale|bueno|oye|y|e|pero|entonces|ah|ya|perfecto|listo|orale|gracias|claro|mmm|eh|ahora|otra pregunta|una pregunta|pregunta|otra cosa)\s+)*`;

/** The car being discussed, named without a model: "el auto", "la camioneta", "ese", "esa camioneta". */
const FOCUS_SUBJECT = String.raw`(?:(?:el|la|al) (?:auto|carro|carrito|coche|vehiculo|camioneta|camionetita|troca|nave|unidad|suv)|(?:ese|esa|este|esta|aquel|aquella)(?: (?:auto|carro|coche|vehiculo|camioneta|troca|nave|unidad|modelo|opcion))?|el mismo|la misma)`;

const FOCUS_PREDICATE = String.raw`(?:tiene|trae|cuenta con|viene con|incluye|es|cuantos (?:km|kms|kilometros) tiene|(?:cuanto|que) kilometraje tiene|que version es|(?:de )?que (?:ano|modelo) es|que transmision tiene|esta disponible|sigue disponible|cual es (?:el|su) precio|que precio tiene)`;

/** "regresando a la camioneta, ...", "volviendo al auto, ...": back to the car after another topic. */
const BACK_TO = String.raw`(?:(?:regresando|volviendo|retomando|de regreso|de vuelta|regresemos|volvamos) (?:a |con )?(?:lo de )?)?`;

/** "ok y el auto tiene carplay?", "¿la camioneta es automática?", "bueno, ¿cuántos km tiene?". */
const FOCUS_QUESTION = new RegExp(
  String.raw`^${LEAD_IN}(?:(${BACK_TO}${FOCUS_SUBJECT} (?:si |no |tambien |ya )?)?(?:${FOCUS_PREDICATE}\b|(?:cuanto (?:cuesta|vale)|en cuanto (?:sale|esta))(?: ${FOCUS_SUBJECT})?$)|(?:el|su) precio$)`,
);

const FOCUS_SUBJECT_LAST = new RegExp(String.raw`\b${FOCUS_SUBJECT}$`);

const FOCUS_SUBJECT_AT = new RegExp(String.raw`\b${FOCUS_SUBJECT}\b`);

/** What such a question asks about: equipment, transmission, mileage, year, version, price. */
const CAR_ATTRIBUTE =
  /\b(?:car ?play|bluetooth|bluetoot|blutooth|bt|automatic[oa]|estandar|manual|transmision|cvt|km|kms|kilometros|kilometraje|ano|version|precio|cuesta|vale|sale|modelo|disponible)\b/;

/**
 * A yes/no or "how much" question about the car being discussed, said with a reference to it
 * ("el auto", "ese") or with the car as implicit subject ("¿tiene carplay?"). It beats reading the
 * feature as a search filter; a request verb ("busco uno con carplay") keeps it a search.
 */
export const isFocusQuestion = (text: string, slots: Slots): boolean => {
  // "¿cuál es el precio del dólar?" is not about the car
  if (OFF_TOPIC_MARKERS.test(text)) return false;
  if (CAR_QUESTION.test(text) && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm"])) return true;
  if (!FOCUS_QUESTION.test(text) || !CAR_ATTRIBUTE.test(text) || SEARCH_VERBS.test(text)) return false;
  return !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "make", "model", "query"]);
};

/** True when a question about the car names it with "el auto", "la camioneta", "ese"... rather than leaving it implicit. */
export const namesCarInFocus = (text: string): boolean => {
  const m = text.match(FOCUS_QUESTION);
  return m !== null && ((m[1] ?? "") !== "" || FOCUS_SUBJECT_LAST.test(text));
};

/**
 * "¿la camioneta tiene carplay?", "¿la camioneta tiene garantía?": the body type only names the car
 * being discussed, it is not a criterion to search for.
 */
export const bodyTypeOnlyNamesFocus = (text: string): boolean => namesCarInFocus(text) && findFeatures(text.replace(FOCUS_SUBJECT_AT, " ")).bodyTypes === undefined;
