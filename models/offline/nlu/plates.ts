/**
 * Fines questions and the plates in them. "placas NXR-4521, ¿cuánto debo?" is a fines question
 * about plate NXR4521, never a price cap of $4,521: the fines reading runs before the sales NLU.
 */
import { foldAccents } from "../../../lib/fold-accents.ts";
import { findPlates, type Plate } from "../../../lib/mx-plates.ts";

/** Words that only a fines question uses. */
const FINES_CUE = /\b(?:multas?|multado|multaron|infracci(?:on|ones)|fotomultas?|fotocivicas?|fotoradar|adeudos? (?:vehicular(?:es)?|de (?:la |mi |las |mis )?placas?)|corralon)\b/;
/** "¿cuánto debo?" is about fines when a plate is named, not "¿cuánto debo dar de enganche?". */
const OWE = /\b(?:cuanto|que) (?:debo|debe|adeudo|adeuda|tengo (?:de )?pendiente)\b(?! (?:dar|pagar|dejar|poner|tener|ganar|de enganche|al mes|mensual))/;
const PLATE_WORD = /\bplacas?\b|\bmatricula\b/;
/** "¿cuánto era?", "el total", "¿cuáles son?": a follow-up on fines already shown. */
const FOLLOW_UP = /\b(?:total|cuanto|cuantas|cuales|cual|monto|mas cara|mas alta|detalle|desglose)\b/;

export interface FinesReading {
  /** The message asks about fines (or names a plate as an answer to "¿me das la placa?"). */
  readonly asksFines: boolean;
  readonly plates: ReadonlyArray<Plate>;
  /** A follow-up question on a fines answer already given ("¿y el total?"). */
  readonly followUp: boolean;
  readonly namesPlateWord: boolean;
}

const plain = (text: string) => foldAccents(text.toLowerCase());

export const readFines = (text: string): FinesReading => {
  const folded = plain(text);
  const plates = findPlates(text);
  const namesPlateWord = PLATE_WORD.test(folded);
  const cue = FINES_CUE.test(folded);
  const owes = OWE.test(folded);
  return {
    asksFines: cue || (plates.length > 0 && (namesPlateWord || owes)),
    plates,
    followUp: FOLLOW_UP.test(folded) || owes,
    namesPlateWord,
  };
};
