/**
 * Where-is-Kavak questions answered from the structured sedes (knowledge/documents/sedes.yaml):
 * "¿tienen sucursal por Polanco?" → Antara Fashion Hall; "¿dónde están en Monterrey?" → both
 * Monterrey sedes with their addresses; "¿cuál me queda más cerca de Satélite?" → the nearest ones;
 * "¿en León?" → Kavak has no sede in León (Guanajuato; not Nuevo León), the nearest is in Querétaro.
 *
 * Only a question that is about a place and nothing else ("¿a qué hora abren en Santa Fe?" asks
 * for hours: the lexical search answers it) takes this path. Every text quoted comes from the
 * stored document sections or from sedes.yaml, whose fields are copies of them.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { distanceKm, findPlaces, type Place, type PlaceMention } from "./places.ts";
import { isStopword, normalizeText } from "./query-analysis.ts";
import type { StoredChunk } from "./knowledge-store.ts";

export interface Sede {
  readonly id: string;
  readonly name: string;
  /** "file.md#heading" of the section that states it. */
  readonly section: string;
  readonly metro: string;
  readonly city: string;
  readonly state: string;
  readonly zone: string;
  readonly address: string;
  readonly postalCode: string;
  readonly location: string | null;
  readonly hours: string | null;
  readonly areas: ReadonlyArray<string>;
  readonly services: ReadonlyArray<string>;
  readonly coordinates: readonly [number, number];
}

export interface Metro {
  readonly id: string;
  readonly name: string;
  readonly document: string;
}

export interface SedesData {
  readonly metros: ReadonlyArray<Metro>;
  readonly sedes: ReadonlyArray<Sede>;
}

export const SEDES_FILE = fileURLToPath(new URL("../documents/sedes.yaml", import.meta.url));

export const parseSedes = (raw: string): SedesData => {
  const data = parseYaml(raw) as { metros?: Metro[]; sedes?: Sede[] };
  const metros = data.metros ?? [];
  const sedes = (data.sedes ?? []).map((sede) => ({ ...sede, postalCode: String(sede.postalCode), areas: (sede.areas ?? []).map(normalizeText), services: sede.services ?? [] }));
  for (const sede of sedes) {
    if (!metros.some((m) => m.id === sede.metro)) throw new Error(`sede ${sede.id}: unknown metro ${sede.metro}`);
    if (!sede.section.includes("#") || sede.coordinates?.length !== 2) throw new Error(`sede ${sede.id}: needs section "file#heading" and coordinates`);
  }
  return { metros, sedes };
};

let cached: SedesData | undefined;
/** The shipped sedes file, read once. */
export const loadSedes = (): SedesData => (cached ??= parseSedes(readFileSync(SEDES_FILE, "utf8")));

/** Words a place question may have besides the place: "¿tienen alguna sucursal por Polanco?", "¿cuál me queda más cerca?". */
const LOCATION_WORDS = new Set(
  `sede sedes sucursal sucursales agencia agencias tienda tiendas oficina oficinas local locales lote lotes punto puntos
  ubicacion ubicaciones ubicados ubicadas ubicado ubicada direccion direcciones donde dond dnd queda quedan quedaria cerca
  cercana cercanas cercano cercanos proxima proximo kavak hay tienen tiene algo alguna alguno algun estan esta llego
  ir visitar verla verlo verlos verlas persona fisica fisicamente presencia zona ciudad colonia rumbo lado aca aqui alla
  vivo vive soy estoy trabajo chambeo cual cuales mas mejor exacta exacto instalaciones showroom pasar checar
  conocer estado municipio alcaldia delegacion area metropolitana acerca acercarme acercarse llegar mapa atienden sucu
  encuentro encuentran encontrar ubico ubican conviene mano`.split(/\s+/),
);

