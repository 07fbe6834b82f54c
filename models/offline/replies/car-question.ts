/** A direct answer to "¿tiene bluetooth?", "¿es automático?", "¿cuántos km tiene?" about one car. */
import type { CarCard } from "../../../tools/contracts.ts";
import { normalize } from "../nlu/normalize.ts";
import { carTitle, statedSeats } from "./cards.ts";
import { kilometres, pesos } from "./format.ts";

const equipment = (value: boolean | null, name: string, title: string): string =>
  value === true ? `Sí, el *${title}* tiene ${name} ✅` : value === false ? `No, el *${title}* no tiene ${name}.` : `El catálogo no confirma si el *${title}* tiene ${name}; un asesor te lo puede verificar.`;

/** "el que tiene menos km", "del más barato": how the car was picked, not what is asked about it. */
const PICKED_BY = /\b(?:el|la|del|al|y|con|(?:y )?(?:que|q) (?:tiene|tenga|trae|traiga))(?: (?:que|q) (?:tiene|tenga|trae))? (?:mas|menos) (?:km|kms|kilometros|kilometraje|recorrido|barat[oa]|car[oa]|nuev[oa]|recientes?)\b/g;

/** What the catalog does not record: said plainly instead of guessed. */
const NOT_IN_CATALOG: ReadonlyArray<readonly [RegExp, (title: string) => string]> = [
  [/\bcolor(?:es)?\b/, (t) => `No tengo registrado el color del *${t}*`],
  [/\bduenos?\b/, (t) => `No tengo registrado el número de dueños del *${t}*`],
  [/\b(?:chocado|choques?|historial|siniestr\w*)\b/, (t) => `No tengo registrado el historial de choques del *${t}*`],
  [/\b(?:quemacocos|sensores|camara|piel|pantalla|equipamiento|isofix|anclajes?|bolsas de aire|abs)\b/, (t) => `No tengo registrado ese detalle del equipamiento del *${t}*`],
  [/\b(?:cajuela|maletero|capacidad de carga)\b/, (t) => `No tengo registrada la capacidad de la cajuela del *${t}*`],
  [/\b(?:donde esta|fisicamente|ubicacion|en que (?:sede|ciudad))\b/, (t) => `No tengo registrada la sede donde está el *${t}*`],
];

/**
 * The answer line, or undefined when the message asks nothing this card can answer. Seats come only
 * with a car's details (`seats` present): asked with a search card alone, the caller fetches them.
 */
export const answerCarQuestion = (car: CarCard & { readonly seats?: number | null }, question: string): string | undefined => {
  const q = normalize(question).replace(PICKED_BY, " ");
  const title = carTitle(car);
  if (/\b(?:bluetooth|bt|blutooth|bluetoot)\b/.test(q)) return equipment(car.bluetooth, "Bluetooth", title);
  if (/\bcar ?play\b/.test(q)) return equipment(car.carPlay, "CarPlay", title);
  if (/\b(?:automatic[oa]|estandar|manual|transmision|cvt)\b/.test(q))
    return car.transmission === null
      ? `El catálogo no confirma la transmisión del *${title}* (versión ${car.version}).`
      : `El *${title}* es ${car.transmission === "automatica" ? "automático" : "estándar"} (versión ${car.version}).`;
  if (/\b(?:km|kms|kilometros|kilometraje|recorrido)\b/.test(q)) return `El *${title}* tiene ${kilometres(car.km)}.`;
  if (/\b(?:cuanto cuesta|cuanto vale|precio|en cuanto)\b/.test(q)) return `El *${title}* cuesta *${pesos(car.price)}*.`;
  if (/\b(?:pasajeros|asientos|lugares|familiar|plazas)\b/.test(q)) {
    if (!("seats" in car)) return undefined;
    const seats = statedSeats(car);
    return seats === undefined
      ? `El catálogo no registra cuántos pasajeros lleva el *${title}*; un asesor te lo puede confirmar.`
      : `Según su versión (${car.version}), el *${title}* es de ${seats} pasajeros${seats >= 7 ? ", buena opción para familia" : ""}.`;
  }
  if (/\b(?:medidas|dimensiones|mide|largo|ancho|altura)\b/.test(q) && "lengthMm" in car) {
    const m = car as { lengthMm?: number | null; widthMm?: number | null; heightMm?: number | null };
    return m.lengthMm == null || m.widthMm == null || m.heightMm == null
      ? `El catálogo no tiene las medidas del *${title}*; un asesor te las puede confirmar.`
      : `El *${title}* mide ${m.lengthMm.toLocaleString("en-US")} × ${m.widthMm.toLocaleString("en-US")} × ${m.heightMm.toLocaleString("en-US")} mm (largo × ancho × alto).`;
  }
  if (/\b(?:4x4|awd|4wd|traccion)\b/.test(q)) {
    const drive = car.version.match(/\b(?:4x4|4wd|awd)\b/i)?.[0];
    return drive !== undefined
      ? `Sí, el *${title}* es ${drive.toUpperCase()} (versión ${car.version}).`
      : `La versión del *${title}* (${car.version}) no indica tracción 4x4; un asesor te lo puede confirmar.`;
  }
  if (/\b(?:version|motor)\b/.test(q)) return `El *${title}* es la versión ${car.version}.`;
  for (const [re, say] of NOT_IN_CATALOG) if (re.test(q)) return `${say(title)}; un asesor te lo puede confirmar.`;
  if (/\b(?:que (?:ano|modelo)|ano es|modelo es)\b/.test(q)) return `El *${title}* es modelo ${car.year} (versión ${car.version}).`;
  return undefined;
};

const DETAILS_ONLY = /\b(?:medidas|dimensiones|mide|largo|ancho|altura|pasajeros|asientos|lugares|plazas)\b/;

/** "¿cuánto cuesta y cuántos km tiene?": every question of the message answered, one line each. */
export const answerCarQuestions = (car: CarCard & { readonly seats?: number | null }, question: string): string | undefined => {
  const parts = question.split(/[?¿;\n]+/).flatMap((q) => normalize(q).split(/\s*(?:,|;| y (?=(?:cuanto|cuantos|cuantas|que|tiene|trae|es|de que|cual|en cuanto|su|el|la)\b)| ademas | tambien )\s*/)).filter((p) => p !== "");
  if (parts.length <= 1) return answerCarQuestion(car, question);
  const lines: string[] = [];
  for (const part of parts) {
    const line = answerCarQuestion(car, part);
    // measures or seats asked with a search card only: the caller fetches the details and asks again
    if (line === undefined && DETAILS_ONLY.test(part) && !("lengthMm" in car)) return undefined;
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return lines.length === 0 ? answerCarQuestion(car, question) : lines.join("\n");
};
