/** Edits tolerated for a word of this length: none below 4 letters, one for 4-6, two from 7 ("chofer" is not "Cooper"). */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);
