/**
 * Admin keys compared in constant time: the configured keys are hashed once (so every comparison is
 * between equal-length digests), and a presented key is checked against every one of them.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** The configured keys, ready for `keyMatches` (blank entries dropped). */
export const hashKeys = (keys: ReadonlyArray<string>): ReadonlyArray<Buffer> => keys.filter((key) => key.trim() !== "").map(digest);

/** Whether the presented key is one of them; always compares against all, whatever matches. */
export const keyMatches = (presented: string, hashedKeys: ReadonlyArray<Buffer>): boolean => {
  const candidate = digest(presented);
  let ok = false;
  for (const key of hashedKeys) ok = timingSafeEqual(candidate, key) || ok;
  return ok;
};