/** Words that say where is not the question: hours, a visit at home, delivery, buying steps. */
const OTHER_SUBJECT =
  /\b(horario|horarios|hora|horas|ora|abren|abre|cierran|cierra|abierto|domingos?|sabados?|festivos?|casa|domicilio|llevar|llevan|llevas|llevarlo|llevarla|traer|traen|traerlo|traerla|mandar|mandan|mandarlo|mandarla|enviar|envian|envio|envios|entrega|entregas|entregan|apartar|aparto|apartarlo|apartarla|garantia|credito|financiamiento|prueba|vender|compran|comprar|compro|app|aplicacion)\b/;

/** A where-cue: without one, a message naming a place and other things is not a where-question. */
const WHERE_CUE = /\b(sede|sedes|sucursal|sucursales|agencia|agencias|tienda|tiendas|oficina|oficinas|donde|dond|dnd|ubicacion|direccion|queda|hay kavak|kavak en|tienen en|tienen algo|cerca|cercan[oa]s?|me conviene)\b/;

const NEAREST = /\b(mas cerca|(cual|que sede|que sucursal) me conviene|mas a la mano|mas cercan[oa]s?|la mas proxima|el mas proximo|me queda|queda cerca|cerca de|cercan[oa]s? a)\b/;

/**
 * The place a where-question is about, when the question is about nothing else: the most
 * specific one named (a zone over its city, a city over its state).
 */
export const locationQuestion = (question: string): { readonly place: Place; readonly nearest: boolean } | undefined => {
  const mentions = findPlaces(question);
  if (mentions.length === 0) return undefined;
  const text = normalizeText(question);
  const tokens = text.split(" ").filter((t) => t !== "");
  const placeTokens = new Set(mentions.flatMap((m) => m.words.map((_, k) => m.start + k)));
  const rest = tokens.filter((t, i) => !placeTokens.has(i) && !isStopword(t) && !LOCATION_WORDS.has(t) && t.length > 1);
  // "me voy a vivir a Monterrey en enero, ¿tienen sucursal allá?": a story around a where-question is
  // fine; a question about something else that names a place ("¿a qué hora abren en Santa Fe?",
  // "¿me lo llevan a mi casa en Iztapalapa?") is not one.
  // "estoy como a una hora de Monterrey": a distance, not opening hours
  if (OTHER_SUBJECT.test(text.replace(/\b(una|dos|tres|cuatro|media|\d+) horas?\b/g, " "))) return undefined;
  if (rest.length > 0 && !WHERE_CUE.test(text)) return undefined;
  const rank = (m: PlaceMention) => ({ zone: 0, city: 1, state: 2, metro: 3 })[m.place.kind];
  const chosen = [...mentions].sort((a, b) => rank(a) - rank(b))[0]!;
  return { place: chosen.place, nearest: NEAREST.test(text) };
};

/**
 * Whether Kavak is there at all, for a place without a sede: "¿tienen autos en Tuxtla?", "¿venden en
 * Durango?", "¿hasta dónde hacen envíos? estoy en Mazatlán". Asked about a city with sedes, these
 * are questions about stock or delivery, not about a place.
 */
const AVAILABILITY_CUE =
  /\b(tienen|tiene|hay|venden|vende|manejan|llegan|llega|operan|opera|cubren|cubre|envios?|envian|mandan|autos|carros|coches|camionetas|trocas|kavak)\b/;
/** Subjects a no-sede availability question must not be about (then it is a question about them). */
const NOT_AVAILABILITY =
  /\b(horario|horarios|hora|horas|abren|cierran|domingos?|sabados?|casa|domicilio|garantia|credito|financiamiento|meses|mensualidad(es)?|prueba|vender|vendo|venderles|compran|app|aplicacion|precio|precios|cuesta|cuanto)\b/;

/**
 * The place of an availability question about a city or state that has no sede, when the message
 * names only that place and asks whether Kavak sells or delivers there.
 */
