/**
 * What a Kavak question is about, from the words people use for each subject the knowledge base
 * covers. A message about one of these subjects is answered by search_knowledge (which abstains when
 * it has nothing), so this table only has to recognise the subject, not the answer.
 *
 * | topic        | people say                                                                      |
 * |--------------|---------------------------------------------------------------------------------|
 * | branches     | sucursal, sede, agencia, oficina, ubicación, dirección, dónde están, en qué ciudades, piso/nivel |
 * | hours        | horario, a qué hora, abren, cierran, abierto, domingos, fin de semana, festivos |
 * | buying       | cómo compro, en línea, botón, videollamada, a domicilio/a mi casa, entrega, revisados, inspección, certificados, buenos precios, no encuentro el auto / no tienen el que quiero, apartar, prueba de manejo |
 * | trial        | periodo/días de prueba, devolver, regresarlo, reembolso, me devuelven mi dinero |
 * | warranty     | garantía, Kavak Total, cobertura, fallas, se descompone                         |
 * | own car      | mi auto/carro/coche (trade-in or sale), a cuenta, parte de pago, valuar, consignación, vender, compran autos, cuánto me dan |
 * | documents    | papeles, documentos, requisitos, identificación, INE, pasaporte, comprobante, ingresos, recibo de luz, aval, buró |
 * | credit rules | tasa, interés, plazo máximo, enganche mínimo, cómo calculan, pasos para financiar, aprobación, en línea / sin ir, formas de pago, efectivo |
 * | app          | app, aplicación, iniciar sesión, contraseña, mantenimiento, afinación, larga vida, trámites |
 * | company      | qué es Kavak, de dónde son, unicornio, confiable, de fiar                       |
 */
import { spellingCorrector } from "./fuzzy.ts";
import { anyOf } from "./alternation.ts";

export type KavakTopic = "branches" | "hours" | "buying" | "trial" | "warranty" | "own_car" | "documents" | "credit_rules" | "app" | "company";

const OWN_CAR = String.raw`\bmis? (?:propio )?(?:auto|autos|carro|carrito|coche|camioneta|vehiculo|nave|troca|unidad|carcacha)\b(?! (?:ideal|sonado|nuevo|siguiente|proximo|favorito|perfecto))`;

/** Selling or trading in the user's own car ("¿me compran mi camioneta?", "dejarlo a cuenta"). */
const TRADE = `\\b(?:${anyOf([
  "a cuenta",
  "parte de(?:l)? pago",
  "como enganche",
  "valu\\w+",
  "avaluo",
  "consignacion",
  "vender",
  "vendo",
  "venderles",
  "venderle",
  "les vendo",
  "se los vendo",
  "compran (?:autos|carros|coches|camionetas|usados|seminuevos)",
  "toman (?:autos|carros|mi|tu|su)",
  "compran\\s*$",
  "comprarian",
  "cuanto me dan",
  "me (?:dan|darian|pagan|pagarian) por",
  "pagan de contado",
  "me pagan",
  "cuanto me (?:darian|pagarian|das|dan|ofrecen|ofrecerian)",
  "(?:nos|me) (?:podrian|pueden|puedes|podrias|quieren) comprar",
  "me (?:den|hagan|dan) una oferta",
  "recibir una oferta",
])})\\b`;
export const tradesOwnCar = (normalized: string): boolean => new RegExp(TRADE).test(normalized) || /\b(?:me (?:lo|la) compran|lo compran|la compran|(?:me|nos|les) compra(?:n|rian|ria))\b/.test(normalized);

