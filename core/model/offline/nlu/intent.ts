/**
 * Which intent a message carries, from cue words and the slots already extracted. The order of the
 * checks is the policy: a long message that greets and then asks for an SUV is a search.
 */
import type { CarMention } from "./car-mention.ts";
import { findFeatures } from "./features.ts";
import { isGibberish } from "./gibberish.ts";
import { isAddressedBusinessQuestion, isKavakQuestion, OFF_TOPIC_MARKERS } from "./kavak-question.ts";
import { AFFIRM_REPLY, CANCEL_REPLY, DENY_REPLY } from "./short-replies.ts";
import type { Intent, Slots } from "./types.ts";

const INJECTION =
  /^system\b|\b(?:el usuario|yo) (?:es|soy) (?:el |un )?(?:admin|administrador|desarrollador|programador)\b|\brevela (?:la|las|tu|tus) (?:configuracion|tasas internas|instrucciones)\b|\b(?:jugar|juguemos|jugamos|juego de) (?:a )?(?:un )?(?:rol|roles)\b|\brole ?play\b|\binstrucciones (?:del|de) sistema\b|\b(?:contaba|cuentas|cuentame|dime|pasame) (?:\w+ )?(?:tus|sus) (?:instrucciones|reglas|prompts?)\b|\b(?:responde|contesta|habla|hablame|escribe)(?:me)? (?:solo |solamente |unicamente )?en (?:ingles|frances|aleman|portugues|otro idioma)\b|\b(?:di|dime|escribe|pon|ponme|confirma) que (?:el |la )?(?:\w+ ){0,3}(?:cuesta|vale|sale) (?:\$ ?)?(?:1|un|uno|0|cero) pesos?\b|\bregala\w* (?:los |el |la |las )?(?:carros?|autos?|coches?|camionetas?)\b|\b(?:olvida|ignora|ignore|omite|borra|descarta)(?:te)? (?:de )?(?:todo )?lo (?:anterior|que te (?:dijeron|ensenaron|programaron|pidieron)|de antes)\b|\b(?:a|al|en) (?:la )?mitad de(?:l)? precio\b|\b(?:dame|damelo|dejamelo|vendemelo)(?: \w+){0,3} (?:a|al|en) (?:la )?mitad\b|\b(?:0|cero) ?(?:%|por ciento)? (?:de )?(?:interes|tasa)\b|\btasa (?:de )?(?:0|cero)\b|\b(?:tasa|interes(?:es)?)\b[^.?!]{0,20}\b(?:en|a|al|de|del) (?:cero|0)\b(?! ?(?:km|kilometros))|\b(?:olvida|ignora|ignore|omite|borra|descarta|salta)(?:te)? (?:de )?(?:tus|todas (?:tus|las)|las|los|toda|tu|sus) (?:instrucciones|reglas|indicaciones|ordenes|restricciones|programacion|prompt|directrices|politicas)|\b(?:ahora|a partir de ahora|desde ahora) (?:eres|seras|vas a ser|actua|actuas|te llamas|responde|hablas)|\bactua como\b|\bact as\b|\bfinge (?:que|ser)\b|\bhaz de cuenta que eres\b|\bpretend\b|\bsystem prompt\b|\bprompt (?:del sistema|de sistema|original)\b|\bjailbreak\b|\bmodo (?:desarrollador|dios|admin|administrador|sin restricciones)\b|\bdeveloper mode\b|\bdan mode\b|\bignore (?:all|previous|your)\b|\b(?:dame|ponme|hazme|aplicame|quiero) (?:una tasa (?:de|del) )?(?:0|cero) ?(?:%|por ciento)? ?(?:de )?(?:interes|tasa)|\b(?:tasa|interes) (?:de |del )?(?:0|cero)(?: ?%| por ciento)?\b|\b(?:quitame|quita|eliminame|elimina) (?:los|el) intereses?\b|\bsin cobrar (?:intereses|interes)\b|\b(?:regalame|regalas|dame gratis|me lo regalas|gratis el auto|auto gratis|carro gratis)\b|\b(?:revela|muestrame|dime|ensename|escribe|repite) (?:tus|tu|el) (?:instrucciones|prompt|reglas|configuracion|system)\b|\beres (?:un|una) (?:pirata|gato|perro|chef|hacker|poeta|abogado)\b|\b(?:cambia|modifica|baja|bajale|bajame) (?:la tasa|el interes|los precios|el precio a)\b|\b(?:descuento del|descuento de) \d+ ?%|\bdame (?:un )?(?:descuento|precio especial)\b|\btu (?:nueva )?(?:tarea|mision) (?:ahora )?es\b|\bno eres (?:un )?asesor\b|\bsystem ?:|\byou are now\b|\bunrestricted\b|\bsin (?:reglas|restricciones|filtros|censura)\b|\bno tienes (?:reglas|restricciones|limites)\b/;

