/**
 * Which intent a message carries, from cue words and the slots already extracted. The order of the
 * checks is the policy: a long message that greets and then asks for an SUV is a search.
 */
import type { CarMention } from "./car-mention.ts";
import { ATTRIBUTE_QUESTION, DETAILS, isFocusQuestion, LEAD_IN, NAMED_CAR_QUESTION, NEED_ASKED } from "./car-questions.ts";
import { AFFIRM, CANCEL, CLOSING_THANKS, DENY, GOODBYE, GREETING, HELP, HELP_WITH_CHAT, INJECTION, LEAVING, QUESTION_WORDS, SHORT_HELP, THANKS } from "./chat-cues.ts";
import { isGibberish } from "./gibberish.ts";
import { isAddressedBusinessQuestion, isKavakQuestion } from "./kavak-question.ts";
import { CAR_NOUN, FINANCING_SLOTS, hasAny, isCarRequest, SEARCH_CUES, SEARCH_INTENT_VERBS, SEARCH_SLOTS, SEARCH_VERBS } from "./search-cues.ts";
import { AFFIRM_REPLY, DENY_REPLY } from "./short-replies.ts";
import type { Intent, Slots } from "./types.ts";
import { anyOf, regExpAnyOf } from "./alternation.ts";

const FINANCING =
  new RegExp(`\\b(?:${anyOf([
    "financia(?:r|miento|rlo|rla|do|da|mientos)?",
    "financ\\w*",
    "credito",
    "creditos",
    "mensualidad(?:es)?",
    "(?<!\\bkm )al mes",
    "hazme la cuenta",
    "haz la cuenta",
    "hazme (?:el calculo|la corrida)",
    "mensual(?:es)?",
    "por mes",
    "a meses",
    "cuanto me (?:saldria|sale|quedaria|queda)",
    "cuanto (?:pagaria|pagaria al mes|saldria|quedaria|quedan|serian|seria|pago|tendria que pagar|me sale|sale al mes)",
    "cotiz\\w*",
    "calcul\\w*",
    "sacame la cuenta",
    "a credito",
    "en abonos",
    "abonos",
    "pagos? (?:mensuales|chiquitos|fijos)",
    "(?:pagarlo|pagarla|sacarlo|sacarla) (?:en|a) (?:meses|plazos|abonos)",
    "pagarlo en",
    "pagarla en",
    "en pagos",
    "corrida financiera",
    "(?:dame|hazme|pasame|mandame) la corrida",
    "tasa",
    "simul\\w*",
    "a plazos",
    "en plazos",
    "a cuantos meses",
    "cuantos meses",
    "que plazos",
    "si (?:mejor )?(?:le |lo |la )?(?:doy|diera|pongo|pusiera|dejo|dejara|pago|pagara|saco|financio|hago)",
    "si pago de enganche",
    "se puede (?:a|en) \\d+",
    "(?:puedo|podria) (?:pagarlo|pagarla|sacarlo|sacarla|financiarlo|financiarla) (?:a|en)",
    "plazos? (?:tienen|manejan|hay|disponibles)",
    "interes(?:es)?",
  ])})\\b`);

/** A request for a quote or monthly payments. */
export const asksForFinancing = (text: string): boolean => FINANCING.test(text);

const AFFORDABILITY =
  new RegExp(`\\b(?:${anyOf([
    "me alcanza",
    "alcanza(?:ria)?",
    "me alcanzaria",
    "puedo aspirar",
    "me (?:da|daria) para",
    "hasta cuanto (?:me prestan|puedo)",
    "cuanto (?:me prestan|me financian|puedo financiar)",
    `(?:que|cual|cuales) (?:${anyOf([
      "auto",
      "autos",
      "carro",
      "carros",
      "coche",
      "coches",
      "camioneta",
      "camionetas",
      "precio",
      "precio de auto",
    ])})(?: \\w+){0,3} (?:puedo|podria) (?:comprar|pagar|sacar|conseguir|financiar|aspirar)`,
  ])})\\b`);

