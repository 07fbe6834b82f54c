/**
 * Catalog administration: list, read, create, replace, change, delete and import cars. Every
 * write goes to the cars table first (the source of truth), then to catalog search, so the next
 * search already sees it. Inputs are validated field by field (car-input.ts).
 */
import { Context, Data, Effect, Layer } from "effect";
import type { Car } from "../car.ts";
import { CarStore } from "../car-store.ts";
import type { DatabaseError } from "../../db/database.ts";
import { applyPatch, carInput, carPatch, enrich, fieldErrors, type FieldError } from "./car-input.ts";
import { CatalogSearch } from "./catalog-search.ts";
import type { CatalogSearchError } from "./errors.ts";

export type CatalogAdminErrorCode =
  | "invalid_car"
  | "invalid_query"
  | "not_found"
  | "already_exists"
  | "stock_id_mismatch"
  | "storage_failed"
  | "search_sync_failed";

export class CatalogAdminError extends Data.TaggedError("CatalogAdminError")<{
  readonly code: CatalogAdminErrorCode;
  readonly message: string;
  /** Field-by-field problems, for invalid_car / invalid_query. */
  readonly fields?: ReadonlyArray<FieldError>;
  readonly cause?: unknown;
}> {}

export interface CarPage {
  readonly cars: ReadonlyArray<Car>;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export interface ImportSummary {
  readonly imported: number;
  readonly created: number;
  readonly updated: number;
}

export interface CatalogAdminShape {
  /** Cars by stock id, a page at a time (limit 1-500, default 50). */
  readonly list: (page?: { readonly offset?: number; readonly limit?: number }) => Effect.Effect<CarPage, CatalogAdminError>;
  readonly get: (stockId: number) => Effect.Effect<Car, CatalogAdminError>;
  /** A new car; fails with already_exists when the stock id is taken. */
  readonly create: (input: unknown) => Effect.Effect<Car, CatalogAdminError>;
  /** Creates or fully replaces the car with this stock id (PUT). */
  readonly replace: (stockId: number, input: unknown) => Effect.Effect<{ readonly car: Car; readonly created: boolean }, CatalogAdminError>;
  /** Changes some fields (PATCH); derived fields follow unless given. */
  readonly update: (stockId: number, patch: unknown) => Effect.Effect<Car, CatalogAdminError>;
  readonly remove: (stockId: number) => Effect.Effect<void, CatalogAdminError>;
  /** Upserts many cars in one transaction (e.g. a parsed CSV), then syncs search once. */
  readonly importCars: (cars: ReadonlyArray<unknown>) => Effect.Effect<ImportSummary, CatalogAdminError>;
}

const storageFailed = (error: DatabaseError) =>
  new CatalogAdminError({ code: "storage_failed", message: `the database did not accept the operation (${error.operation})`, cause: error });

const syncFailed = (error: CatalogSearchError) =>
  new CatalogAdminError({
    code: "search_sync_failed",
    message: `the change was saved, but the search index was not updated (${error.engine} ${error.operation}: ${error.message}); searches use the embedded index until the next successful sync`,
    cause: error,
  });

const invalid = (fields: ReadonlyArray<FieldError>, code: "invalid_car" | "invalid_query" = "invalid_car") =>
  new CatalogAdminError({ code, message: fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields });

const parseCar = (input: unknown): Effect.Effect<Car, CatalogAdminError> => {
  const parsed = carInput.safeParse(input);
  return parsed.success ? Effect.succeed(enrich(parsed.data)) : Effect.fail(invalid(fieldErrors(parsed.error, input)));
};

const checkStockId = (stockId: number): Effect.Effect<number, CatalogAdminError> =>
  Number.isSafeInteger(stockId) && stockId > 0 && stockId <= 2_147_483_647
    ? Effect.succeed(stockId)
    : Effect.fail(invalid([{ field: "stockId", message: "must be a positive whole number" }]));

const notFound = (stockId: number) => new CatalogAdminError({ code: "not_found", message: `no car with stockId ${stockId}` });

export class CatalogAdmin extends Context.Service<CatalogAdmin, CatalogAdminShape>()("CatalogAdmin") {
  static readonly layer = Layer.effect(
    CatalogAdmin,
    Effect.gen(function* () {
      const store = yield* CarStore;
      const search = yield* CatalogSearch;

      const save = (cars: ReadonlyArray<Car>) =>
        store.upsertMany(cars).pipe(
          Effect.mapError(storageFailed),
          Effect.andThen(search.upsert(cars).pipe(Effect.mapError(syncFailed))),
        );

      const find = (stockId: number) =>
        checkStockId(stockId).pipe(
          Effect.andThen(store.get(stockId).pipe(Effect.mapError(storageFailed))),
        );

      const existing = (stockId: number) =>
        find(stockId).pipe(Effect.flatMap((car) => (car ? Effect.succeed(car) : Effect.fail(notFound(stockId)))));

      return CatalogAdmin.of({
        list: Effect.fn("catalog_admin.list")(function* (page = {}) {
          const offset = page.offset ?? 0;
          const limit = page.limit ?? 50;
          const problems: FieldError[] = [];
          if (!Number.isSafeInteger(offset) || offset < 0) problems.push({ field: "offset", message: "must be a whole number ≥ 0" });
          if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) problems.push({ field: "limit", message: "must be a whole number from 1 to 500" });
          if (problems.length > 0) return yield* Effect.fail(invalid(problems, "invalid_query"));
          const all = yield* store.all().pipe(Effect.mapError(storageFailed));
          return { cars: all.slice(offset, offset + limit), total: all.length, offset, limit };
        }),

        get: Effect.fn("catalog_admin.get")(function* (stockId) {
          return yield* existing(stockId);
        }),

        create: Effect.fn("catalog_admin.create")(function* (input) {
          const car = yield* parseCar(input);
          if (yield* find(car.stockId))
            return yield* Effect.fail(new CatalogAdminError({ code: "already_exists", message: `a car with stockId ${car.stockId} already exists; use PUT or PATCH to change it` }));
          yield* save([car]);
          return car;
        }),

        replace: Effect.fn("catalog_admin.replace")(function* (stockId, input) {
          yield* checkStockId(stockId);
          if (typeof input === "object" && input !== null && "stockId" in input && (input as { stockId: unknown }).stockId !== stockId)
            return yield* Effect.fail(
              new CatalogAdminError({ code: "stock_id_mismatch", message: `the body's stockId does not match the path (${stockId})` }),
            );
          const car = yield* parseCar(typeof input === "object" && input !== null ? { ...input, stockId } : input);
          const before = yield* find(stockId);
          yield* save([car]);
          return { car, created: before === undefined };
        }),

        update: Effect.fn("catalog_admin.update")(function* (stockId, patch) {
          if (typeof patch === "object" && patch !== null && "stockId" in patch) {
            if ((patch as { stockId: unknown }).stockId !== stockId)
              return yield* Effect.fail(new CatalogAdminError({ code: "stock_id_mismatch", message: "stockId cannot change; create the car under the new stockId and delete the old one" }));
            const { stockId: _, ...rest } = patch as Record<string, unknown>;
            patch = rest;
          }
          const current = yield* existing(stockId);
          const parsedPatch = carPatch.safeParse(patch);
          if (!parsedPatch.success) return yield* Effect.fail(invalid(fieldErrors(parsedPatch.error, patch)));
          const car = yield* parseCar(applyPatch(current, parsedPatch.data));
          yield* save([car]);
          return car;
        }),

        remove: Effect.fn("catalog_admin.remove")(function* (stockId) {
          yield* checkStockId(stockId);
          const deleted = yield* store.remove(stockId).pipe(Effect.mapError(storageFailed));
          if (!deleted) return yield* Effect.fail(notFound(stockId));
          yield* search.remove([stockId]).pipe(Effect.mapError(syncFailed));
        }),

        importCars: Effect.fn("catalog_admin.import")(function* (inputs) {
          const cars: Car[] = [];
          const problems: FieldError[] = [];
          const seen = new Set<number>();
          inputs.forEach((input, i) => {
            const parsed = carInput.safeParse(input);
            if (!parsed.success) {
              for (const problem of fieldErrors(parsed.error, input)) problems.push({ field: `cars[${i}].${problem.field}`, message: problem.message });
              return;
            }
            const car = enrich(parsed.data);
            if (seen.has(car.stockId)) problems.push({ field: `cars[${i}].stockId`, message: `stockId ${car.stockId} appears more than once` });
            seen.add(car.stockId);
            cars.push(car);
          });
          if (problems.length > 0) return yield* Effect.fail(invalid(problems));
          const before = new Set((yield* store.all().pipe(Effect.mapError(storageFailed))).map((car) => car.stockId));
          const updated = cars.filter((car) => before.has(car.stockId)).length;
          yield* save(cars);
          return { imported: cars.length, created: cars.length - updated, updated };
        }),
      });
    }),
  );
}
