/**
 * Which sede a customer means: "Antara", "Kavak Explanada", "en Santa Fe", "la de Cuernavaca",
 * "Puebla" (two there: both are returned, for the customer to choose). From the structured sedes of
 * the knowledge base (knowledge/documents/sedes.yaml).
 */
import { loadSedes, type Sede } from "../knowledge-base/sedes.ts";

const fold = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const has = (haystack: string, needle: string): boolean => needle !== "" && new RegExp(`(?:^| )${needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?: |$)`).test(haystack);

export const allSedes = (): ReadonlyArray<Sede> => loadSedes().sedes;

export const sedeById = (id: string): Sede | undefined => allSedes().find((s) => s.id === id);

/** The sedes a text names: one when it names a sede, several when it names a city or state with several. */
export const findSedes = (text: string): Sede[] => {
  const plain = fold(text);
  if (plain === "") return [];
  const sedes = allSedes();
  const byId = sedes.filter((s) => plain === s.id || has(plain, s.id.replace(/-/g, " ")));
  if (byId.length > 0) return byId;
  const byName = sedes.filter((s) => has(plain, fold(s.name.replace(/^Kavak /, ""))));
  if (byName.length > 0) return byName;
  const byArea = sedes.filter((s) => [s.zone, ...s.areas].some((a) => a !== null && has(plain, fold(a))));
  if (byArea.length > 0) return byArea;
  const metros = loadSedes().metros.filter((m) => has(plain, m.id) || has(plain, fold(m.name.split(" ")[0]!)));
  const cdmx = /\b(?:cdmx|df|ciudad de mexico)\b/.test(plain) ? ["cdmx"] : [];
  const metroIds = new Set([...metros.map((m) => m.id), ...cdmx]);
  const byMetro = sedes.filter((s) => metroIds.has(s.metro));
  if (byMetro.length > 0) return byMetro;
  const byCity = sedes.filter((s) => has(plain, fold(s.city)));
  if (byCity.length > 0) return byCity;
  return sedes.filter((s) => has(plain, fold(s.state)));
};

/** Sede names grouped by city, for "¿en cuál sede?": "Puebla: Kavak Explanada, Kavak Las Torres; ...". */
export const sedesByCity = (): string => {
  const byCity = new Map<string, string[]>();
  for (const s of allSedes()) byCity.set(s.city, [...(byCity.get(s.city) ?? []), s.name]);
  return [...byCity].map(([city, names]) => `${city}: ${names.join(", ")}`).join("; ");
};