const TOPICS: ReadonlyArray<readonly [KavakTopic, RegExp]> = [
  [
    "branches",
    new RegExp(`\\b(?:${anyOf([
      "sucursal(?:es)?",
      "sedes?",
      "(?<!de )agencias?",
      "oficinas?",
      "tiendas? fisicas?",
      "ubicacion(?:es)?",
      "ubicad[oa]s",
      "direccion(?:es)?",
      "donde (?:estan|esta kavak|se ubican|quedan|queda|los encuentro|las encuentro|puedo ir|los veo|los busco|hay|tienen|se encuentran|atienden)",
      "en (?:que|cuales) (?:ciudades|estados|lugares|partes|zonas|paises)",
      "que ciudades",
      "en que (?:piso|nivel)",
      "codigo postal",
      "como llego",
      "centros? de inspeccion",
      "otros paises",
    ])})\\b`),
  ],
  ["hours", /\b(?:horarios?|a que hora|hasta que hora|que hora (?:abren|cierran)|abren|abre|cierran|cierra|abiert[oa]s?|domingos?|sabados?|fines? de semana|festivos?|feriados?)\b/],
  [
    "buying",
    new RegExp(`\\b(?:${anyOf([
      "como (?:compro|comprar|puedo comprar|es el proceso|se compra|le hago para comprar|funciona la compra)",
      "proceso de compra",
      "pasos para comprar",
      "en linea",
      "online",
      "por internet",
      "boton",
      "videollamadas?",
      "videos?",
      "por video",
      "a domicilio",
      "(?:a|hasta|en) mi (?:casa|domicilio)",
      "me (?:lo|la) (?:pueden|podrian|puedes|podrias) (?:llevar|traer)",
      "llevan el auto",
      "entrega(?:n|r|rme|rmelo|rmela)?",
      "cuanto (?:tiempo )?tardan",
      "revisad[oa]s?",
      "revisan",
      "inspeccion\\w*",
      "certificad\\w*",
      "puntos de revision",
      "cuantos puntos",
      "reacondicionad\\w*",
      "buenos precios",
      "precios (?:justos|competitivos|buenos|reales)",
      "no encuentro",
      "no (?:lo|la) encuentro",
      "un modelo que no tienen",
      `(?:si )?no (?:tienen|tienes|hay|manejan) (?:el|la|un|una) (?:auto|carro|coche|modelo|camioneta|vehiculo) que (?:yo )?(?:${anyOf([
        "quiero",
        "busco",
        "necesito",
        "me gusta",
        "ando buscando",
      ])})`,
      `(?:auto|carro|coche|modelo|camioneta|vehiculo) que (?:yo )?(?:quiero|busco|necesito|me gusta|ando buscando) no (?:${anyOf([
        "esta",
        "lo tienen",
        "la tienen",
        "lo tienes",
        "lo hay",
        "aparece",
        "sale",
        "lo encuentro",
        "la encuentro",
      ])})`,
      "historial(?! crediticio)",
      "choques?",
      "apart(?:o|a|ar|arlo|arla|ado|ada|e|en)",
      "prueba de manejo",
      "test drive",
      "manejarlo",
      "seguros",
      "(?:el|un|del|de|su|sus) seguro",
      "seguro (?:de auto|del auto|de cobertura|para el auto|vehicular|incluido)",
      "aseguranza",
      "tenencia",
      "placas",
      "verificacion",
      "envio",
      "envios",
      "envian",
      "hacen envios",
    ])})\\b`),
  ],
  [
    "trial",
    new RegExp(`\\b(?:${anyOf([
      "periodo de prueba",
      "dias de prueba",
      "de prueba",
      "la prueba",
      "devolv\\w*",
      "devuelv\\w*",
      "devolucion",
      "(?:lo|la) regreso",
      "regresarlo",
      "regresarla",
      "regresar (?:el|la|mi) (?:auto|carro|coche|camioneta)",
      "regresarselo",
      "reembolso",
      "me regresan (?:mi|el) dinero",
      "(?:me )?arrepiento",
      "arrepentirme",
      "me arrepiento",
      "si no me (?:convence|gusta)(?: (?:el|la) (?:auto|carro|coche|camioneta))?",
      "(?:lo|la) (?:puedo|podria|puedes|pueden) (?:regresar|devolver|cambiar)",
    ])})\\b`),
  ],
  ["warranty", /\b(?:garanti\w*|kavak total|cobertura|fallas?|falla mecanica|se (?:le |me )?descompone|descompuesto|averias?|defectos?|sale mal[oa]|sale con fallas)\b/],
  [
    "own_car",
    new RegExp(
      String.raw`${OWN_CAR}|${TRADE}`,
    ),
  ],
  [
    "documents",
    new RegExp(`\\b(?:${anyOf([
      "papeles",
      "papeleo",
      "documentos?",
      "documentacion",
      "requisitos",
      "requieren",
      "factur\\w*",
      "a nombre de (?:mi|una|la) empresa",
      "persona moral",
      "extranjer[oa]s?",
      "visa",
      "residente",
      "residencia",
      "piden",
      "aval",
      "aprueban",
      "identificacion",
      "ine",
      "pasaporte",
      "comprobantes?",
      "compruebo",
      "comprobar",
      "ingresos",
      "estados? de cuenta",
      "recibos? de (?:luz|agua|gas|nomina)",
      "recibos de nomina",
      "buro",
      "historial crediticio",
      "que (?:necesito|ocupo|requiero|debo|tengo que) (?:\\w+ )?(?:para|pa)\\b",
      "que (?:necesito|ocupo) (?:llevar|presentar|entregar)",
      "que ocupo",
    ])})\\b`),
  ],
  [
    "credit_rules",
    new RegExp(`\\b(?:${anyOf([
      "tasas?",
      "interes(?:es)?",
      "cat",
      "plazo (?:maximo|minimo|mas largo|mas corto)",
      "si (?:un mes )?no (?:puedo |alcanzo a )?pag\\w+",
      "me (?:lo|la) quitan",
      "embarg\\w*",
      "pagos? atrasados?",
      "me atraso",
      "atrasarme",
      "enganche (?:minimo|maximo)",
      "cuanto (?:tengo que|hay que|debo|necesito) (?:dar|poner|pagar) de enganche",
      "como (?:calculan|sacan|se calcula|se saca)",
      "pasos para (?:financiar|el credito|sacar)",
      "aprob\\w+",
      "precalifica\\w*",
      "meses sin intereses",
      "como funciona (?:el |lo del |lo de )?(?:financiamiento|credito|plan de pagos)",
      "(?:lo )?minimo de enganche",
      "cuales son los pasos",
      "que pasos",
      "los pasos (?:para|del)",
      "a cuantos meses (?:puedo|se puede|dan|manejan|financian|como maximo|maximo)",
      "cuantos meses (?:como )?maximo",
      "hasta cuantos meses",
      "(?:tengo|hay) que ir",
      "sin ir a",
      "formas? de pago",
      "metodos? de pago",
      "efectivo",
      "tarjeta de credito",
      "transferencia",
      "domiciliacion",
    ])})\\b`),
  ],
  ["app", /\b(?:app|apps|aplicacion|aplicaciones|iniciar sesion|inicio de sesion|contrasena|(?:entrar|acceder|ingresar) a mi cuenta|mi cuenta (?:de|en) la app|mantenimientos?|afinacion|servicio (?:de mantenimiento|basico|medio)|larga vida|tramites?)\b/],
  ["company", new RegExp(`\\b(?:${anyOf([
    "que es kavak",
    "(?:autos|carros|coches) nuevos o",
    "(?:nada mas|solo|nomas|unicamente) (?:seminuevos|usados)",
    "como funciona kavak",
    "kavak es",
    "de donde son",
    "quienes son",
    "unicornio",
    "mil millones",
    "confiables?",
    "de fiar",
    "es seguro comprar",
    "son seguros",
    "estafa",
    "fraude",
    "telefono",
    "contacto",
    "pagina web",
    "sitio web",
    "atencion a clientes",
    "whatsapp de kavak",
  ])})\\b`)],
];