export const noSedeAvailabilityQuestion = (question: string, data: SedesData = loadSedes()): Place | undefined => {
  const mentions = findPlaces(question);
  if (mentions.length === 0) return undefined;
  const places = new Set(mentions.map((m) => m.place));
  if (places.size !== 1) return undefined;
  const place = mentions[0]!.place;
  if (place.metro !== undefined || (place.kind !== "city" && place.kind !== "state")) return undefined;
  const name = normalizeText(place.name);
  if (data.sedes.some((sede) => normalizeText(sede.city) === name || normalizeText(sede.state) === name)) return undefined;
  const text = normalizeText(question);
  return AVAILABILITY_CUE.test(text) && !NOT_AVAILABILITY.test(text) ? place : undefined;
};

/** A section found in the store, as "file#heading". */
const sectionOf = (chunks: ReadonlyArray<StoredChunk>, ref: string): StoredChunk | undefined => {
  const [source, heading] = ref.split("#", 2) as [string, string];
  return chunks.find((c) => c.source === source && c.heading === heading);
};

const addressLine = (sede: Sede) =>
  `- ${sede.name}: ${sede.address.replace(/\.$/, "")}. C.P. ${sede.postalCode}${sede.location ? ` (${sede.location})` : ""}.`;

export interface SedeAnswer {
  readonly source: string;
  readonly heading: string;
  readonly title: string;
  readonly topic: string;
  readonly reference: string | undefined;
  readonly text: string;
}

const fromChunk = (chunk: StoredChunk, text = `${chunk.heading}\n${chunk.body}`): SedeAnswer => ({
  source: chunk.source,
  heading: chunk.heading,
  title: chunk.title,
  topic: chunk.topic,
  reference: chunk.reference,
  text,
});

/** Sedes by straight-line distance; the second is kept when it is about as near as the first. */
const nearestSedes = (sedes: ReadonlyArray<Sede>, from: readonly [number, number]): ReadonlyArray<Sede> => {
  const byDistance = [...sedes].map((sede) => ({ sede, km: distanceKm(from, sede.coordinates) })).sort((a, b) => a.km - b.km);
  const [first, second] = byDistance;
  if (!first) return [];
  return second && second.km <= first.km * 1.5 + 2 ? [first.sede, second.sede] : [first.sede];
};

/**
 * The sedes a question names by their name or an area ("la dirección de Las Torres en Puebla",
 * "hay sede en coacalco?"). Words inside the longer name of another place do not count: "San
 * Pedro de los Pinos" names no San Pedro sede, "Hacienda Santa Fe" (Tlajomulco) no Santa Fe one.
 */
const sedesNamed = (question: string, sedes: ReadonlyArray<Sede>, mentions: ReadonlyArray<PlaceMention> = findPlaces(question)): ReadonlyArray<Sede> => {
  const tokens = normalizeText(question).split(" ").filter((t) => t !== "");
  const insideOtherPlace = (name: string, start: number, length: number) =>
    mentions.some((m) => m.start <= start && start + length <= m.start + m.words.length && m.words.length > length && !m.place.aliases.includes(name));
  const occurs = (name: string) => {
    const words = name.split(" ");
    return tokens.some((_, i) => words.every((w, k) => tokens[i + k] === w) && !insideOtherPlace(name, i, words.length));
  };
  return sedes.filter((sede) => [normalizeText(sede.name).replace(/^kavak /, ""), ...sede.areas].some((name) => name.length > 3 && occurs(name)));
};

/**
 * The answer to a where-question from the structured sedes, or undefined when the question is
 * not one (or the sedes documents are not in the store). The result names the section it
 * stands for, so provenance and evaluation see a document section as for any other answer.
 */
