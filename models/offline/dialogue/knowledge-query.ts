/**
 * What to ask the knowledge base. A follow-up that names no subject of its own ("¿y cuánto dura?")
 * carries the previous question's subject along; one that names another place ("¿y en Puebla?")
 * keeps the subject but not the old place, or retrieval would answer about the old one again.
 */
import { findCarMention } from "../nlu/car-mention.ts";
import { findKavakTopics } from "../nlu/kavak-topics.ts";
import { expandShorthand, normalize, words } from "../nlu/normalize.ts";
import { findPlace } from "../nlu/places.ts";
import { isElliptical } from "./in-context.ts";

const MAX_QUERY = 500;

const withoutPlaces = (normalized: string): string => {
  let text = normalized;
  for (let place = findPlace(text); place !== undefined; place = findPlace(text)) {
    const skip = place.tokens;
    text = words(text).filter((_, i) => !skip.includes(i)).join(" ");
  }
  return text;
};

/**
 * "es un Aveo 2014 con 140 mil km, ¿cuánto me darían?": the user's own car's make, year and
 * kilometres are in no Kavak document; asked as they are, they only dilute the question.
 */
const UNITS = new Set(["km", "kms", "kilometros", "mil", "pesos", "modelo"]);
const withoutCarDetails = (text: string): string => {
  const plain = expandShorthand(normalize(text));
  const car = findCarMention(plain);
  if (car.tokens.length === 0 && !/\d/.test(plain)) return text;
  // the car's name becomes "auto" ("mi Jetta 2015 a cuenta" → "mi auto a cuenta")
  const kept = words(plain)
    .map((w, i) => (i === car.tokens[0] ? "auto" : car.tokens.includes(i) ? "" : w))
    .filter((w) => w !== "" && !/^\d/.test(w) && !UNITS.has(w));
  return kept.length > 0 ? kept.join(" ") : text;
};

/** "vivimos por polanco": where the customer is, with no other subject, asks for the nearest sede. */
const nearPlace = (text: string): string | undefined => {
  const current = expandShorthand(normalize(text));
  if (findKavakTopics(current).length > 0 || !/\b(?:vivo|vivimos|estoy|estamos|trabajo|trabajamos|soy de|somos de|ando|andamos|por)\b/.test(current)) return undefined;
  const place = findPlace(current);
  return place === undefined ? undefined : `sedes de Kavak cerca de ${place.place}`;
};

export const knowledgeQuery = (text: string, previous: string | undefined): string => {
  const near = nearPlace(text);
  if (near !== undefined) return near;
  const own = withoutCarDetails(text.trim()).slice(0, MAX_QUERY);
  if (previous === undefined || !isElliptical(text)) return own;
  const current = expandShorthand(normalize(text));
  if (findKavakTopics(current).length > 0) return own;
  const before = expandShorthand(normalize(previous));
  const carried = findPlace(current) === undefined ? before : withoutPlaces(before);
  return `${carried} ${own}`.slice(-MAX_QUERY).trim();
};