const MORE =
  regExpAnyOf([
    `\\b(?:${anyOf([
      "more options",
      "next page",
      "(?:otr[oa]s|algo|uno|una) (?:asi|parecid[oa]s?|similar(?:es)?)",
      "mas opciones",
      "otras opciones",
      "otras alternativas",
      "mas alternativas",
      "mas (?:autos|carros|coches|camionetas|resultados|modelos)",
      "otros (?:autos|carros|coches|modelos)",
      "otras (?:camionetas)",
      `(?:${anyOf([
        "muestrame",
        "ensename",
        "me ensenas",
        "me muestras",
        "me pasas",
        "me mandas",
        "dame",
        "manda(?:me)?",
        "pasame",
        "ver",
        "hay",
        "tienes",
        "tienen",
        "tendras",
      ])}) (?:mas|otros|otras|algo mas)`,
      "que mas (?:tienes|tienen|hay)",
      "siguientes",
      "los que siguen",
      "ver mas",
      "algo mas (?:barato|economico|nuevo(?! que))",
      "(?:otro|otra|alguno|alguna|uno|una|algun) (?:mas )?(?:barat[oa]|economic[oa]|nuev[oa])",
      "(?:otro|otra)(?: pero)? (?:mas|opcion|similar|parecido)",
      "hay otro",
      "alguno otro",
      "alguno mas",
      "algun otro",
      "algo parecido",
      "similares",
      "siguientes? (?:pagina|lista|opciones|resultados)",
      "(?:otra|la siguiente|la otra|proxima) pagina",
      "pagina (?:siguiente|2|dos)",
      "(?:tienes|tienen|hay|habra|tendras|tendran) otr[oa]s(?! (?:sucursal|sede|agencia|oficina|pregunta|duda|cosa|forma|opcion de pago))",
      "^(?:y )?(?:no )?otr[oa]s (?:pero|que|con|de|mas|similares|parecid[oa]s)",
    ])})\\b`,
    "^(?:mas|otros?|otras?|siguiente|y mas|mas\\s*\\w*\\s*porfa)$",
  ]);

const NO_CAR: CarMention = { tokens: [], exact: true };

/**
 * @param text normalised and squeezed message; @param slots what the extractors found; @param plainAmount an amount with no role;
 * @param car the make/model mention the slots came from (how sure it is matters for "kavak sentura").
 */
