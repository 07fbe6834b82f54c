/**
 * Cues that only make sense against the conversation so far (issue 13): a complaint about prices, a
 * message in English, "¿cuál me conviene?", "el que sigue", "dame todos los detalles", "¿cómo lo
 * compro?", the customer's own car as a trade-in, a superlative asked of the whole result set. The
 * NLU reads each message alone; in-context.ts decides with these what the message means here.
 */
import { normalize, words } from "../nlu/normalize.ts";

/** "son unos rateros", "carísimo", "qué caro": a complaint about prices or the company. */
export const COMPLAINT =
  /\b(?:rateros?|ratas|ladrones|estafa\w*|abusivos?|abusan|un robo|es un robo|carisim[oa]s?|muy car[oa]s?|que car[oa]s?|bien car[oa]s?|demasiado car[oa]s?|esta(?:n)? car[oa]s?|son car[oa]s?|caros|caras|no manches|pesimo servicio|que mal servicio|que mala onda)\b/;

/** "¿cuál me conviene?", "diferencia entre el 1 y el 2", "¿cuál es mejor?", "compáralos". */
export const COMPARE =
  /\b(?:(?:cual|que|cuales) (?:me )?(?:conviene|convendria|recomiendas? de (?:estos|esos|estas|esas|los|las))|diferencias? entre|que diferencias?|en que (?:se )?diferencian|cual es (?:el |la )?mejor|cual (?:esta|sale) mejor|compara(?:los|las|melos|melas|r)?|comparacion|vs|versus)\b/;

/** "¿y el que sigue?", "el siguiente": the next car of the list after the one in focus. */
export const NEXT_CAR = /^(?:y |ok |va )?(?:el|la|y el|y la)? ?(?:que sigue|siguiente|de abajo|otro de la lista)$/;

/** "dame todos los detalles", "info", "más información", "la ficha": everything about the car in focus. */
export const ALL_DETAILS =
  /^(?:y |ok |va |si |sale )?(?:me )?(?:das|dame|pasame|mandame|quiero|quisiera|puedes darme|me puedes dar|regalame)? ?(?:todos |toda )?(?:los |la |mas |sus |su )?(?:detalles|info|informacion|mas info|ficha(?: tecnica)?|caracteristicas|datos)(?: (?:completos|completa|de ese|de este|del auto|del carro|de la camioneta|por favor|porfa|pls))*$/;

/** "precios", "¿y los precios?": the prices of what is on screen. */
export const PRICES = /^(?:y |ok )?(?:los |sus |que |cuales son los )?precios?(?: (?:por favor|porfa|de esos|de estos))?$/;

/** "¿cómo lo compro?", "¿cómo le hago para comprarlo?": the buying process. */
export const HOW_TO_BUY = /\bcomo (?:(?:lo|la|le) )?(?:compro|aparto|adquiero|hago para (?:comprar|apartar)(?:lo|la)?)\b|\bcomo (?:se )?compra\b|\bcomo (?:puedo )?comprar(?:lo|la)?\b|\bque (?:tengo que|debo) hacer para comprar(?:lo|la)?\b/;

/** "el más chico", "el más grande": size, read from the catalog's dimensions. */
export const SIZE = /\b(?:(?:el|la|cual|cuál) (?:es )?(?:el |la )?mas (?:chic[oa]|pequen[oa]|compact[oa]|grande|amplio|amplia|larg[oa]|cort[oa])|menos (?:larg[oa]|grande))\b/;
export const SMALLEST = /\bmas (?:chic[oa]|pequen[oa]|compact[oa]|cort[oa])\b|\bmenos (?:larg[oa]|grande)\b/;

/** "mi march vale 120 mil", "me dan 120 por mi aveo": the customer's own car and what it is worth. */
export const TRADE_IN =
  /\b(?:mi|nuestro|nuestra) (?:auto |carro |coche |camioneta )?[a-z0-9-]+(?: [a-z0-9-]+)? (?:vale|cuesta|lo valuan en|la valuan en|me lo (?:dan|compran|toman) en|me la (?:dan|compran|toman) en|lo vendo en|la vendo en|esta valuad[oa] en)\b|\bpor mi (?:auto|carro|coche|camioneta|[a-z]+) me dan\b|\b(?:a cuenta|de enganche) mi (?:auto|carro|coche|camioneta|[a-z]+)\b/;

const ENGLISH_WORDS = new Set(["the", "is", "are", "do", "does", "you", "have", "i", "my", "want", "what", "how", "much", "looking", "for", "can", "please", "need", "would", "like", "with", "which", "there", "any", "cars", "car", "price", "buy", "hello", "hi", "thanks", "this", "that", "and", "of", "it", "your", "budget", "cheap", "cheapest", "available", "show", "me", "speak", "english"]);
const SPANISH_WORDS = new Set(["el", "la", "los", "las", "de", "que", "y", "un", "una", "es", "con", "por", "para", "quiero", "busco", "tienen", "cuanto", "hola", "auto", "carro", "mi", "me", "se", "en", "no", "si", "como", "mas", "gracias", "precio"]);

/** "do you have suvs under 300k?": mostly English function words, few Spanish ones. */
export const isEnglish = (text: string): boolean => {
  const ws = words(normalize(text));
  const en = ws.filter((w) => ENGLISH_WORDS.has(w)).length;
  const es = ws.filter((w) => SPANISH_WORDS.has(w) && !ENGLISH_WORDS.has(w)).length;
  return en >= 2 && en > es * 2;
};

/** Words that put a message in the car business even when the NLU found no intent for it. */
export const IN_DOMAIN =
  /\b(?:autos?|carros?|coches?|camionetas?|vehiculos?|precios?|costo|cuesta|cuestan|km|kms|kilometr\w*|detalles?|info|informacion|ficha|compr\w+|vend\w+|financ\w*|enganche|mensualidad\w*|plazos?|credito|kavak|modelos?|version|motor|transmision|sedan\w*|suvs?|foto\w*|cita|visita|prueba|manejo|sigue|siguiente|opcion\w*|lista|ese|esa|este|esta|ultimo|primero|segundo|tercero|barat\w*|car[oa]s?|nuev[oa]s?|mensual|pago|pagos|apart\w*|disponible|queda|quedaria|saldria|cotizacion)\b/;

export const plain = (text: string): string => normalize(text).replace(/\s+/g, " ").trim();
