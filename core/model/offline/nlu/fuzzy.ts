/** Edits tolerated for a word of this length: none below 4 letters, one for 4-6, two from 7 ("chofer" is not "Cooper"). */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);

/** First letters Spanish spelling confuses by sound: "sivic" is Civic, "bento" is Vento, "varato" is barato. */
const SAME_SOUND: ReadonlyArray<string> = ["csz", "bv", "yi", "kq", "gj"];
export const soundAlike = (a: string, b: string): boolean => a === b || SAME_SOUND.some((group) => group.includes(a) && group.includes(b));
