/**
 * Turns a user's question into "concepts": the content words of the question, each with the
 * equivalent words that may appear in the documents (colloquial Mexican Spanish, abbreviations).
 * Pure functions; typo correction against the stored vocabulary happens in retrieval.ts.
 */
import { editDistance } from "../../lib/edit-distance.ts";
import { foldAccents } from "../../lib/fold-accents.ts";

/** Lowercase, accents removed (as the database's unaccent does), punctuation turned into spaces. */
export const normalizeText = (text: string): string =>
  foldAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * Words that say nothing about the topic: Spanish function words (as PostgreSQL's Spanish list,
 * without accents) and conversational filler. Dropped from the question.
 */
const STOPWORDS = new Set(
  `a al algo alguien algun alguna algunas alguno algunos ante antes asi aun aunque cada como con contra cual cuales
  cualquier cuando cuanta cuantas cuanto cuantos de del desde donde dos e el ella ellas ellos en entonces entre era
  eres es esa esas ese eso esos esta estan estar estas este esto estos estoy fue fueron ha habia han has hasta hay
  he la las le les lo los mas me mi mis mucho muchos muy nada ni no nos nosotros o os otra otro para pero poco por
  porque pues que quien quienes se sea ser si sin sobre son su sus tal tambien te ti tiene tienen tengo tu tus un una
  unas uno unos usted ustedes vosotros y ya yo
  hola oye oiga buenas buen bueno porfa favor gracias quiero quisiera queria saber sabes info informacion pregunta
  duda dudas dime digame dices decir puedes podrias podria pueden puede puedo hacer hace hacen haces tendran tendra
  ok okey va pls plis q k xq pq ahi aqui alla pa onda neta ocupan necesitan ayuda ayudas gustaria me
  ustedes alguno cosa cosas manejan tienes hago pasa saben sabe cuentame platicame explicame explica explican
  sirve sirven funciona funcionan toman toma tomar aceptan acepta aceptar dan da dar doy llevar lleva llevan traer
  ir voy vas vamos sacar saco poner pongo usar uso mandar manda quieren quiere necesitaria dura duran durar
  oigan oigame nomas solo solamente unicamente opcion opciones menos segun mediante durante despues
  buenas buenos tardes noches dias dia disculpe disculpa disculpen joven senorita senor senora fijese fijate mire mira oiga
  saludos gracias interesa interesado interesada cuento escribo gustaria quisiera quisieramos hello hi please thanks
  exactamente exacto neta compa wey we bro jaja jajaja jeje lol xd porfavor ahorita hora horas llama llaman busco buscar
  buscas buscando necesito necesita necesitamos piden pide solicitan solicita requieren requiere
  explicas expliques explicarme recomendo recomendaron recomendaste recomiendan recomendaria dijo dijeron comento platico
  traen trae traes`.split(/\s+/).filter(Boolean),
);

export const isStopword = (word: string): boolean => STOPWORDS.has(word);

/**
 * Everyday words of cars and money that the documents never use: real words, not slips, so they are
 * never "corrected" into a document word ("motos" is not "motor", "seguro" is not "según") and the
 * question keeps them as unknown concepts (its score drops and the assistant abstains).
 */
const REAL_WORDS = new Set(
  `moto motos motocicleta motocicletas seguro seguros aseguradora poliza tarjeta tarjetas bitcoin cripto criptomonedas dolar
  dolares efectivo cheque transferencia electrico electricos electrica electricas hibrido hibridos blindado blindados renta rentas
  rentar arrendamiento leasing taxi uber didi placas placa tenencia verificacion multa multas llanta llantas refaccion refacciones
  taller hojalateria pintura choque choques chocado chocados robado robados siniestro siniestrado factura facturas refactura
  clima lluvia llover calor frio temperatura abogado abogados ninera plomero restaurante receta
  gasolina diesel importado importados chocolate fronterizo fronterizos clasicos clasico
  empleo empleos vacante vacantes franquicia franquicias inversion invertir acciones bolsa socios
  licencia licencias lavado lavar autolavado grua gruas bbva banorte santander banamex citibanamex hsbc scotiabank
  liverpool coppel elektra amazon`.split(/\s+/),
);

/** Importance of such a word: as much as the rarest word the documents have (unknown words otherwise weigh 0.6 of it). */
const REAL_WORD_IMPORTANCE = 1 / 0.6;

/** A real word the documents do not use (see REAL_WORDS): never a typo. */
export const isRealWordOutsideDocuments = (word: string): boolean => REAL_WORDS.has(word);

