/** Deterministic variety: the same conversation always gets the same phrasing. */

export const hashText = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** Picks one option, seeded by the conversation text and a purpose label. */
export const pickPhrase = <T>(seed: string, purpose: string, options: ReadonlyArray<T>): T => options[hashText(`${purpose}:${seed}`) % options.length]!;
