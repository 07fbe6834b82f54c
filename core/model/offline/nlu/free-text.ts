/**
 * Words that look like a car model the vocabulary does not know ("Hyundai Elantra", "busco un
 * Tesla Model 3"): they go to search_cars as free `query` text, so a changed catalog still works.
 */
import { COMMON_WORDS } from "./common-words.ts";
import { words } from "./normalize.ts";

/** Words that are slots or chat, never model names. */
const NOT_MODEL = new Set(
  `auto autos carro carros coche coches camioneta camionetas vehiculo nave modelo modelos marca version año
  automatico automatica automaticos estandar manual bluetooth carplay suv suvs sedan hatchback pickup minivan van coupe
  barato barata baratos economico economica economicos familiar premium lujo nuevo nueva seminuevo usado
  mil pesos km kilometros menos mas hasta entre desde arriba abajo precio color rojo blanco negro gris azul plata
  enganche meses anos plazo credito mensualidad financiamiento por favor porfa gracias hola buenas
  que sea tenga con sin para del los las una uno unos algo alguno alguna disponible disponibles tienen tienes hay`.split(/\s+/),
);

const isCandidate = (w: string): boolean => w.length >= 2 && !COMMON_WORDS.has(w) && !NOT_MODEL.has(w) && !/^\d{4,}$/.test(w);

/**
 * @param usedTokens token positions already read as make/model
 * @param makeOnly true when a make was named without a known model
 */
export const findFreeModelText = (normalized: string, usedTokens: ReadonlyArray<number>, makeOnly: boolean): string | undefined => {
  const tokens = words(normalized);
  if (makeOnly && usedTokens.length > 0) {
    const after = Math.max(...usedTokens) + 1;
    const picked: string[] = [];
    for (let i = after; i < tokens.length && picked.length < 2; i++) {
      const w = tokens[i]!;
      if (!isCandidate(w) && !(picked.length > 0 && /^\d{1,3}$/.test(w))) break;
      picked.push(w);
    }
    return picked.length > 0 ? picked.join(" ") : undefined;
  }
  if (usedTokens.length > 0) return undefined;
  // "busco un elantra", "tienen algún cupra?"
  const m = normalized.match(/\b(?:busco|quiero|tienen|tienes|hay|venden|me interesa|necesito|cotizar|financiar)\s+(?:un|una|el|la|algun|alguna)?\s*([a-z][a-z0-9]+)(?:\s+([a-z0-9]+))?/);
  if (m === null) return undefined;
  const first = m[1]!;
  if (!isCandidate(first)) return undefined;
  const second = m[2];
  return second !== undefined && /^\d{1,3}$/.test(second) ? `${first} ${second}` : first;
};
