/**
 * Is this message a question for the knowledge base rather than a car search or a financing request?
 * Knowledge retrieval abstains when it has nothing, so when a message is about Kavak's business it is
 * safer to ask it than to decline: the rules below lean towards search_knowledge and leave off_topic
 * to messages with nothing of cars, money or Kavak in them.
 */
import type { CarMention } from "./car-mention.ts";
import { findKavakTopics, tradesOwnCar, type TopicMatch } from "./kavak-topics.ts";
import { findPlace } from "./places.ts";
import { hasAny } from "./search-cues.ts";
import type { Slots } from "./types.ts";
import { anyOf } from "./alternation.ts";

/** Leisure and everyday subjects that are never a question about Kavak. */
const LEISURE_WORDS = String.raw`recetas?|cocin\w*|chistes?|clima|lluvia|partido|futbol|mundial|liga|peliculas?|series?|canciones?|musica|poemas?|tareas?|novias?|novios?|presidente|politic\w*|elecciones|pizza|tacos`;

/** Words that put a message outside Kavak's business even when it names a place or a car noun. */
export const OFF_TOPIC_MARKERS = new RegExp(`\\b(?:${anyOf([
  LEISURE_WORDS,
  "calor",
  "frio",
  "temperatura",
  "llover",
  "lloviendo",
  "pronostico",
  "dolar",
  "euro",
  "bitcoin",
  "capital de",
  "playas?",
  "hoteles?",
  "vuelos?",
  "boletos?",
  "avion",
  "restaurantes?",
  "comida",
  "iphone",
  "celular(?:es)?",
  "plomer[oa]s?",
  "abogad[oa]s?",
  "doctor(?:es)?",
  "medicos?",
  "dentistas?",
  "motos?",
  "motocicletas?",
  "bicicletas?",
  "rentan",
  "renta",
  "rentar",
  "alquil\\w+",
  "taxi",
  "uber eats",
])})\\b`);

/** Subjects of leisure that no Kavak question is about, whatever day or place they name. */
const LEISURE = new RegExp(String.raw`\b(?:${LEISURE_WORDS}|clasico|chivas|pumas|rayados|cruz azul|quien (?:va a ganar|gano)|carne asada|carnita)\b`);

/** Nouns of the car-buying business: with a question addressed to Kavak they make it a Kavak question. */
const DOMAIN_NOUNS =
  /\b(?:auto|autos|carro|carros|coche|coches|camioneta|camionetas|vehiculos?|modelos?|credito|financiamiento|enganche|mensualidad(?:es)?|pagos?|pagar|compra|comprar|venta|kavak|asesor(?:es)?|cita|catalogo|inventario|precios?)\b/;

/** A question addressed to Kavak ("¿tienen...?", "¿me ayudan...?") or about what the user may do. */
const ADDRESSED =
  /\b(?:tienen|pueden|puedo|se puede|aceptan|dan|hacen|manejan|ofrecen|venden|compran|cuentan con|ustedes|tengo que|hay que|debo|me (?:dan|ayudan|pagan|llevan|muestran|ensenan|entregan|mandan|prestan|financian|apoyan|consiguen))\b/;

/** "¿Se puede financiar?", "¿venden a meses?", "¿puedo financiar a 84 meses?": about financing in general. */
const FINANCING_CAPABILITY =
  new RegExp(`\\b(?:${anyOf([
    `(?:hay|existe|tienen|dan) (?:opcion|opciones|forma|manera|posibilidad) de (?:${anyOf([
      "pagar\\w*",
      "sacar\\w*",
      "comprar\\w*",
      "financiar\\w*",
    ])}) (?:a|en) (?:meses|plazos|abonos|credito)`,
    "se puede (?:a|en) (?:meses|plazos|abonos|credito)",
    "(?:o )?(?:nomas|solo|nada mas|unicamente) (?:de )?contado",
    "se puede (?:financiar|sacar a credito|pagar a meses|comprar a (?:meses|credito))",
    "puedo (?:financiar|pagar a meses|sacar(?: un auto)? a credito|comprar a (?:meses|credito))",
    "(?:dan|tienen|manejan|ofrecen|hay) (?:credito|creditos|financiamiento|planes de (?:pago|financiamiento))",
    "venden a (?:meses|credito|plazos)",
    "financian",
  ])})\\b(?!\\s*(?:el|la|lo|ese|esa|este|esta)\\b)`);

/** "...o solo de contado?": whether buying on credit exists at all. */
const CASH_OR_CREDIT = /\b(?:o )?(?:nomas|solo|nada mas|unicamente) (?:de )?contado\b/;

/** A car the message points at with a pronoun ("lo", "financiarlo", "sacarla"): a request about that car. */
const OBJECT_PRONOUN = /\b(?:lo|la)\b|\b\w+(?:ar|er|ir)(?:lo|la|selo|sela)\b/;

const KAVAK = /\bkavak\b/;

