/** The state of each dependency, for GET /health. */
import { Effect, Option } from "effect";
import { sql } from "kysely";
import { Database } from "../knowledge/db/database.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import { AgentModel } from "../core/model.ts";

/** How long the search index may trail the database's catalog before search is reported degraded. */
export const SEARCH_LAG_TOLERANCE_MS = 1_000;

export interface DependencyState {
  readonly status: "up" | "degraded" | "down";
  readonly detail: string;
}

export interface SearchState extends DependencyState {
  /** The catalog version the search index reflects (when it follows the database). */
  readonly catalogVersion?: number;
  /** The catalog version in the database right now (undefined when the database does not answer). */
  readonly databaseCatalogVersion?: number;
  /** True while the index trails the database's catalog. */
  readonly behind?: boolean;
  /** How long it has been behind (ms); 0 in sync. */
  readonly lagMs?: number;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly dependencies: { readonly database: DependencyState; readonly model: DependencyState; readonly search: SearchState };
}

export const checkHealth = Effect.gen(function* () {
  const database = yield* Database;
  const model = yield* AgentModel;
  const search = yield* (yield* CatalogSearch).status();
  // One query: the database answers, and tells the catalog version the index should be at.
  const answer = yield* database
    .use("health.ping", (db) => sql<{ version: string | number | null }>`select (select version from catalog_state where id = 1) as version`.execute(db))
    .pipe(
      Effect.timeout("2 seconds"),
      Effect.map((result) => {
        const version = result.rows[0]?.version;
        return Option.some(version === null || version === undefined ? undefined : Number(version));
      }),
      Effect.catchCause(() => Effect.succeed(Option.none<number | undefined>())),
    );
  const dbStatus: DependencyState = Option.isSome(answer) ? { status: "up", detail: database.kind } : { status: "down", detail: `${database.kind} not answering` };

  const engine = `${search.engine}${search.degraded ? " (degraded: Meilisearch unreachable, embedded fallback)" : ""}, ${search.documents} documents`;
  let searchState: SearchState = { status: "up", detail: engine };
  if (search.sync) {
    const databaseVersion = Option.getOrUndefined(answer);
    const target = Math.max(search.sync.latestKnownVersion, databaseVersion ?? 0);
    const behind = target > search.sync.indexedVersion;
    const now = Date.now();
    const lagMs = behind ? now - (search.sync.behindSince ?? now) : 0;
    const lagging = behind && lagMs > SEARCH_LAG_TOLERANCE_MS;
    const notes = [
      `catalog version ${search.sync.indexedVersion}`,
      behind ? `behind the database (${target}) for ${lagMs} ms` : "in sync",
      ...(search.sync.listening ? [] : ["change notifications disconnected (polling)"]),
      ...(search.sync.lastError ? [`last sync error: ${search.sync.lastError}`] : []),
    ];
    searchState = {
      status: lagging ? "degraded" : "up",
      detail: `${engine}; ${notes.join("; ")}`,
      catalogVersion: search.sync.indexedVersion,
      ...(databaseVersion === undefined ? {} : { databaseCatalogVersion: databaseVersion }),
      behind,
      lagMs,
    };
  }

  const report: HealthReport = {
    ok: dbStatus.status === "up",
    dependencies: {
      database: dbStatus,
      model: { status: "up", detail: model.description },
      search: searchState,
    },
  };
  return report;
});