export const answerLocation = (question: string, chunks: ReadonlyArray<StoredChunk>, data: SedesData = loadSedes()): SedeAnswer | undefined => {
  const noSedePlace = noSedeAvailabilityQuestion(question, data);
  const asked = locationQuestion(question) ?? (noSedePlace ? { place: noSedePlace, nearest: false } : undefined);
  if (!asked) return undefined;
  const { place, nearest } = asked;
  const sedes = data.sedes.filter((sede) => sectionOf(chunks, sede.section) !== undefined);
  if (sedes.length === 0) return undefined;
  const one = (sede: Sede) => fromChunk(sectionOf(chunks, sede.section)!);
  // A sede named by its own name ("la dirección de Las Torres en Puebla"): that one.
  const named = sedesNamed(question, sedes);
  if (named.length === 1 && !nearest) return one(named[0]!);
  const list = (title: string, listed: ReadonlyArray<Sede>, anchor: StoredChunk): SedeAnswer =>
    listed.length === 1 && !nearest ? one(listed[0]!) : fromChunk(anchor, [title, ...listed.map(addressLine)].join("\n"));

  const placeWords = new Set([normalizeText(place.name), ...place.aliases]);
  const inPlace = sedes.filter((sede) => sede.areas.some((area) => placeWords.has(area)) || normalizeText(sede.city) === normalizeText(place.name));
  if (place.kind === "zone" && inPlace.length > 0 && !nearest) return list(`Sedes de Kavak en ${place.name}`, inPlace, sectionOf(chunks, inPlace[0]!.section)!);

  if (place.kind === "metro" && place.metro) {
    const metro = data.metros.find((m) => m.id === place.metro);
    const here = sedes.filter((sede) => sede.metro === place.metro);
    const intro = chunks.find((c) => c.source === metro?.document && c.heading === c.title);
    if (metro && here.length > 0 && intro) return list(`Sedes de Kavak en ${metro.name}`, here, intro);
  }
  if (place.kind === "state") {
    const here = sedes.filter((sede) => normalizeText(sede.state) === normalizeText(place.name));
    if (here.length > 0) return list(`Sedes de Kavak en ${place.name}`, here, sectionOf(chunks, here[0]!.section)!);
  }
  if (place.kind === "zone" || (nearest && (place.kind === "metro" || inPlace.length > 0))) {
    const candidates = inPlace.length > 0 ? inPlace : sedes;
    const closest = nearestSedes(candidates, place.coordinates);
    if (closest.length === 0) return undefined;
    const title = closest.length === 1 ? `La sede de Kavak más cercana a ${place.name}` : `Las sedes de Kavak más cercanas a ${place.name}`;
    return fromChunk(sectionOf(chunks, closest[0]!.section)!, [title, ...closest.map(addressLine)].join("\n"));
  }

  // A city or state with no sede: say so, name the cities that have one and the nearest sede.
  const noSede = chunks.find((c) => c.source === "red-de-sedes.md" && /sin sede/i.test(c.heading));
  if (!noSede) return undefined;
  const [closest] = nearestSedes(sedes, place.coordinates);
  const cities = data.metros.map((m) => m.name.replace(/ \(.*\)$/, "").replace(/ y su área metropolitana$/, "")).join(", ").replace(/, ([^,]*)$/, " y $1");
  const digital = /Aun así[^\n]*(?:\n[^\n]+)*/.exec(noSede.body)?.[0]?.replace(/\s*\n\s*/g, " ");
  const where = place.kind === "state" || place.state === place.name ? place.name : `${place.name} (${place.state})`;
  const lines = [
    `No hay una sede de Kavak en ${place.name}`,
    `En ${where} no hay una sede publicada de Kavak: las sedes están en ${cities}.`,
    ...(closest ? [`La más cercana a ${place.name} es ${closest.name} (${closest.city}): ${closest.address.replace(/\.$/, "")}. C.P. ${closest.postalCode}.`] : []),
    ...(digital ? [digital] : []),
  ];
  return fromChunk(noSede, lines.join("\n"));
};

/** Street types and directions around a street's own name in an address ("Av. Adolfo López Mateos Norte 1133"). */
const STREET_AFFIXES = /^(av|avenida|blvd|boulevard|calle|calz|calzada|periferico|carretera|esquina)\s+|\s+(norte|sur|oriente|poniente)$/g;

