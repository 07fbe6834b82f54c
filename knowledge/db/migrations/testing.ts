/** A fresh in-memory PGlite with the app's extensions and a migrator over the app's migrations, for migration tests. */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { Kysely, PGliteDialect } from "kysely";
import { Migrator } from "kysely/migration";
import { afterAll } from "vitest";
import type { DB } from "../schema.ts";
import { migrations } from "./index.ts";

export const migrationTestDatabase = async () => {
  const pglite = await PGlite.create({ extensions: { unaccent, pg_trgm } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  afterAll(async () => {
    await db.destroy();
    if (!pglite.closed) await pglite.close();
  });
  return { db, migrator };
};