export const classifyIntent = (text: string, slots: Slots, plainAmount: boolean, unsqueezed = text, car: CarMention = NO_CAR): Intent => {
  if (/^([a-z])\1{3,}$/.test(unsqueezed)) return "gibberish";
  if (isGibberish(text) && !plainAmount && !hasAny(slots, [...SEARCH_SLOTS, ...FINANCING_SLOTS, "monthlyBudget"]) && !GREETING.test(text) && !THANKS.test(text)) return "gibberish";
  if (INJECTION.test(text)) return "injection";
  // "empecemos otra vez: quiero un sedán 2019 automático" is the new search itself
  if (CANCEL.test(text) && SEARCH_SLOTS.filter((k) => slots[k] !== undefined).length < 2) return "cancel";
  // "nel, ese no": declining, made of declining words only ("ese" alone would point at a car)
  if (DENY_REPLY.test(text) && /\b(?:no|nel|nop|nope)\b/.test(text)) return "deny";
  // "simón, ese mero": agreeing, made of agreeing words only ("ese mero" alone points at a car)
  if (AFFIRM_REPLY.test(text) && /\b(?:si|sip|simon|va|dale|claro|ok|okay|sale|orale|andale|perfecto|listo)\b/.test(text)) return "affirm";
  if (HELP_WITH_CHAT.test(text)) return "help";
  // "perfecto, gracias! el sábado me doy una vuelta": thanks, with no question in it
  if (CLOSING_THANKS.test(text) && !QUESTION_WORDS.test(text)) return "thanks";
  // "lo analizo, saludos" leaves; "lo voy a pensar, muchas gracias" thanks first
  if (LEAVING.test(text) && !THANKS.test(text) && !QUESTION_WORDS.test(text) && !hasAny(slots, [...SEARCH_SLOTS, ...FINANCING_SLOTS])) return "goodbye";
  const carNamed = hasAny(slots, ["make", "model"]);
  const smallTalk = HELP.test(text) || FINANCING.test(text) || /^(?:hola|buenas|gracias)\b[^?]*$/.test(text);
  if (isKavakQuestion({ text, slots, plainAmount, car, carRequest: isCarRequest(text, slots), smallTalk })) return "knowledge";
  if (slots.monthlyBudget !== undefined && !carNamed && slots.reference === undefined && slots.price === undefined) return "affordability";
  if (AFFORDABILITY.test(text) && !carNamed && slots.reference === undefined && slots.maxPrice === undefined && !plainAmount) return "affordability";
  if (FINANCING.test(text) || (hasAny(slots, FINANCING_SLOTS) && (carNamed || slots.reference !== undefined || slots.price !== undefined || plainAmount))) return "financing";
  // "...queremos algo más nuevo, una camioneta, no más de 350 mil": a whole new search, not a next page
  const newSearch = SEARCH_SLOTS.filter((k) => slots[k] !== undefined).length >= 2 && !/\b(?:otr[oa]s?|mas opciones|siguientes?)\b/.test(text);
  // "solo los de menos de 200k": the results shown, narrowed
  if (/^(?:y )?(?:solo|nada mas|nomas|unicamente) (?:los|las) (?:de|que|con)\b/.test(text) && slots.reference === undefined) return "more_results";
  // "ordénalos de más barato a más caro": the results shown, in another order
  if (/\b(?:ordena(?:los|las|melos|melas)?|acomoda(?:los|las|melos))\b/.test(text) && !hasAny(slots, SEARCH_SLOTS) && slots.reference === undefined) return "more_results";
  if (MORE.test(text) && slots.reference === undefined && !newSearch && !(carNamed && !/\b(?:otro|otra|mas opciones)\b/.test(text))) return "more_results";
  // "y una CX-9? esa es más grandecita": a model asked for, "esa" is that model
  if (carNamed && /^(?:y )?(?:un|una|algun|alguna) /.test(text) && slots.reference?.kind === "this") return "search_cars";
  // "¿la primera es familiar?": a need asked of a car shown, not searched for
  if (slots.reference !== undefined && NEED_ASKED.test(text) && !hasAny(slots, ["minPrice", "maxPrice"])) return "car_details";
  if (slots.reference !== undefined && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice"]) && !(carNamed && /\b(?:busco|quiero ver (?:un|una)|tienen)\b/.test(text))) return "car_details";
  // "el Corolla": one car named alone, as an answer or a pick
  if (carNamed && /^(?:y )?(?:el|la|ese|esa) \S+(?: \S+)?$/.test(text) && !hasAny(slots, ["minYear", "maxYear", "minPrice", "maxPrice", "bodyTypes", "needs", "query"])) return "car_details";
  if (carNamed && NAMED_CAR_QUESTION.test(text) && !SEARCH_VERBS.test(text) && !hasAny(slots, ["minPrice", "maxPrice", "maxKm", "sort"]) && (!hasAny(slots, ["bodyTypes", "needs"]) || NEED_ASKED.test(text)))
    return "car_details";
  if (ATTRIBUTE_QUESTION.test(text) && (carNamed || slots.reference !== undefined) && !SEARCH_VERBS.test(text) && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice", "maxKm", "sort"])) return "car_details";
  if (DETAILS.test(text) && (carNamed || slots.reference !== undefined) && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice"])) return carNamed && slots.reference === undefined && !/\b(?:detalles?|info|informacion|ficha|caracteristicas|especificaciones|cuentame|platicame|hablame|motor|consumo|rendimiento)\b/.test(text) ? "search_cars" : "car_details";
  // "¿tiene carplay?", "¿es automático?": a question about the car being discussed
  if (isFocusQuestion(text, slots)) return "car_details";
  if (hasAny(slots, SEARCH_SLOTS) || slots.sort !== undefined) return "search_cars";
  // "¿y a 72?", "y con 20% de enganche?": a what-if on the quote, not a bare answer
  if (hasAny(slots, FINANCING_SLOTS) && new RegExp(String.raw`^${LEAD_IN}(?:y|e|o|y si|y que tal|que tal)\b`).test(text)) return "financing";
  // "¿me lo puedes dar en todos los plazos?": the quote asked again with new conditions
  if (hasAny(slots, FINANCING_SLOTS) && /\b(?:me (?:lo|la) (?:puedes|podrias|das|dejas|calculas|cotizas|pasas)|damelo|damela|calculamelo|pasamelo|cotizamelo)\b/.test(text)) return "financing";
  if (hasAny(slots, FINANCING_SLOTS) && !SEARCH_VERBS.test(text)) return "provide_info";
  // "muéstrame todos los plazos", "dame 48 meses": conditions asked for, no car searched
  if (hasAny(slots, FINANCING_SLOTS) && !CAR_NOUN.test(text)) return "financing";
  if (plainAmount && !SEARCH_CUES.test(text)) return "provide_info";
  if (plainAmount) return "search_cars";
  if (HELP.test(text) || SHORT_HELP.test(text)) return "help";
  if (SEARCH_INTENT_VERBS.test(text) && /\b(?:auto|autos|carro|carros|coche|coches|vehiculo|vehiculos|nave|seminuevos?|usados?|opciones|catalogo|inventario|ranfla)\b/.test(text)) return "search_cars";
  // "es mi primera vez comprando, ¿qué me recomiendas?": in a car chat, a recommendation is a search
  if (/\b(?:que|cual|cuales) me (?:recomienda|recomiendas|recomiendan|sugieres|sugiere)\b/.test(text)) return "search_cars";
  if (DENY.test(text)) return "deny";
  if (AFFIRM.test(text)) return "affirm";
  if (GOODBYE.test(text)) return "goodbye";
  if (THANKS.test(text)) return "thanks";
  if (GREETING.test(text)) return "greeting";
  if (isGibberish(text)) return "gibberish";
  if (isAddressedBusinessQuestion(text)) return "knowledge";
  return "off_topic";
};
