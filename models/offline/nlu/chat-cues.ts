/**
 * Chat cues: greetings, thanks, goodbyes, help, agreeing and declining, cancelling, and attempts to
 * change the assistant's rules. Regular expressions over normalised text (see normalize.ts).
 */
import { AFFIRM_REPLY, CANCEL_REPLY, DENY_REPLY } from "./short-replies.ts";
import { anyOf, regExpAnyOf } from "./alternation.ts";

export const INJECTION =
  regExpAnyOf([
    "\\binstrucciones internas\\b",
    "\\bcon (?:las|los) que te (?:configuraron|programaron|entrenaron)\\b",
    "^system\\b",
    "\\b(?:el usuario|yo) (?:es|soy) (?:el |un )?(?:admin|administrador|desarrollador|programador)\\b",
    "\\brevela (?:la|las|tu|tus) (?:configuracion|tasas internas|instrucciones)\\b",
    "\\b(?:jugar|juguemos|jugamos|juego de) (?:a )?(?:un )?(?:rol|roles)\\b",
    "\\brole ?play\\b",
    "\\binstrucciones (?:del|de) sistema\\b",
    "\\b(?:contaba|cuentas|cuentame|dime|pasame) (?:\\w+ )?(?:tus|sus) (?:instrucciones|reglas|prompts?)\\b",
    "\\b(?:responde|contesta|habla|hablame|escribe)(?:me)? (?:solo |solamente |unicamente )?en (?:ingles|frances|aleman|portugues|otro idioma)\\b",
    "\\b(?:di|dime|escribe|pon|ponme|confirma) que (?:el |la )?(?:\\w+ ){0,3}(?:cuesta|vale|sale) (?:\\$ ?)?(?:1|un|uno|0|cero) pesos?\\b",
    "\\bregala\\w* (?:los |el |la |las )?(?:carros?|autos?|coches?|camionetas?)\\b",
    `\\b(?:olvida|ignora|ignore|omite|borra|descarta)(?:te)? (?:de )?(?:todo )?lo (?:${anyOf([
      "anterior",
      "que te (?:dijeron|ensenaron|programaron|pidieron)",
      "de antes",
    ])})\\b`,
    "\\b(?:a|al|en) (?:la )?mitad de(?:l)? precio\\b",
    "\\b(?:dame|damelo|dejamelo|vendemelo)(?: \\w+){0,3} (?:a|al|en) (?:la )?mitad\\b",
    "\\b(?:0|cero) ?(?:%|por ciento)? (?:de )?(?:interes|tasa)\\b",
    "\\btasa (?:de )?(?:0|cero)\\b",
    "\\b(?:tasa|interes(?:es)?)\\b[^.?!]{0,20}\\b(?:en|a|al|de|del) (?:cero|0)\\b(?! ?(?:km|kilometros))",
    `\\b(?:olvida|ignora|ignore|omite|borra|descarta|salta)(?:te)? (?:de )?(?:tus|todas (?:tus|las)|las|los|toda|tu|sus) (?:${anyOf([
      "instrucciones",
      "reglas",
      "indicaciones",
      "ordenes",
      "restricciones",
      "programacion",
      "prompt",
      "directrices",
      "politicas",
    ])})`,
    "\\b(?:ahora|a partir de ahora|desde ahora) (?:eres|seras|vas a ser|actua|actuas|te llamas|responde|hablas)",
    "\\bactua como\\b",
    "\\bact as\\b",
    "\\bfinge (?:que|ser)\\b",
    "\\bhaz de cuenta que eres\\b",
    "\\bpretend\\b",
    "\\bsystem prompt\\b",
    "\\bprompt (?:del sistema|de sistema|original)\\b",
    "\\bjailbreak\\b",
    "\\bmodo (?:desarrollador|dios|admin|administrador|sin restricciones)\\b",
    "\\bdeveloper mode\\b",
    "\\bdan mode\\b",
    "\\bignore (?:all|previous|your)\\b",
    "\\b(?:dame|ponme|hazme|aplicame|quiero) (?:una tasa (?:de|del) )?(?:0|cero) ?(?:%|por ciento)? ?(?:de )?(?:interes|tasa)",
    "\\b(?:tasa|interes) (?:de |del )?(?:0|cero)(?: ?%| por ciento)?\\b",
    "\\b(?:quitame|quita|eliminame|elimina) (?:los|el) intereses?\\b",
    "\\bsin cobrar (?:intereses|interes)\\b",
    "\\b(?:regalame|regalas|dame gratis|me lo regalas|gratis el auto|auto gratis|carro gratis)\\b",
    "\\b(?:revela|muestrame|dime|ensename|escribe|repite) (?:tus|tu|el) (?:instrucciones|prompt|reglas|configuracion|system)\\b",
    "\\beres (?:un|una) (?:pirata|gato|perro|chef|hacker|poeta|abogado)\\b",
    "\\b(?:cambia|modifica|baja|bajale|bajame) (?:la tasa|el interes|los precios|el precio a)\\b",
    "\\b(?:descuento del|descuento de) \\d+ ?%",
    "\\bdame (?:un )?(?:descuento|precio especial)\\b",
    "\\btu (?:nueva )?(?:tarea|mision) (?:ahora )?es\\b",
    "\\bno eres (?:un )?asesor\\b",
    "\\bsystem ?:",
    "\\byou are now\\b",
    "\\bunrestricted\\b",
    "\\bsin (?:reglas|restricciones|filtros|censura)\\b",
    "\\bno tienes (?:reglas|restricciones|limites)\\b",
  ]);