const CANCEL_PHRASES =
  /^(?:mejor )?(?:cancela(?:r|lo)?|cancelar todo|cancelemos|para|detente|stop|reset|reinicia(?:r)?|olvidalo|olvida(?:lo)? todo|olvida eso|borra todo|dejalo|ya no|ya no quiero(?: nada)?|mejor no|nada|empezar de nuevo|empecemos de nuevo|vamos a empezar de nuevo|volver a empezar|empezar de cero|de nuevo desde cero|desde cero|otra vez desde el principio|inicio|menu principal)(?: (?:por favor|porfa|pls|plis|gracias|todo|ya|mejor))*$|\b(?:empezar|empecemos|empezamos|comenzar|comencemos|comenzamos|iniciar|iniciemos|arrancar|arranquemos|reiniciemos) (?:de nuevo|de cero|otra vez|desde cero|desde el (?:principio|inicio|comienzo))\b|\b(?:olvida|olvidate de|olvidemos|dejemos|deja|borra|cancela)\s+(?:lo del|lo de la|lo de|eso del|eso de|el tema del?|la parte del?)\b|\b(?:cancela|cancelar|cancelemos|anula|anular) (?:todo|eso|la cotizacion|el financiamiento|la busqueda|el tramite)\b|\b(?:reinicia|reiniciar|resetea|resetear) (?:la )?(?:conversacion|chat|platica)\b|\bolvida (?:todo|lo anterior|lo que te dije)\b|\bmejor (?:olvidalo|dejalo asi|ya no)$/;
/** A phrase of cancelling, or a short reply made of cancel words ("ya no, cancela"). */
const CANCEL = new RegExp(`${CANCEL_PHRASES.source}|${CANCEL_REPLY.source}`);

const FINANCING =
  /\b(?:financia(?:r|miento|rlo|rla|do|da|mientos)?|financ\w*|credito|creditos|mensualidad(?:es)?|al mes|mensual(?:es)?|por mes|a meses|cuanto (?:pagaria|pagaria al mes|saldria|quedaria|quedan|serian|seria|pago|tendria que pagar|me sale|sale al mes)|cotiz\w*|calcul\w*|sacame la cuenta|a credito|en abonos|abonos|pagos? (?:mensuales|chiquitos|fijos)|(?:pagarlo|pagarla|sacarlo|sacarla) (?:en|a) (?:meses|plazos|abonos)|pagarlo en|pagarla en|en pagos|corrida financiera|tasa|simul\w*|a plazos|en plazos|a cuantos meses|cuantos meses|que plazos|si (?:mejor )?(?:le |lo |la )?(?:doy|diera|pongo|pusiera|dejo|dejara|pago|pagara|saco|financio|hago)|si pago de enganche|se puede (?:a|en) \d+|(?:puedo|podria) (?:pagarlo|pagarla|sacarlo|sacarla|financiarlo|financiarla) (?:a|en)|plazos? (?:tienen|manejan|hay|disponibles)|interes(?:es)?)\b/;

/** A request for a quote or monthly payments. */
export const asksForFinancing = (text: string): boolean => FINANCING.test(text);

const AFFORDABILITY =
  /\b(?:me alcanza|alcanza(?:ria)?|me alcanzaria|puedo aspirar|me (?:da|daria) para|hasta cuanto (?:me prestan|puedo)|cuanto (?:me prestan|me financian|puedo financiar)|(?:que|cual|cuales) (?:auto|autos|carro|carros|coche|coches|camioneta|camionetas|precio|precio de auto)(?: \w+){0,3} (?:puedo|podria) (?:comprar|pagar|sacar|conseguir|financiar|aspirar))\b/;