const MONEY_SLOTS: ReadonlyArray<keyof Slots> = ["downPayment", "downPaymentPercent", "monthlyBudget", "price"];
const SEARCH_SLOTS: ReadonlyArray<keyof Slots> = ["make", "model", "query", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs"];

export interface MessageFacts {
  /** Normalised, shorthand expanded. */
  readonly text: string;
  readonly slots: Slots;
  /** An amount with no role yet. */
  readonly plainAmount: boolean;
  readonly car: CarMention;
  /** The message asks for cars ("busco", "tienen ... autos", a body type...). */
  readonly carRequest: boolean;
  /** Greeting, thanks, help or a financing request: "hola Kavak" and "¿cuánto pagaría en Kavak?" are not questions about Kavak. */
  readonly smallTalk?: boolean;
}

/** Subjects of the knowledge base the message names, unless its amounts make it a financing request. */
export const kavakTopics = (facts: MessageFacts): ReadonlyArray<TopicMatch> => {
  if (hasAny(facts.slots, MONEY_SLOTS) || facts.plainAmount) return [];
  // "traigo 200 mil en efectivo, ¿qué hay?": cash describes the budget, not how Kavak takes payments
  const topics = findKavakTopics(facts.text).filter((t) => !(facts.slots.maxPrice !== undefined && t.topic === "credit_rules" && t.words === "efectivo"));
  // "¿cuál es la tasa del Versa?" is a quote for that car, not a question about the rules
  const aboutACar = facts.car.make !== undefined || facts.slots.reference !== undefined;
  // "la Durango, ¿no ha tenido choques?" asks about that car's history, not about inspections
  // "la opción 2, ¿cuenta con factura original?" asks about that car's papers
  return aboutACar
    ? topics.filter((t) => t.topic !== "credit_rules" && !(t.topic === "buying" && /^(?:choques?|historial)$/.test(t.words)) && !(t.topic === "documents" && /^factur/.test(t.words)))
    : topics;
};

/** A general question about financing, with no car, pronoun or amount: the knowledge base answers it. */
export const isFinancingCapabilityQuestion = (facts: MessageFacts): boolean =>
  FINANCING_CAPABILITY.test(facts.text) &&
  // "¿se puede pagarlo a plazos o solo de contado?" asks how Kavak sells, whatever "lo" is
  (CASH_OR_CREDIT.test(facts.text) || !OBJECT_PRONOUN.test(facts.text.replace(/\bla (?:tasa|mensualidad|app)\b/g, ""))) &&
  facts.car.make === undefined &&
  facts.slots.reference === undefined &&
  !hasAny(facts.slots, ["downPayment", "downPaymentPercent", "monthlyBudget", "price"]) &&
  !facts.plainAmount;

/** Criteria of a car search: with a request verb they make the message a search, whatever else it tells. */
const CRITERIA: ReadonlyArray<keyof Slots> = ["make", "model", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bodyTypes", "needs"];

/** "¿se puede comprar sin enganche?", "¿no hay financiamiento sin enganche?": the rule, not a quote. */
const NO_DOWN_POLICY = /\b(?:se puede|puedo|hay|tienen|dan|manejan|aceptan|existe)\b(?:(?!\b(?:lo|la|ese|esa|este|esta)\b).)*\bsin enganche\b/;

export const isKavakQuestion = (facts: MessageFacts): boolean => {
  if (facts.slots.downPayment === 0 && NO_DOWN_POLICY.test(facts.text) && facts.car.make === undefined && facts.slots.reference === undefined && facts.slots.price === undefined && !facts.plainAmount) return true;
  // "...el carro que tenemos se descompone seguido... busco una camioneta familiar de menos de 400 mil"
  // "¿una receta de carne asada para el domingo?": "domingo" alone does not make it about opening hours
  if (LEISURE.test(facts.text) && !DOMAIN_NOUNS.test(facts.text) && !KAVAK.test(facts.text)) return false;
  const topics = kavakTopics(facts);
  // ...unless the car described is the user's own, to sell or trade in ("¿me compran mi camioneta?");
  // "mi carro ya valió, ando viendo un Tiguan" only tells why they are looking
  if (facts.carRequest && hasAny(facts.slots, CRITERIA) && !(topics.some((t) => t.topic === "own_car") && tradesOwnCar(facts.text))) return false;
  if (topics.length > 0) return true;
  if (isFinancingCapabilityQuestion(facts)) return true;
  const strongCar = facts.car.make !== undefined && facts.car.exact;
  // "kavak punto valle", "kavak sentura" (a branch, not a Sentra), "¿kavak vale más de mil millones?"
  if (KAVAK.test(facts.text) && !strongCar && !facts.carRequest && !facts.smallTalk && !hasAny(facts.slots, MONEY_SLOTS)) return true;
  if (OFF_TOPIC_MARKERS.test(facts.text)) return false;
  // "y en puabla?", "forum cuernavaca", "tienen algo por alvaro obregon": where Kavak is
  const place = findPlace(facts.text, facts.car.tokens);
  // "¿el primero está en GDL o en CDMX?" asks about a car shown
  // "¿tienen autos en Tuxtla?": where Kavak has cars, a question about branches
  if (place !== undefined && !strongCar && facts.slots.reference === undefined && !hasAny(facts.slots, [...SEARCH_SLOTS, ...MONEY_SLOTS])) return true;
  return false;
};

/** Last resort before off_topic: a question to Kavak about its business ("¿me ayudan a conseguir un modelo que no tienen?"). */
export const isAddressedBusinessQuestion = (text: string): boolean =>
  // "¿puedo pagar con bitcoin o con dólares?" is about paying for a car, whatever the currency
  DOMAIN_NOUNS.test(text) && ADDRESSED.test(text) && (!OFF_TOPIC_MARKERS.test(text) || /\bpag(?:ar|o|os|arlo|arla|ar el auto)\b/.test(text));
