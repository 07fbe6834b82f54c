/**
 * Long NLU patterns kept as lists, one alternative (or small group) per line, so a diff shows
 * which alternative changed. The lists are joined at load into the same source a one-line regex
 * literal would have.
 */

/** The alternatives joined with "|": `anyOf(["a", "b(?:c)?"])` is "a|b(?:c)?". */
export const anyOf = (alternatives: ReadonlyArray<string>): string => alternatives.join("|");

/** The RegExp matching any of the alternatives: `regExpAnyOf(["a", "b"], "g")` is /a|b/g. */
export const regExpAnyOf = (alternatives: ReadonlyArray<string>, flags = ""): RegExp => new RegExp(anyOf(alternatives), flags);