const MORE =
  /\b(?:mas opciones|otras opciones|otras alternativas|mas alternativas|mas (?:autos|carros|coches|camionetas|resultados|modelos)|otros (?:autos|carros|coches|modelos)|otras (?:camionetas)|(?:muestrame|ensename|me ensenas|me muestras|me pasas|me mandas|dame|manda(?:me)?|pasame|ver|hay|tienes|tienen|tendras) (?:mas|otros|otras|algo mas)|que mas (?:tienes|tienen|hay)|siguientes|los que siguen|ver mas|algo mas (?:barato|economico|nuevo(?! que))|(?:otro|otra|alguno|alguna|uno|una|algun) (?:mas )?(?:barat[oa]|economic[oa]|nuev[oa])|(?:otro|otra)(?: pero)? (?:mas|opcion|similar|parecido)|hay otro|alguno otro|alguno mas|algun otro|algo parecido|similares|siguientes? (?:pagina|lista|opciones|resultados)|(?:otra|la siguiente|la otra|proxima) pagina|pagina (?:siguiente|2|dos)|(?:tienes|tienen|hay|habra|tendras|tendran) otr[oa]s(?! (?:sucursal|sede|agencia|oficina|pregunta|duda|cosa|forma|opcion de pago))|^(?:y )?(?:no )?otr[oa]s (?:pero|que|con|de|mas|similares|parecid[oa]s))\b|^(?:mas|otros?|otras?|siguiente|y mas|mas\s*\w*\s*porfa)$/;

const DETAILS =
  /\b(?:detalles?|mas (?:info|informacion|datos)|info (?:del|de la|de ese|de esa|sobre)|informes|(?:cuentame|platicame|hablame|dime) (?:mas|del|de la|de ese|de esa|sobre|de)|caracteristicas|ficha(?: tecnica)?|especificaciones|specs|medidas|dimensiones|que (?:trae|tiene|equipamiento)|equipamiento|version|tiene (?:bluetooth|carplay|car play)|es (?:automatico|automatica|estandar|manual)|cuantos (?:km|kilometros|asientos|pasajeros)|kilometraje|esta disponible|sigue disponible|me interesa|quiero ver|verlo|verla|me gusta|me gusto|mas sobre|saber mas|conocer mas)\b/;

/** "¿el Yaris es automático?", "¿la RAV4 es híbrida?", "¿el Sentra dónde está?": a question about one car named. */
const NAMED_CAR_QUESTION =
  /^(?:(?:y|oye|ok|entonces|pero|bueno|oiga)\s+)*(?:el|la|ese|esa|este|esta)\s+(?:\S+\s+){1,3}?(?:es|esta|tiene|trae|cuenta con|viene con|que tal|de que|donde esta|cuantos|cuanto (?:cuesta|vale)|ha tenido|ha chocado)\b/;

/** A need asked of one car: "¿es familiar?", "¿es económico?". */
const NEED_ASKED = /\b(?:es|son|sera|seria|trae|tiene) (?:familiar|economic[oa]|barat[oa]|de lujo|premium|grande|ampli[oa]|espacios[oa]|para la ciudad|para familia|4x4|awd|4wd|traccion|turbo|hibrid[oa]|electric[oa]|diesel|(?:de )?(?:7|siete|5|cinco) (?:pasajeros|asientos|lugares))\b/;

/** A question about one car's attributes ("¿cuántos km trae?", "¿qué versión es?", "¿ha chocado?"). */
const ATTRIBUTE_QUESTION =
  /\b(?:cuantos (?:km|kms|kilometros|duenos|asientos|cilindros|caballos)(?: (?:tiene|trae|lleva|tendra))?|(?:que|cual) (?:version|motor|color|transmision|rines|motorizacion)(?: es| tiene| trae| lleva)?|de (?:cuanto|que) es el motor|(?:tiene|trae|lleva) (?:pantalla|camara|sensores|quemacocos|asientos de piel|piel|clima|aire|garantia|isofix|anclajes?|bolsas de aire|cajuela|maletero|frenos abs)|ha (?:chocado|tenido (?:choques|duenos|fallas))|cuantos (?:pasajeros|lugares|puertas)|cuanto (?:cuesta|vale)|que precio tiene|(?:tiene|trae|cuenta con|viene con) (?:bluetooth|car ?play)|cuantos duenos|esta chocado|(?:que|como) tal (?:esta|es|anda|salio)|que tal el|que tal la)\b/;

/** "y el Jetta 2020, ¿cuántos km trae?": a question about a car named or pointed at, not a search with a filter. */
export const asksAboutOneCar = (text: string): boolean => ATTRIBUTE_QUESTION.test(text) || DETAILS.test(text);

