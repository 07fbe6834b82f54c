/** Edits tolerated for a word of this length: none below 4 letters, one for 4-5, two from 6. */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 6 ? 1 : 2);