/** Stopwords long enough that a one-letter slip of them ("stan", "dond") should be dropped too. */
export const isStopwordTypo = (word: string): boolean => {
  if (word.length < 3) return false;
  for (const stopword of STOPWORDS) {
    if (stopword.length >= 4 && Math.abs(stopword.length - word.length) <= 1 && editDistance(stopword, word) <= 1) return true;
  }
  return false;
};

/**
 * Groups of words and phrases a customer and the documents use for the same thing. A question
 * word in a group matches any member. Members are normalized; plurals are found by stripping "s"/"es".
 */
const SYNONYM_GROUPS: ReadonlyArray<ReadonlyArray<string>> = [
  ["auto", "carro", "coche", "vehiculo", "camioneta", "automovil", "seminuevo", "nave", "troca", "carrito", "unidad"],
  ["sede", "sucursal", "agencia", "tienda", "oficina", "ubicacion", "direccion", "queda", "ubicados"],
  ["horario", "abren", "abre", "abierto", "abierta", "cierran", "cierra", "cerrado", "atienden", "domingo", "sabado", "festivo", "fin de semana"],
  ["documento", "papel", "papeleria", "requisito", "documentacion"],
  ["tramite", "papeleo", "gestion"],
  ["financiamiento", "credito", "financiar", "financian", "financiado", "mensualidad", "plan de pagos", "prestamo"],
  ["plazo", "plazos"],
  ["simula", "simulacion", "simular", "calcular", "calculan", "calculo", "calcula", "calculadora"],
  ["enganche", "anticipo", "pago inicial"],
  ["enganche minimo", "minimo de enganche", "minimo para el enganche"],
  ["medio de pago", "auto a cuenta", "dejarlo a cuenta", "tu auto actual"],
  ["devolver", "devolucion", "regresar", "regreso", "devuelven", "reembolso"],
  ["prueba", "probar"],
  ["garantia", "garantizado", "cobertura", "cubre", "cubren", "cubrir", "descompone", "descompuso", "falla", "fallas", "averia"],
  ["vender", "vendo", "venta", "vendes", "vendemos"],
  ["consignacion", "deposito", "consigna"],
  ["ciudad de mexico", "cdmx", "df", "chilangolandia", "mexico df"],
  ["estado de mexico", "edomex", "edo mex"],
  ["monterrey", "mty", "regio", "nuevo leon"],
  ["guadalajara", "gdl", "guanatos", "jalisco", "tapatio"],
  ["queretaro", "qro"],
  ["cuernavaca", "cuerna", "morelos"],
  ["app", "aplicacion", "celular"],
  ["tasa", "interes", "intereses", "cat"],
  ["inspeccion", "revision", "revisado", "certificado", "certificacion", "checan"],
  ["historial crediticio", "buro", "buro de credito", "score crediticio"],
  ["mantenimiento", "servicio", "afinacion"],
  ["iniciar sesion", "entrar", "entro", "login", "contrasena", "password", "acceso", "acceder", "loguearme", "sesion"],
  ["precio", "costo", "cuesta", "barato", "caro"],
  ["entrega", "entregan", "entregar", "recibir"],
  ["tiempo", "tardan", "tarda", "tardar", "demora", "demoran", "cuanto tiempo", "rapido"],
  ["identificacion", "ine", "pasaporte", "credencial", "ife"],
  ["ingresos", "nomina", "sueldo", "salario"],
  ["domicilio", "casa"],
  ["sotano", "nivel", "piso", "estacionamiento"],
  ["codigo postal", "cp"],
  ["km", "kilometro", "kilometraje"],
  ["comprar", "compro", "adquirir"],
  ["pago inmediato", "de contado", "al momento", "luego luego", "inmediato"],
  ["unicornio", "valuada", "vale", "valor"],
  ["nacio", "origen", "fundada", "mexicana"],
  ["pais", "extranjero", "internacional"],
  ["videollamada", "video llamada", "videoconferencia", "zoom"],
  ["boton me interesa", "apartar", "aparto", "apartarlo", "apartarla", "apartado"],
  ["encontrar", "encuentro", "encuentra", "conseguir", "consigo"],
  ["aprobacion", "aprobar", "aprueban", "autorizacion", "autorizan"],
  ["comprobante", "comprobar", "compruebo", "constancia"],
  ["en linea", "online", "internet", "digital", "remoto", "desde casa"],
];

/**
 * Colloquial words and phrases that point to a group but are too ambiguous to search for
 * themselves ("a cuenta" would match "estado de cuenta"; "compran" is the customer selling).
 */