const CAR_QUESTION =
  /^(?:y )?(?:oye )?(?:tiene|trae|cuenta con|viene con|es|cuantos (?:km|kilometros) tiene|cuantos (?:pasajeros|asientos|lugares|puertas)|que version es|de que ano es|(?:de )?que color (?:es|tiene)|cuantos duenos|ha chocado|esta chocado|que motor|esta disponible|sigue disponible|cual es (?:el|su) precio|que precio tiene)\b(?:.*)$|^(?:y )?(?:cuanto cuesta|cuanto vale|en cuanto sale|en cuanto esta)(?: (?:ese|esa|este|esta|el auto|el carro|la camioneta|el coche))?$/;

/** Words people put before a question about the car ("ok y", "oye", "bueno, entonces"). */
const LEAD_IN = String.raw`(?:(?:ok|okay|oki|okey|cool|nice|va|vale|sale|bueno|oye|y|e|pero|entonces|ah|ya|perfecto|listo|orale|gracias|claro|mmm|eh|ahora|otra pregunta|una pregunta|pregunta|otra cosa)\s+)*`;
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

const SEARCH_CUES =
  /\b(?:busco|buscando|buscar|ando buscando|necesito|quiero|quisiera|me interesa|interesado|tienes|tienen|tendran|hay|venden|vendes|manejan|muestrame|ensename|dame|recomienda(?:me)?|recomiendas|sugiere|sugerencia|opciones|algo|auto|autos|carro|carros|coche|coches|vehiculo|vehiculos|nave|ranfla|modelo|marca|seminuevo|seminuevos|usado|usados|cuanto cuesta|cuanto vale|precio del|en cuanto (?:esta|sale|dan))\b/;

/** Verbs of looking for cars: with them, a number in the message is a budget, not an answer. */
const SEARCH_VERBS = /\b(?:busco|buscando|buscar|quiero (?:un|una|ver|algo)|quisiera (?:un|una|algo)|tienes|tienen|tendran|hay|venden|muestrame|ensename|recomienda(?:me)?|recomiendas|necesito (?:un|una|algo))\b/;

/** With a car noun and nothing else, these make a message a search ("q autos tienen"); "rentan autos?" is not. */
const SEARCH_INTENT_VERBS = /\b(?:busco|buscando|buscar|quiero|quisiera|necesito|tienes|tienen|tendran|hay|venden|vendes|muestrame|ensename|recomienda(?:me)?|recomiendas|comprar|me interesa|ver|opciones|catalogo|inventario|dame)\b/;

const HELP =
  /\b(?:help|que (?:puedes|sabes|podes|puede) hacer|que haces|como funciona(?:s|n)?(?! kavak)|en que me (?:puedes |podrias |puede |podria )?ayudar|no se (?:usar|como usar|como funciona) (?:esto|este chat|el chat|el bot)|en que me ayudas|(?:como|en que) me (?:puedes |podrias )?ayuda(?:s|r)|me (?:puedes|podrias) ayudar(?! (?:a|con) (?!encontrar|buscar|elegir|escoger|comprar))|que (?:me )?ofreces|menu|quien eres|que eres|eres (?:un )?(?:bot|robot|humano|persona|ia|inteligencia artificial)|como te uso|instrucciones de uso|que servicios|como te pregunto|opciones del menu|no entiendo (?:como|que|nada)|(?:echar|echarme|echas|eches) (?:la|una) mano|como (?:le hago para |puedo )?usar(?:te| esto| este chat| el chat| el bot)|como (?:funciona|se usa) (?:este|esta|el) (?:chat|bot|app|servicio|asistente)|como se usa esto)\b/;
/** "ayuda" alone or nearly: a request for help with this chat, not with anything else. */
const SHORT_HELP = /^(?:necesito |quiero |me das |dame |una )?(?:ayuda|ayudame|ayudeme|me ayudas|help|auxilio)(?: (?:por favor|porfa|plis|pls))?$/;
/** Asking how this chat works, whatever subject words come along ("...no soy bueno con el teléfono"). */
const HELP_WITH_CHAT =
  /\b(?:(?:como|explicar|explicas|explica|explicarme|explicame) (?:como )?funciona(?:s)? (?:esto|este chat|el chat|este bot|el bot|este servicio|este asistente)|como te uso|como se usa esto|no se (?:usar|como usar) (?:esto|este chat|el chat))\b/;