/**
 * The streets of a sede's address (copied from its document), normalized, without street type or
 * number: "Av. Adolfo López Mateos Norte 1133" gives "adolfo lopez mateos" and "lopez mateos".
 */
export const streetsOf = (sede: Sede): ReadonlyArray<string> =>
  sede.address.split(/,|\besquina\b/).flatMap((segment) => {
    // a street has a number or a street type; the other parts are the colonia, city and state
    if (!/\d/.test(segment) && !/^\s*(av|avenida|blvd|boulevard|calle|calz|calzada|periferico|carretera)\b/i.test(normalizeText(segment))) return [];
    let name = normalizeText(segment).replace(/\b\d[\d-]*\b/g, " ").replace(/\s+/g, " ").trim();
    for (let previous = ""; previous !== name; ) [previous, name] = [name, name.replace(STREET_AFFIXES, "").trim()];
    const words = name.split(" ").filter((w) => w !== "");
    // a street needs a name of its own; its last two words alone are how people often say it ("López Mateos")
    if (words.join(" ").length < 6 || /^(col|colonia)\b/.test(name)) return [];
    return words.length > 2 && words.at(-2)!.length > 3 ? [name, words.slice(-2).join(" ")] : [name];
  });

/**
 * The one sede a question is about, when its place leaves no doubt: a sede named by its name, an
 * area of it or a street of its address (a street only together with its city: López Mateos or
 * Revolución are avenues in several cities), or a city or zone with a single sede.
 */
export const singleSedeOf = (question: string, data: SedesData = loadSedes()): Sede | undefined => {
  const text = ` ${normalizeText(question)} `;
  const mentions = findPlaces(question);
  const metros = new Set(mentions.map((m) => m.place.metro).filter((m) => m !== undefined));
  const byName = sedesNamed(question, data.sedes, mentions);
  if (byName.length === 1) return byName[0];
  const byStreet = data.sedes.filter((sede) => metros.has(sede.metro) && streetsOf(sede).some((street) => text.includes(` ${street} `)));
  if (byStreet.length === 1) return byStreet[0];
  if (byName.length > 1 || byStreet.length > 1 || metros.size !== 1) return undefined;
  const [metro] = metros;
  const here = data.sedes.filter((sede) => sede.metro === metro);
  return here.length === 1 ? here[0] : undefined;
};

/** A detail of one sede: where inside the mall, the floor, the postal code, the exact address, its hours. */
const SEDE_DETAIL =
  /\b(piso|nivel|sotano|estacionamiento|en que parte (de la plaza|del centro comercial|del mall|de la plaza comercial)|codigo postal|cp|c p|direccion exacta|(a|hasta) (que|q) hora|horario|abre|cierra)\b/;
/** Subjects that make it a question about something else than the sede. */
const NOT_SEDE_DETAIL = /\b(casa|domicilio|garantia|credito|financiamiento|meses|prueba|vender|vendo|app|aplicacion|precio|precios|cuesta|cuantas|cuantos|cuales|todas|domingos?|sabados?|festivos?|navidad)\b/;

/** Whether a question asks one sede's details (floor, postal code, hours); tells without the sections. */
export const asksSedeDetail = (question: string): boolean => {
  const text = normalizeText(question);
  return SEDE_DETAIL.test(text) && !NOT_SEDE_DETAIL.test(text);
};

/**
 * "¿En qué piso del estacionamiento está la de Qro?", "código postal de la de López Mateos en GDL":
 * a detail of one sede is answered by that sede's own section, not by its city's overview.
 */
export const sedeDetailSection = (question: string, chunks: ReadonlyArray<StoredChunk>, data: SedesData = loadSedes()): SedeAnswer | undefined => {
  if (!asksSedeDetail(question)) return undefined;
  const sede = singleSedeOf(question, data);
  const section = sede && sectionOf(chunks, sede.section);
  return section ? fromChunk(section) : undefined;
};