/** Domain words worth correcting when misspelled ("garnatia", "sucrusal", "aplicasion"). */
const DOMAIN_WORDS = `garantia sucursal sucursales ubicacion direccion horario horarios agencia oficina oficinas aplicacion documentos
  requisitos comprobante identificacion pasaporte consignacion devolver devolucion reembolso inspeccion certificados mantenimiento
  domicilio videollamada periodo prueba financiamiento financian financiar credito interes enganche minimo maximo kavak`
  .split(/\s+/)
  .filter((w) => w !== "");

// "interesa" is a word of its own, not a misspelled "interes"
const correct = spellingCorrector(DOMAIN_WORDS, { minLength: 5, firstLetters: (a, b) => a === b, keepLongerWords: true });

/** The text with misspelled domain words corrected, for topic matching only. */
export const withDomainSpelling = (normalized: string): string => normalized.replace(/[a-z]+/g, correct);

export interface TopicMatch {
  readonly topic: KavakTopic;
  /** The words that named the subject (to carry it into an elliptical follow-up). */
  readonly words: string;
}

/** Every subject the message names, in table order. */
export const findKavakTopics = (normalized: string): ReadonlyArray<TopicMatch> => {
  const text = withDomainSpelling(normalized);
  const found: TopicMatch[] = [];
  for (const [topic, re] of TOPICS) {
    const m = text.match(re);
    if (m !== null) found.push({ topic, words: m[0].trim() });
  }
  return found;
};