const ALIASES: ReadonlyArray<readonly [string, string]> = [
  ["a cuenta", "medio de pago"],
  ["parte de pago", "medio de pago"],
  ["como pago", "medio de pago"],
  ["dar mi auto", "medio de pago"],
  ["dar mi carro", "medio de pago"],
  ["dar mi coche", "medio de pago"],
  ["cambiar mi auto", "medio de pago"],
  ["cambiar mi carro", "medio de pago"],
  ["cambiar mi coche", "medio de pago"],
  ["intercambio", "medio de pago"],
  ["trade in", "medio de pago"],
  ["compran", "vender"],
  ["pueden comprar", "vender"],
  ["podrian comprar", "vender"],
  ["comprarian", "vender"],
  ["comprarme", "vender"],
  ["me compran", "vender"],
  ["me darian", "vender"],
  ["me dan por", "vender"],
  ["me pagan por", "vender"],
  ["darian", "vender"],
  ["pagarian", "vender"],
  ["venden", "comprar"],
  ["papeles", "documento"],
  ["ocupo", "documento"],
  ["a meses", "financiamiento"],
  ["en persona", "sede"],
  ["a plazos", "financiamiento"],
  ["dinero de vuelta", "devolver"],
  ["navidad", "horario"],
  ["25 de diciembre", "horario"],
  ["ano nuevo", "horario"],
  ["semana santa", "horario"],
  ["sin ir", "en linea"],
  ["sin enganche", "enganche minimo"],
  ["tengo que ir", "en linea"],
  ["tengo q ir", "en linea"],
  ["hay que ir", "en linea"],
  ["ir a la sucursal", "en linea"],
  ["ir a una sucursal", "en linea"],
  ["ir a la agencia", "en linea"],
  ["ir a la sede", "en linea"],
  ["ir a una sede", "en linea"],
  ["por internet", "en linea"],
  ["de donde son", "nacio"],
  ["de donde es", "nacio"],
  ["de donde vienen", "nacio"],
  // "¿es de aquí de México o es gringa?": where the company is from
  ["gringa", "nacio"],
  ["gringo", "nacio"],
  ["estadounidense", "nacio"],
  ["es de mexico", "nacio"],
  ["son de mexico", "nacio"],
  ["de aqui de mexico", "nacio"],
  // "¿abren el 16 de septiembre o es día inhábil?": a holiday asks the hours
  ["inhabil", "horario"],
  ["dia inhabil", "horario"],
  ["feriado", "horario"],
  ["dia feriado", "horario"],
  ["puente", "horario"],
  ["mil millones", "unicornio"],
];

const GROUP_OF = new Map<string, ReadonlyArray<string>>();
for (const group of SYNONYM_GROUPS) for (const member of group) GROUP_OF.set(member, group);
const ALIAS_OF = new Map<string, ReadonlyArray<string>>(ALIASES.map(([alias, head]) => [alias, GROUP_OF.get(head)!]));
for (const [alias, group] of ALIAS_OF) if (!group) throw new Error(`alias "${alias}" points to no synonym group`);
const PHRASES = [...GROUP_OF.keys(), ...ALIAS_OF.keys()].filter((member) => member.includes(" ")).sort((a, b) => b.length - a.length);

/** An infinitive without its attached pronoun ("verlo" → "ver", "entregarme" → "entregar"). */
const stripPronoun = (word: string): string | undefined => /^(.+[aei]r)(?:me|te|se|lo|la|le|los|las|les|nos)$/.exec(word)?.[1];

/** The word, without a plural ending, and without an attached pronoun: the forms looked up in the synonym groups. */
export const baseForms = (word: string): ReadonlyArray<string> => {
  const forms = new Set([word]);
  if (word.endsWith("es") && word.length > 4) forms.add(word.slice(0, -2));
  if (word.endsWith("s") && word.length > 3) forms.add(word.slice(0, -1));
  const infinitive = stripPronoun(word);
  if (infinitive) forms.add(infinitive);
  return [...forms];
};

const groupOf = (word: string): { readonly group: ReadonlyArray<string>; readonly searchable: boolean } | undefined => {
  for (const form of baseForms(word)) {
    const group = GROUP_OF.get(form);
    if (group) return { group, searchable: true };
    const aliased = ALIAS_OF.get(form);
    if (aliased) return { group: aliased, searchable: false };
  }
  return undefined;
};

export interface QueryConcept {
  /** The word or phrase of the question. */
  readonly source: string;
  /** Equivalent words or phrases (the source first when it is a word of the question). */
  readonly synonyms: ReadonlyArray<string>;
  /** True for a single question word outside every synonym group: a candidate for typo correction. */
  readonly correctable: boolean;
  /**
   * How much the concept says about the subject (1, or less for words that say what kind of answer
   * is wanted: "¿cuánto cuesta Kavak Total?" is about Kavak Total, the price is what is asked of it).
   */
  readonly importance?: number;
}

/** Groups whose words mostly say what is asked (a price, a time), not what about. */
const KIND_GROUPS: ReadonlyArray<ReadonlyArray<string>> = SYNONYM_GROUPS.filter((group) => group.includes("precio") || group.includes("tiempo"));