const CLOSING_THANKS = /^(?:(?:ok|okay|perfecto|va|sale|listo|excelente|muy bien|orale)\s+)*(?:muchas |mil )?gracias\b/;
const LEAVING =
  /\b(?:lo (?:analizo|pienso|platico|consulto|checo|reviso|comento)|(?:te|le) (?:aviso|escribo|marco)|(?:luego|despues) (?:te|le) (?:aviso|escribo|marco))\b|\S\s+saludos$/;
/** A question in the message: then it is not only thanks or a goodbye. */
const QUESTION_WORDS = /\b(?:que|como|cuando|donde|cual|cuales|cuanto|cuanta|cuantos|puedo|pueden|tienen|hay|abren|cierran)\b/;

const GREETING = /^(?:hola+|holi|ola|buenas|buenos dias|buen dia|buenas tardes|buenas noches|que tal|hey|hi|hello|saludos|que onda|quiubo|qiubo|quihubo|kiubo|quiubole|que hubo|q onda|k onda|que hay|alo|bonjour|hol)\b/;
const THANKS = /\b(?:gracias|grax|grasias|thx|thanks|thank you|te lo agradezco|(?:le |te |se lo |se los )?agradezco|agradecemos|agradecid[oa]|muy amable|excelente servicio|mil gracias|se agradece|chido|genial|perfecto gracias)\b/;
const GOODBYE = /\b(?:adios|bye|hasta luego|nos vemos|me despido|hasta la proxima|que (?:tenga|tengas|pase|pases) (?:muy )?(?:buen|buena|bonito|bonita|linda|lindo|excelente|feliz) (?:dia|tarde|noche|fin)|chao|chau|hasta pronto|me voy|bai|hasta manana|cuidate|que estes bien|luego te escribo|luego hablamos|despues te escribo)\b/;
const AFFIRM_PHRASES = /^(?:si+|sip|simon|sii|claro|va|vale|dale|ok|okay|okey|oki|de acuerdo|perfecto|sale|orale|me parece|esta bien|por favor|porfa|bueno|correcto|exacto|eso|asi es|andale|a huevo|yes|afirmativo|si por favor|si gracias|si porfa|claro que si|va que va|me late|sale y vale|ese mero)$/;
const DENY_PHRASES = /^(?:no+|nel|nop|nope|no gracias|asi esta bien|ninguno|ninguna|para nada|negativo|no por ahora|ahorita no|todavia no|aun no|no me interesa|no me convence)$/;
const AFFIRM = new RegExp(`${AFFIRM_PHRASES.source}|${AFFIRM_REPLY.source}`);
const DENY = new RegExp(`${DENY_PHRASES.source}|${DENY_REPLY.source}`);

const hasAny = (slots: Slots, keys: ReadonlyArray<keyof Slots>): boolean => keys.some((k) => slots[k] !== undefined);

const SEARCH_SLOTS: ReadonlyArray<keyof Slots> = ["make", "model", "query", "minPrice", "maxPrice", "minYear", "maxYear", "maxKm", "bluetooth", "carPlay", "transmission", "bodyTypes", "needs"];
const FINANCING_SLOTS: ReadonlyArray<keyof Slots> = ["downPayment", "downPaymentPercent", "termMonths"];

const CAR_NOUN = /\b(?:auto|autos|automovil|automoviles|carro|carros|carrito|coche|coches|vehiculo|vehiculos|nave|seminuevos?|usados?|opciones|catalogo|inventario|ranfla|camioneta|camionetas|troca|trocas)\b/;

/** The message asks for cars: a search verb with a car noun or a car criterion, or a body type/feature/need. */
export const isCarRequest = (text: string, slots: Slots): boolean =>
  (SEARCH_INTENT_VERBS.test(text) && (CAR_NOUN.test(text) || hasAny(slots, ["make", "model", "query"]))) || hasAny(slots, ["bodyTypes", "needs", "transmission", "bluetooth", "carPlay", "sort"]);

const NO_CAR: CarMention = { tokens: [], exact: true };

/**
 * @param text normalised and squeezed message; @param slots what the extractors found; @param plainAmount an amount with no role;
 * @param car the make/model mention the slots came from (how sure it is matters for "kavak sentura").
 */
