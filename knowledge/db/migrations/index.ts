/** Versioned migrations, applied in key order. Add a file and register it here; never edit an applied one. */
import type { Migration } from "kysely/migration";
import * as initial from "./0001_initial.ts";

export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_knowledge": await import("./0002_knowledge.ts"),
};
