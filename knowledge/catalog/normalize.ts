/** Pure normalisation of catalog values: display casing, yes/no/unknown, transmission. */
import { foldAccents } from "../../lib/fold-accents.ts";
import type { Transmission } from "./car.ts";

/** Makes whose display form is not simple title case. */
const MAKE_DISPLAY: Record<string, string> = {
  BMW: "BMW",
  MG: "MG",
  JAC: "JAC",
  KIA: "Kia",
  "MERCEDES BENZ": "Mercedes Benz",
  "MERCEDES-BENZ": "Mercedes Benz",
  "LAND ROVER": "Land Rover",
  SEAT: "Seat",
  GMC: "GMC",
  RAM: "RAM",
  MINI: "Mini",
};

const titleCase = (value: string) =>
  value
    .toLowerCase()
    .split(/(\s+|-)/)
    .map((part) => (part.length > 0 ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join("");

export const displayMake = (raw: string): string => {
  const collapsed = raw.trim().replace(/\s+/g, " ");
  return MAKE_DISPLAY[collapsed.toUpperCase()] ?? titleCase(collapsed);
};

/** Model names keep their catalog form unless shouted ("FORTE" → "Forte"); codes like "CX-5" stay. */
export const displayModel = (raw: string): string => {
  const collapsed = raw.trim().replace(/\s+/g, " ");
  const isShouted = collapsed === collapsed.toUpperCase() && /[A-Z]{4,}/.test(collapsed) && !/\d/.test(collapsed);
  return isShouted ? titleCase(collapsed) : collapsed;
};

/** "Sí"/"si"/"yes"/"true"/"1" → true; "No"/"false"/"0" → false; blank → null (not confirmed). */
export const parseYesNo = (raw: string | undefined): boolean | null | "invalid" => {
  const value = foldAccents((raw ?? "").trim().toLowerCase());
  if (value === "") return null;
  if (["si", "yes", "true", "1", "s"].includes(value)) return true;
  if (["no", "false", "0", "n"].includes(value)) return false;
  return "invalid";
};

const AUTOMATIC = /\b(AUTO|AT|TA|CVT|IVT|XTRONIC|DCT|ASG|TIPTRONIC|AUTOMATICO|AUTOMATICA|STRONIC|S-TRONIC|DSG)\b/;
const MANUAL = /\b(MT|STD|MANUAL|ESTANDAR)\b/;

/** Transmission from the version string; null when it does not say. */
export const transmissionFromVersion = (version: string): Transmission | null => {
  const upper = foldAccents(version.toUpperCase());
  if (AUTOMATIC.test(upper)) return "automatica";
  if (MANUAL.test(upper)) return "manual";
  return null;
};