const CANCEL_PHRASES =
  regExpAnyOf([
    `^(?:mejor )?(?:${anyOf([
      "cancela(?:r|lo)?",
      "cancelar todo",
      "cancelemos",
      "para",
      "detente",
      "stop",
      "reset",
      "reinicia(?:r)?",
      "olvidalo",
      "olvida(?:lo)? todo",
      "olvida eso",
      "borra todo",
      "dejalo",
      "ya no",
      "ya no quiero(?: nada)?",
      "mejor no",
      "nada",
      "empezar de nuevo",
      "empecemos de nuevo",
      "vamos a empezar de nuevo",
      "volver a empezar",
      "empezar de cero",
      "de nuevo desde cero",
      "desde cero",
      "otra vez desde el principio",
      "inicio",
      "menu principal",
    ])})(?: (?:por favor|porfa|pls|plis|gracias|todo|ya|mejor))*$`,
    `\\b(?:${anyOf([
      "empezar",
      "empecemos",
      "empezamos",
      "comenzar",
      "comencemos",
      "comenzamos",
      "iniciar",
      "iniciemos",
      "arrancar",
      "arranquemos",
      "reiniciemos",
    ])}) (?:de nuevo|de cero|otra vez|desde cero|desde el (?:principio|inicio|comienzo))\\b`,
    "\\b(?:olvida|olvidate de|olvidemos|dejemos|deja|borra|cancela)\\s+(?:lo del|lo de la|lo de|eso del|eso de|el tema del?|la parte del?)\\b",
    "\\b(?:cancela|cancele|cancelen|cancelar|cancelemos|anula|anular) (?:todo|eso|la cotizacion|el financiamiento|la busqueda|el tramite)\\b",
    "\\b(?:reinicia|reiniciar|resetea|resetear) (?:la )?(?:conversacion|chat|platica)\\b",
    "\\bolvida (?:todo|lo anterior|lo que te dije)\\b",
    "\\bmejor (?:olvidalo|dejalo asi|ya no)$",
    "\\bborra todo\\b",
    "\\bdejalo asi\\b",
  ]);

/** A phrase of cancelling, or a short reply made of cancel words ("ya no, cancela"). */
export const CANCEL = new RegExp(`${CANCEL_PHRASES.source}|${CANCEL_REPLY.source}`);

export const HELP =
  new RegExp(`\\b(?:${anyOf([
    "help",
    "que (?:puedes|sabes|podes|puede) hacer",
    "que haces",
    "que puedo hacer (?:aqui|aca|en este chat|con (?:este|el) (?:chat|bot))",
    "que hace (?:este|el) (?:chat|bot|asistente|servicio)",
    "como funciona(?:s|n)?(?! kavak)",
    "en que me (?:puedes |podrias |puede |podria )?ayudar",
    "no se (?:usar|como usar|como funciona) (?:esto|este chat|el chat|el bot)",
    "en que me ayudas",
    "(?:como|en que) me (?:puedes |podrias )?ayuda(?:s|r)",
    "me (?:puedes|podrias) ayudar(?! (?:a|con) (?!encontrar|buscar|elegir|escoger|comprar))",
    "que (?:me )?ofreces",
    "menu",
    "quien eres",
    "que eres",
    "eres (?:un )?(?:bot|robot|humano|persona|ia|inteligencia artificial)",
    "como te uso",
    "instrucciones de uso",
    "que servicios",
    "como te pregunto",
    "opciones del menu",
    "no entiendo (?:como|que|nada)",
    "(?:echar|echarme|echas|eches) (?:la|una) mano",
    "como (?:le hago para |puedo )?usar(?:te| esto| este chat| el chat| el bot)",
    "como (?:funciona|se usa) (?:este|esta|el) (?:chat|bot|app|servicio|asistente)",
    "como se usa esto",
  ])})\\b`);

