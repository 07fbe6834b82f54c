/**
 * Short replies made of a few chat words: "simon, dale", "nel, gracias", "ya no, cancela", "si
 * porfavor". A message whose every word belongs to one kind of reply (plus politeness fillers) is
 * that reply; when kinds mix, cancelling wins over declining, and declining over agreeing.
 */
const CANCEL = ["cancela", "cancelar", "cancelalo", "cancelala", "cancelemos", "ya no", "ya no quiero", "olvidalo", "olvidalo todo", "reset", "resetea", "reinicia", "reiniciar", "basta", "detente", "stop", "dejalo", "dejalo asi", "mejor no"];
const DENY = ["no", "nel", "nel pastel", "nop", "ese no", "esa no", "ese no me convence", "esa no me convence", "no me gusta", "ese tampoco", "esa tampoco", "muy caro", "sale muy caro", "esta muy caro", "sale caro", "esta muy alto", "muy alto", "esta alto", "esta caro", "nope", "nanay", "negativo", "ninguno", "ninguna", "para nada", "asi esta bien", "ahorita no", "todavia no", "aun no", "por ahora no", "no por ahora", "no me interesa", "no me convence", "tampoco", "de momento no", "ninguno me latio", "ninguno me gusto", "ninguno me convence", "ninguno me late", "ninguno me interesa", "ninguna me late", "ninguna me interesa", "ninguna me gusta", "ninguno me gusta", "no me latio", "no me gusto", "por el momento no", "no por el momento", "por ahora no", "no de momento"];
const AFFIRM = ["si", "sip", "simon", "claro", "claro que si", "va", "vale", "dale", "ok", "okay", "okey", "oki", "sale", "orale", "bueno", "perfecto", "correcto", "exacto", "andale", "de acuerdo", "me parece", "esta bien", "asi es", "me late", "yes", "afirmativo", "eso", "por supuesto", "obvio", "a huevo", "ese mero", "va que va", "sale y vale", "listo", "adelante", "venga", "porfa si", "ta bien", "sta bien", "jalo", "va jalo", "sobres", "arre", "si senorita", "si senor", "si joven"];
const POLITE = ["por favor", "porfa", "pls", "plis", "please", "mejor", "entonces", "pues", "oye", "bro", "amigo", "amiga", "ya", "senorita", "senor", "joven", "muchacho", "muchacha", "mijo", "mija"];

const alternation = (phrases: ReadonlyArray<string>) => [...phrases].sort((a, b) => b.length - a.length).join("|");

/** The whole message is phrases of `kind` and fillers, with at least one phrase of `kind`. */
const madeOf = (kind: ReadonlyArray<string>, fillers: ReadonlyArray<string>): RegExp =>
  new RegExp(`^(?=(?:.* )?(?:${alternation(kind)})(?: |$))(?:(?:${alternation([...kind, ...fillers])})(?: |$))+$`);

/** On normalised text (punctuation already spaces). Check in this order: cancel, deny, affirm. */
export const CANCEL_REPLY = madeOf(CANCEL, [...POLITE, ...DENY, ...AFFIRM, "gracias", "todo", "eso"]);
export const DENY_REPLY = madeOf(DENY, [...POLITE, "gracias", "asi", "el precio"]);
export const AFFIRM_REPLY = madeOf(AFFIRM, [...POLITE, "todo", "todos", "todas"]);
