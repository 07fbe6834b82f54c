/** The state of each dependency, for GET /health. */
import { Effect } from "effect";
import { sql } from "kysely";
import { Database } from "../knowledge/db/database.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import { AgentModel } from "../core/model.ts";

export interface HealthReport {
  readonly ok: boolean;
  readonly dependencies: Record<string, { readonly status: "up" | "down"; readonly detail: string }>;
}

export const checkHealth = Effect.gen(function* () {
  const database = yield* Database;
  const model = yield* AgentModel;
  const search = yield* (yield* CatalogSearch).status();
  const dbStatus = yield* database.use("health.ping", (db) => sql`select 1`.execute(db)).pipe(
    Effect.timeout("2 seconds"),
    Effect.as({ status: "up" as const, detail: database.kind }),
    Effect.catchCause(() => Effect.succeed({ status: "down" as const, detail: `${database.kind} not answering` })),
  );
  const report: HealthReport = {
    ok: dbStatus.status === "up",
    dependencies: {
      database: dbStatus,
      model: { status: "up", detail: model.description },
      search: {
        status: "up",
        detail: `${search.engine}${search.degraded ? " (degraded: Meilisearch unreachable, embedded fallback)" : ""}, ${search.documents} documents`,
      },
    },
  };
  return report;
});