/** "ayuda" alone or nearly: a request for help with this chat, not with anything else. */
export const SHORT_HELP = /^(?:necesito |quiero |me das |dame |una )?(?:ayuda|ayudame|ayudeme|me ayudas|help|auxilio)(?: (?:por favor|porfa|plis|pls))?$/;

/** Asking how this chat works, whatever subject words come along ("...no soy bueno con el teléfono"). */
export const HELP_WITH_CHAT =
  /\b(?:(?:como|explicar|explicas|explica|explicarme|explicame) (?:como )?funciona(?:s)? (?:esto|este chat|el chat|este bot|el bot|este servicio|este asistente)|como te uso|como se usa esto|no se (?:usar|como usar) (?:esto|este chat|el chat))\b/;

export const CLOSING_THANKS = /^(?:(?:ok|okay|perfecto|va|sale|listo|excelente|muy bien|orale)\s+)*(?:muchas |mil )?gracias\b/;

export const LEAVING =
  /\b(?:lo (?:analizo|pienso|platico|consulto|checo|reviso|comento)|(?:te|le) (?:aviso|escribo|marco)|(?:luego|despues) (?:te|le) (?:aviso|escribo|marco)|les (?:aviso|escribo|marco)|lo voy a pensar|voy a pensarlo|dios (?:lo|la|te|les) bendiga)\b|\S\s+saludos$/;

/** A question in the message: then it is not only thanks or a goodbye. */
export const QUESTION_WORDS = /\b(?:que(?! (?:dios|tenga|tengas|le vaya|te vaya|este bien|estes bien|pase|pases))|como|cuando|donde|cual|cuales|cuanto|cuanta|cuantos|puedo|pueden|tienen|hay|abren|cierran)\b/;

export const GREETING = /^(?:hola+|holi|ola|buenas|buenos dias|buen dia|buenas tardes|buenas noches|buenos? (?:dias|tardes|noches)|que tal|hey|hi|hello|saludos|que onda|quiubo|qiubo|quihubo|kiubo|quiubole|que hubo|q onda|k onda|que hay|alo|bonjour|hol)\b/;

export const THANKS = /\b(?:gracias|grax|grasias|thx|thanks|thank you|te lo agradezco|(?:le |te |se lo |se los )?agradezco|agradecemos|agradecid[oa]|muy amable|excelente servicio|mil gracias|se agradece|chido|genial|perfecto gracias)\b/;

export const GOODBYE = new RegExp(`\\b(?:${anyOf([
  "adios",
  "bye",
  "hasta luego",
  "nos vemos",
  "me despido",
  "hasta la proxima",
  "que (?:tenga|tengas|pase|pases) (?:muy )?(?:buen|buena|bonito|bonita|linda|lindo|excelente|feliz) (?:dia|tarde|noche|fin)",
  "chao",
  "chau",
  "hasta pronto",
  "me voy",
  "bai",
  "hasta manana",
  "cuidate",
  "que estes bien",
  "luego te escribo",
  "luego hablamos",
  "despues te escribo",
])})\\b`);

const AFFIRM_PHRASES = /^(?:si+|sip|simon|sii|claro|va|vale|dale|ok|okay|okey|oki|de acuerdo|perfecto|sale|orale|me parece|esta bien|por favor|porfa|bueno|correcto|exacto|eso|asi es|andale|a huevo|yes|afirmativo|si por favor|si gracias|si porfa|claro que si|va que va|me late|sale y vale|ese mero)$/;

const DENY_PHRASES = /^(?:no+|nel|nop|nope|no gracias|asi esta bien|ninguno|ninguna|para nada|negativo|no por ahora|ahorita no|todavia no|aun no|no me interesa|no me convence)$/;

export const AFFIRM = new RegExp(`${AFFIRM_PHRASES.source}|${AFFIRM_REPLY.source}`);

export const DENY = new RegExp(`${DENY_PHRASES.source}|${DENY_REPLY.source}`);
