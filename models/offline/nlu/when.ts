/**
 * Whether a message states a day or a time for an appointment ("mañana a las 11", "el sábado en la
 * mañana", "el 15 a las 4", "a las 12"), and which part of it does. The appointment tool reads the
 * words itself against the dealer's clock; the model only passes them on.
 */
import { normalize } from "./normalize.ts";

const DAY = String.raw`(?:hoy|pasado manana|manana(?! en la)|lunes|martes|miercoles|jueves|viernes|sabado|domingo|(?:el|dia) \d{1,2}(?: de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre))?|\d{1,2} de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|\d{4}-\d{2}-\d{2}(?:t\d{2}:\d{2})?)`;
const TIME = String.raw`(?:a las? \d{1,2}(?:[:.]\d{2})?(?: y (?:media|cuarto))?(?: ?(?:am|pm|hrs?|horas))?|\d{1,2}:\d{2}|\d{1,2} ?(?:am|pm)|mediodia|(?:en|por) la (?:manana|tarde|noche)|temprano)`;

const DAY_RE = new RegExp(`\\b${DAY}\\b`);
const TIME_RE = new RegExp(`\\b${TIME}\\b`);

export const mentionsDay = (text: string): boolean => DAY_RE.test(normalize(text));
export const mentionsTime = (text: string): boolean => TIME_RE.test(normalize(text));
export const mentionsWhen = (text: string): boolean => mentionsDay(text) || mentionsTime(text);

/** From the first day or time word to the end of that phrase: "mañana a las 11" out of "agéndame mañana a las 11 porfa". */
export const whenPhrase = (text: string): string | undefined => {
  const plain = normalize(text);
  const day = plain.match(DAY_RE);
  const time = plain.match(TIME_RE);
  const starts = [day, time].filter((m): m is RegExpMatchArray => m !== null).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  if (starts.length === 0) return undefined;
  const start = Math.min(...starts.map((s) => s.start));
  const end = Math.max(...starts.map((s) => s.end));
  // "el sábado en la mañana" / "mañana a las 11 de la mañana": take a following part of the day too
  const tail = plain.slice(end).match(/^(?: de la (?:manana|tarde|noche)| en la (?:manana|tarde|noche)| pm| am)/);
  return plain.slice(start, end + (tail?.[0].length ?? 0)).trim();
};