export const classifyIntent = (text: string, slots: Slots, plainAmount: boolean, unsqueezed = text, car: CarMention = NO_CAR): Intent => {
  if (/^([a-z])\1{3,}$/.test(unsqueezed)) return "gibberish";
  if (isGibberish(text) && !plainAmount && !hasAny(slots, [...SEARCH_SLOTS, ...FINANCING_SLOTS, "monthlyBudget"]) && !GREETING.test(text) && !THANKS.test(text)) return "gibberish";
  if (INJECTION.test(text)) return "injection";
  if (CANCEL.test(text)) return "cancel";
  // "simón, ese mero": agreeing, made of agreeing words only ("ese mero" alone points at a car)
  if (AFFIRM_REPLY.test(text) && /\b(?:si|sip|simon|va|dale|claro|ok|okay|sale|orale|andale|perfecto|listo)\b/.test(text)) return "affirm";
  if (HELP_WITH_CHAT.test(text)) return "help";
  // "perfecto, gracias! el sábado me doy una vuelta": thanks, with no question in it
  if (CLOSING_THANKS.test(text) && !QUESTION_WORDS.test(text)) return "thanks";
  if (LEAVING.test(text) && !QUESTION_WORDS.test(text) && !hasAny(slots, [...SEARCH_SLOTS, ...FINANCING_SLOTS])) return "goodbye";
  const carNamed = hasAny(slots, ["make", "model"]);
  const smallTalk = HELP.test(text) || FINANCING.test(text) || /^(?:hola|buenas|gracias)\b[^?]*$/.test(text);
  if (isKavakQuestion({ text, slots, plainAmount, car, carRequest: isCarRequest(text, slots), smallTalk })) return "knowledge";
  if (slots.monthlyBudget !== undefined && !carNamed && slots.reference === undefined && slots.price === undefined) return "affordability";
  if (AFFORDABILITY.test(text) && !carNamed && slots.reference === undefined && slots.maxPrice === undefined && !plainAmount) return "affordability";
  if (FINANCING.test(text) || (hasAny(slots, FINANCING_SLOTS) && (carNamed || slots.reference !== undefined || slots.price !== undefined || plainAmount))) return "financing";
  // "...queremos algo más nuevo, una camioneta, no más de 350 mil": a whole new search, not a next page
  const newSearch = SEARCH_SLOTS.filter((k) => slots[k] !== undefined).length >= 2 && !/\b(?:otr[oa]s?|mas opciones|siguientes?)\b/.test(text);
  // "ordénalos de más barato a más caro": the results shown, in another order
  if (/\b(?:ordena(?:los|las|melos|melas)?|acomoda(?:los|las|melos))\b/.test(text) && !hasAny(slots, SEARCH_SLOTS) && slots.reference === undefined) return "more_results";
  if (MORE.test(text) && slots.reference === undefined && !newSearch && !(carNamed && !/\b(?:otro|otra|mas opciones)\b/.test(text))) return "more_results";
  // "¿la primera es familiar?": a need asked of a car shown, not searched for
  if (slots.reference !== undefined && NEED_ASKED.test(text) && !hasAny(slots, ["minPrice", "maxPrice"])) return "car_details";
  if (slots.reference !== undefined && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice"]) && !(carNamed && /\b(?:busco|quiero ver (?:un|una)|tienen)\b/.test(text))) return "car_details";
  if (carNamed && NAMED_CAR_QUESTION.test(text) && !SEARCH_VERBS.test(text) && !hasAny(slots, ["minPrice", "maxPrice", "maxKm", "sort"]) && (!hasAny(slots, ["bodyTypes", "needs"]) || NEED_ASKED.test(text)))
    return "car_details";
  if (ATTRIBUTE_QUESTION.test(text) && (carNamed || slots.reference !== undefined) && !SEARCH_VERBS.test(text) && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice", "maxKm", "sort"])) return "car_details";
  if (DETAILS.test(text) && (carNamed || slots.reference !== undefined) && !hasAny(slots, ["bodyTypes", "needs", "minPrice", "maxPrice"])) return carNamed && slots.reference === undefined && !/\b(?:detalles?|info|informacion|ficha|caracteristicas|especificaciones|cuentame|platicame|hablame)\b/.test(text) ? "search_cars" : "car_details";
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
  if (DENY.test(text)) return "deny";
  if (AFFIRM.test(text)) return "affirm";
  if (GOODBYE.test(text)) return "goodbye";
  if (THANKS.test(text)) return "thanks";
  if (GREETING.test(text)) return "greeting";
  if (isGibberish(text)) return "gibberish";
  if (isAddressedBusinessQuestion(text)) return "knowledge";
  return "off_topic";
};