export interface AnalyzedQuery {
  readonly normalized: string;
  readonly concepts: ReadonlyArray<QueryConcept>;
}

/** Phrases whose words would each mean something else: "tarjeta de crédito" is a card, not credit. */
const COMPOUNDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\btarjeta(s)? de (credito|debito)\b/g, "tarjeta"],
  [/\bhistorial de (choques|accidentes|servicio|servicios|mantenimiento)\b/g, "choques"],
  // a loan on its own is not a car's financing plan: "¿me prestan dinero?, un préstamo personal"
  [/\b(prestamo|prestamos|credito|creditos) (personal|personales|de nomina|hipotecario|hipotecarios)\b/g, "efectivo"],
  [/\bprestan dinero\b/g, "efectivo"],
  [/\bmercado libre\b/g, "amazon"],
  // "¿a cuántos meses?", "¿a 84 meses?": a term asked (plazo), not the "a meses" of paying in instalments
  [/\b(a|hasta|asta) (cuantos|\d+) (meses|anos)\b/g, "plazo"],
  // the user's own car described ("un Aveo 2014 con 140 mil km", "es modelo 2017"): not what is asked
  [/\b\d+(\s*mil)?\s*(km|kms|kilometros)\b/g, " "],
  [/\b(modelo|del|ano)\s+(19|20)\d\d\b/g, " "],
  // a date ("el 16 de septiembre", "el 1 de mayo") asks whether they open that day: a holiday
  [/\b\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b/g, "festivo"],
  // "¿no son más caros que en un lote?": a price comparison, which the competitive-prices section answers
  [/\b(mas|menos) (caro|caros|cara|caras|barato|baratos|barata|baratas|economico|economicos)\b/g, "precios competitivos"],
  // "¿se lo pueden quedar y descontarlo?", "¿se quedan con mi carro?": keeping the customer's car (a trade-in), not where a sede "queda"
  [/\b(se (lo|la) (pueden |podrian |puede |podria )?(quedar|quedan|quedarian|queda)|(se )?(quedan|quedarian|quedarse|quedar) con (mi|el|la) (auto|carro|coche|camioneta|troca|nave|vehiculo))\b/g, "a cuenta"],
];

/** A concept that only says what kind of answer is wanted (a price, a time), not what about. */
export const isKindConcept = (concept: QueryConcept): boolean =>
  KIND_GROUPS.some((group) => group.includes(concept.source) || concept.synonyms.some((synonym) => group.includes(synonym)));

export const analyzeQuery = (question: string): AnalyzedQuery => {
  let normalized = normalizeText(question).slice(0, 500);
  for (const [pattern, replacement] of COMPOUNDS) normalized = normalized.replace(pattern, replacement);
  const concepts: QueryConcept[] = [];
  const seen = new Set<ReadonlyArray<string>>();
  const add = (concept: QueryConcept, group?: ReadonlyArray<string>) => {
    if (group && seen.has(group)) return;
    if (group) seen.add(group);
    concepts.push(concept);
  };
  let rest = ` ${normalized} `;
  for (const phrase of PHRASES) {
    if (!rest.includes(` ${phrase} `)) continue;
    const group = GROUP_OF.get(phrase) ?? ALIAS_OF.get(phrase)!;
    add({ source: phrase, synonyms: group, correctable: false }, group);
    rest = rest.split(` ${phrase} `).join("  ");
  }
  const words = new Set<string>();
  for (const word of rest.split(" ")) {
    if (word.length < 2 || isStopword(word) || words.has(word)) continue;
    // "México" alone is the country, where everything Kavak has is: it says nothing (and would match "Ciudad de México").
    if (word === "mexico") continue;
    words.add(word);
    const found = groupOf(word);
    if (found) {
      const synonyms = found.searchable ? [word, ...found.group.filter((member) => member !== word)] : found.group;
      add({ source: word, synonyms, correctable: false }, found.group);
    } else {
      add({ source: word, synonyms: [word, ...[stripPronoun(word) ?? []].flat()], correctable: true });
    }
  }
  const isKind = isKindConcept;
  const hasSubject = concepts.some((concept) => !isKind(concept));
  return {
    normalized,
    concepts: concepts.map((concept) =>
      // a car or money word the documents are known not to cover ("seguro", "tarjeta") is the subject:
      // it weighs fully, so the assistant abstains rather than answer the rest ("¿incluyen seguro?")
      REAL_WORDS.has(concept.source) ? { ...concept, importance: REAL_WORD_IMPORTANCE } : hasSubject && isKind(concept) ? { ...concept, importance: 0.5 } : concept,
    ),
  };
};
