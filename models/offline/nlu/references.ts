/**
 * Pointers back at cars already shown: "el segundo", "la 3", "el último", "ese", "el de 2020",
 * "el más barato de esos". A model name ("el Versa") stays a plain model slot that the dialogue
 * matches against the cars shown.
 */
import type { CarReference } from "./types.ts";
import { anyOf, regExpAnyOf } from "./alternation.ts";

const ORDINALS: ReadonlyArray<readonly [RegExp, number]> = [
  [/\b(?:el|la|al|del|opcion|auto|carro|coche) (?:primer|primero|primera|1ro|1ero|1er|1ra)\b(?! (?:vez|mes|ano|dia|semana|pago|mensualidad))|(?<!\b(?:mi|su|tu|es mi|nuestro|nuestra) )\b(?:primer|primero|primera) (?:auto|carro|coche|opcion|que|de la lista)\b|^(?:el )?(?:primero|primera)$/, 1],
  [/\b(?:segundo|segunda|2do|2da)\b/, 2],
  [/\b(?:tercer|tercero|tercera|3ro|3er|3ra)\b/, 3],
  [/\b(?:cuarto|cuarta|4to|4ta)\b/, 4],
  [/\b(?:quinto|quinta|5to|5ta)\b/, 5],
  [/\b(?:el|la|al|del) (?:ultimo|ultima)\b(?! (?:precio|modelo|oferta|plazo))|\b(?:el|la|del)(?: que (?:quedo|esta|salio|aparece|viene|sale))? (?:de )?(?:hasta |mero |mas )?abajo\b/, -1],
  [/\b(?:penultimo|penultima)\b/, -2],
];

/** "(stock 283547)": a car named by its stock id (the widget's card buttons send it); the number is no amount. */
export const findStockMention = (normalized: string): { readonly reference: CarReference; readonly rest: string } | undefined => {
  const match = /\bstock (?:id |no |num |numero )?(\d{3,9})\b/.exec(normalized);
  if (match === null) return undefined;
  const rest = `${normalized.slice(0, match.index)} ${normalized.slice(match.index + match[0].length)}`.replace(/\s+/g, " ").trim();
  return { reference: { kind: "stock", stockId: Number(match[1]) }, rest };
};

const NUMBER_WORDS: Record<string, number> = { uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10 };

const SUPERLATIVE_OF_SHOWN =
  /\b(?:de (?:esos|esas|estos|estas|ellos|ellas|los que|las que|la lista|las opciones|los anteriores|todos)|que me (?:mostraste|ensenaste|pasaste|enviaste|mandaste))\b/;

/** "ese", "esta camioneta", "me lo llevo", "el que me mostraste": pointing at the car being talked about. */
const THIS_ONE = regExpAnyOf([
  `\\b(?:${anyOf([
    "esta (?:camioneta|opcion|nave|troca|version|unidad)",
    `(?:ese|esa|este|aquel|aquella)(?! (?:${anyOf([
      "mism[oa] (?:mensualidad|cantidad|pago|plazo|enganche|precio)",
      "mas",
      "muy",
      "bien",
      "mal",
      "listo",
      "lista",
      "disponible",
      "barato",
      "barata",
      "caro",
      "cara",
      "mejor",
      "chat",
      "bot",
      "mes",
      "ano",
      "dia",
      "semana",
      "momento",
      "tema",
      "asunto",
      "caso",
      "lugar",
      "sitio",
      "numero",
      "plazo",
      "enganche",
      "servicio",
      "asistente",
      "rollo",
      "dato",
      "link",
      "mensaje",
      "correo",
      "horario",
      "precio",
    ])}))`,
    "(?:ese mismo|esa misma|el mismo|la misma)(?! (?:mensualidad|cantidad|pago|plazo|enganche|precio))",
    "dicho auto",
    "me lo llevo",
    "lo quiero",
    "la quiero",
  ])})\\b`,
  `\\b(?:el|la|ese|esa)(?: \\w+){0,3} que me (?:${anyOf([
    "mostraste",
    "ensenaste",
    "pasaste",
    "dijiste",
    "recomendaste",
    "mandaste",
    "enviaste",
    "mostro",
    "enseno",
    "paso",
    "mando",
    "envio",
    "recomendo",
  ])})\\b`,
]);

export const findReference = (normalized: string): CarReference | undefined => {
  for (const [re, index] of ORDINALS) if (re.test(normalized)) return { kind: "ordinal", index };
  const numbered =
    normalized.match(
      /\b(?:el|la|del|al|opcion|numero|num|#)\s*(?:numero\s*|#\s*)?(10|[1-9]|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)\b(?!\s*(?:mil|k\b|%|meses|mes|anos|ano|pesos|millon|de enganche|por ciento|pasajeros|asientos|plazas|lugares|personas))/,
    ) ?? normalized.match(/^(?:y )?(10|[1-9])(?: porfa| por favor)?$/);
  if (numbered !== null) return { kind: "ordinal", index: NUMBER_WORDS[numbered[1]!] ?? Number(numbered[1]) };
  const year = normalized.match(/\b(?:el|la|los|las|ese|esa|del|al)\s+(?:(?:auto|carro|coche|camioneta|vehiculo|sedan|suv)\s+)?(?:del?|modelo)\s+(19[89]\d|20[0-3]\d)\b/);
  if (year !== null) return { kind: "year", year: Number(year[1]) };
  if (SUPERLATIVE_OF_SHOWN.test(normalized) || /^(?:y )?(?:el|la|cual es el|cual es la|dame el|dame la|cual|cual es)(?: de| que tiene| que tenga| tiene)? (?:mas|menos) \w+$/.test(normalized)) {
    if (/\bmas (?:baratos?|baratas?|economicos?|economicas?|accesibles?)\b/.test(normalized)) return { kind: "cheapest" };
    if (/\bmas (?:caros?|caras?)\b/.test(normalized)) return { kind: "priciest" };
    if (/\bmas (?:nuevos?|nuevas?|recientes?)\b/.test(normalized)) return { kind: "newest" };
    if (/\bmenos (?:kilometros|kilometraje|km|kms|recorrido)\b/.test(normalized)) return { kind: "least_km" };
  }
  if (THIS_ONE.test(normalized)) return { kind: "this" };
  return undefined;
};
