/**
 * Mexican places people name when they ask where Kavak is ("dond stan en monterrey", "y en puabla?",
 * "tienen algo por alvaro obregon"): states, large cities, metropolitan municipalities, Mexico City
 * boroughs and a few well-known zones, with the abbreviations people type. General geography only:
 * which of them have a Kavak branch is the knowledge base's business, never this list's.
 */
import { editDistance } from "../../../lib/edit-distance.ts";
import { COMMON_WORDS } from "./common-words.ts";
import { words } from "./normalize.ts";

const PLACES: ReadonlyArray<string> = `
  aguascalientes|baja california|campeche|chiapas|chihuahua|coahuila|colima|durango|guanajuato|guerrero|hidalgo|jalisco
  estado de mexico|edomex|edo mex|michoacan|morelos|nayarit|nuevo leon|oaxaca|puebla|queretaro|quintana roo|san luis potosi
  sinaloa|sonora|tabasco|tamaulipas|tlaxcala|veracruz|yucatan|zacatecas|ciudad de mexico|cdmx|df|mexico df
  monterrey|guadalajara|tijuana|leon|ciudad juarez|juarez|merida|cancun|toluca|acapulco|cuernavaca|saltillo|hermosillo
  culiacan|mexicali|morelia|torreon|villahermosa|xalapa|jalapa|tuxtla|pachuca|celaya|irapuato|mazatlan|ensenada|tampico
  reynosa|matamoros|nuevo laredo|tepic|los cabos|puerto vallarta|vallarta|playa del carmen|chetumal|tulum|san miguel de allende
  zapopan|tlaquepaque|tonala|tlajomulco|san pedro garza garcia|san pedro|apodaca|escobedo|santa catarina|san nicolas
  naucalpan|tlalnepantla|ecatepec|nezahualcoyotl|neza|coacalco|cuautitlan|cuautitlan izcalli|izcalli|atizapan|huixquilucan
  interlomas|satelite|ciudad satelite|metepec|cholula|san andres cholula|angelopolis|juriquilla|corregidora|el marques
  alvaro obregon|azcapotzalco|benito juarez|coyoacan|cuajimalpa|cuauhtemoc|gustavo a madero|iztacalco|iztapalapa
  magdalena contreras|miguel hidalgo|milpa alta|tlahuac|tlalpan|venustiano carranza|xochimilco
  polanco|santa fe|pedregal|condesa|narvarte|lindavista|providencia|valle oriente
  gdl|mty|qro|slp|nl|zmg`
  .split(/[|\n]/)
  .map((p) => p.trim())
  .filter((p) => p !== "");

const ENTRIES = PLACES.map((p) => p.split(" "));

/** Words of place names spelled right: never read as a misspelled car ("tijuana" is not a Tiguan). */
export const PLACE_WORDS: ReadonlySet<string> = new Set(ENTRIES.flat().filter((w) => w.length >= 5));

/**
 * One typo is tolerated on long names ("puabla", "monterey", "guadalajra"); short ones must be exact.
 * Two would turn everyday words into places ("mexicana" → Mexicali, "medidas" → Mérida).
 */
const sameWord = (token: string, name: string): boolean => {
  if (token === name) return true;
  if (name.length < 6 || COMMON_WORDS.has(token) || token[0] !== name[0]) return false;
  return editDistance(token, name, 1) <= 1;
};

export interface PlaceMention {
  readonly place: string;
  /** Token positions of the mention. */
  readonly tokens: ReadonlyArray<number>;
}

/** The first place named in a normalised text; longer names win ("san pedro garza garcia" over "san pedro"). */
export const findPlace = (normalized: string, skip: ReadonlyArray<number> = []): PlaceMention | undefined => {
  const tokens = words(normalized);
  for (let i = 0; i < tokens.length; i++) {
    if (skip.includes(i)) continue;
    let best: ReadonlyArray<string> | undefined;
    for (const entry of ENTRIES) {
      if (i + entry.length > tokens.length || (best !== undefined && best.length >= entry.length)) continue;
      if (entry.every((w, k) => !skip.includes(i + k) && sameWord(tokens[i + k]!, w))) best = entry;
    }
    if (best !== undefined) return { place: best.join(" "), tokens: best.map((_, k) => i + k) };
  }
  return undefined;
};
