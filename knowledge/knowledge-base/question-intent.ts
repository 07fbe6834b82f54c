/**
 * What kind of answer a question asks for: "¿qué es Kavak?" wants a definition, "¿cuánto dura la
 * garantía?" a duration, "¿dónde están?" a place, "¿qué pasa si no me gusta?" what happens in a
 * case. Sections declare the kinds they answer (`answers:` metadata in the documents); the
 * reranker prefers sections that answer the kind asked. Pure.
 */
import { normalizeText } from "./query-analysis.ts";

export const QUESTION_KINDS = [
  "definition",
  "duration",
  "quantity",
  "cost",
  "location",
  "hours",
  "possibility",
  "process",
  "requirements",
  "condition",
  "list",
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Cues on the normalized question (accents folded, lower case, punctuation as spaces). */
const CUES: ReadonlyArray<readonly [QuestionKind, RegExp]> = [
  ["definition", /\b(q|que) (es|son|significa|onda con)\b|\ben que consiste|\bde que (se )?trata|\ba que se dedica|\bquien(es)? (es|son)\b|\bquienes son\b|\bque hacen\b|\bque tipo de (empresa|compania|negocio)/],
  ["duration", /\bcuant[oa]s? (dura|duran|tiempo|dias|meses|semanas|anos)\b|\bde cuant[oa] (es|son|tiempo)\b|\bpor cuanto tiempo\b|\bhasta cuando\b|\bcuanto (tarda|tardan|demora|demoran)\b|\bcuanto me (dura|cubre)\b|\b(dura|duracion|vigencia)\b/],
  ["quantity", /\bcuant[oa]s (sedes?|sucursal(es)?|agencias?|tiendas?|centros?|ofertas?|pasos|puntos|servicios|opciones|kilometros|km)\b|\bcuantos? kms?\b|\bcuantos kilometros\b/],
  ["cost", /\bcuanto (cuesta|cuestan|sale|salen|cobran|cobra|vale|valen|pago|pagaria|me (dan|darian|pagan|pagarian|ofrecen|cobran))\b|\b(precio|costo|tasa|interes|intereses|cat)\b|\bde cuanto (es|seria) (el|la) (enganche|tasa|interes)/],
  ["location", /\b(donde|dnd|dond)\b|\b(direccion|ubicacion|ubicad[oa]s?|domicilio de la)\b|\ben que (parte|zona|colonia|ciudad|ciudades|estado|lugar)\b|\bcomo llego\b|\b(queda|quedan|me queda) (cerca|lejos|mas cerca)\b|\bmas cerca\b/],
  ["hours", /\b(a|hasta) (que|q) hora\b|\bhorario|\b(abren|abre|cierran|cierra|abierto|abierta)\b/],
  ["possibility", /\b(puedo|podria|podemos|se puede|se pueden|pueden|aceptan|acepta|reciben|me dejan|es posible|hay manera|hay forma|se vale|tienen|hay|incluye|incluyen|manejan|dan|ofrecen)\b/],
  ["process", /\bcomo (funciona|funcionan|le hago|hago|es el proceso|se hace|compro|vendo|se|le|lo|puedo|me)\b|\b(pasos|proceso|procedimiento)\b|\bque (tengo que|debo) hacer\b|\bque hago\b/],
  ["requirements", /\bque (necesito|ocupo|piden|me piden|requiero|se necesita|documentos|papeles|requisitos)\b|\b(requisitos|documentos|documentacion|papeles|papeleria)\b/],
  ["condition", /\bque pasa (si|cuando|con)\b|\b(y )?si (no|ya|me|el|la|lo|mi|despues|luego|sale|resulta|algo)\b|\ben caso de\b|\bsi me arrepiento\b/],
  ["list", /\bcuales son\b|\bque (opciones|servicios|cosas|ofertas|planes|beneficios|ventajas)\b|\bpara que sirve\b|\bque (puedo|se puede) hacer\b|\bque incluye\b/],
];

/** Naming a branch says "where" only when nothing else is asked: "¿cuántas sucursales?" asks a count. */
const BRANCH_NOUN = /\b(sucursal|sucursales|sede|sedes|agencia|agencias|tienda|tiendas|oficina|oficinas)\b/;

/** The kinds a question asks for (several when it is ambiguous), in the order of CUES. */
export const questionKinds = (question: string): ReadonlyArray<QuestionKind> => {
  const text = ` ${normalizeText(question)} `;
  const kinds = CUES.filter(([, cue]) => cue.test(text)).map(([kind]) => kind);
  if (!kinds.includes("location") && BRANCH_NOUN.test(text) && !kinds.some((k) => SPECIFIC_KINDS.has(k))) kinds.push("location");
  // "¿cuántos días de prueba?" asks a duration, not a count; "¿cuántas sedes?" a count, not a duration.
  if (kinds.includes("duration") && kinds.includes("quantity")) return kinds.filter((k) => (/\bcuant[oa]s? (dias|meses|tiempo|semanas|anos)\b/.test(text) ? k !== "quantity" : k !== "duration"));
  return kinds;
};

/**
 * Kinds that single out a section (a definition, a duration, a place...). "possibility" and
 * "process" are asked of almost anything ("¿puedo...?", "¿cómo...?") and weigh less.
 */
export const SPECIFIC_KINDS: ReadonlySet<QuestionKind> = new Set(["definition", "duration", "quantity", "cost", "location", "hours", "requirements", "condition", "list"]);

/** How well a section's declared kinds answer the kinds asked: 1 for a specific kind, 0.5 for a generic one, 0 for none. */
export const kindMatch = (asked: ReadonlyArray<QuestionKind>, answers: ReadonlyArray<string>): number => {
  let best = 0;
  for (const kind of asked) if (answers.includes(kind)) best = Math.max(best, SPECIFIC_KINDS.has(kind) ? 1 : 0.5);
  return best;
};
