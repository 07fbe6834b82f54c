/** A direct answer to "¿tiene bluetooth?", "¿es automático?", "¿cuántos km tiene?" about one car. */
import type { CarCard } from "../../../../tools/contracts.ts";
import { normalize } from "../nlu/normalize.ts";
import { carTitle } from "./cards.ts";
import { kilometres, pesos } from "./format.ts";

const equipment = (value: boolean | null, name: string, title: string): string =>
  value === true ? `Sí, el *${title}* tiene ${name} ✅` : value === false ? `No, el *${title}* no tiene ${name}.` : `El catálogo no confirma si el *${title}* tiene ${name}; un asesor te lo puede verificar.`;

/** The answer line, or undefined when the message asks nothing specific. */
export const answerCarQuestion = (car: CarCard, question: string): string | undefined => {
  const q = normalize(question);
  const title = carTitle(car);
  if (/\b(?:bluetooth|bt|blutooth|bluetoot)\b/.test(q)) return equipment(car.bluetooth, "Bluetooth", title);
  if (/\bcar ?play\b/.test(q)) return equipment(car.carPlay, "CarPlay", title);
  if (/\b(?:automatic[oa]|estandar|manual|transmision|cvt)\b/.test(q))
    return car.transmission === null
      ? `El catálogo no confirma la transmisión del *${title}* (versión ${car.version}).`
      : `El *${title}* es ${car.transmission === "automatica" ? "automático" : "estándar"} (versión ${car.version}).`;
  if (/\b(?:km|kms|kilometros|kilometraje|recorrido)\b/.test(q)) return `El *${title}* tiene ${kilometres(car.km)}.`;
  if (/\b(?:cuanto cuesta|cuanto vale|precio|en cuanto)\b/.test(q)) return `El *${title}* cuesta *${pesos(car.price)}*.`;
  if (/\b(?:version)\b/.test(q)) return `Es la versión ${car.version}.`;
  if (/\b(?:que (?:ano|modelo)|ano es|modelo es)\b/.test(q)) return `El *${title}* es modelo ${car.year} (versión ${car.version}).`;
  return undefined;
};
