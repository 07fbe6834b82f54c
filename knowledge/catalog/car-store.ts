/** The cars table: the catalog's source of truth. Search indexes are built from it. */
import { Context, Effect, Layer } from "effect";
import type { Selectable } from "kysely";
import { Database, type DatabaseError } from "../db/database.ts";
import type { CarsTable } from "../db/schema.ts";
import type { Car } from "./car.ts";

export interface CarStoreShape {
  readonly all: () => Effect.Effect<ReadonlyArray<Car>, DatabaseError>;
  readonly get: (stockId: number) => Effect.Effect<Car | undefined, DatabaseError>;
  readonly count: () => Effect.Effect<number, DatabaseError>;
  /** Inserts or replaces by stock id, all in one transaction. */
  readonly upsertMany: (cars: ReadonlyArray<Car>) => Effect.Effect<void, DatabaseError>;
  /** Returns whether a car was deleted. */
  readonly remove: (stockId: number) => Effect.Effect<boolean, DatabaseError>;
}

export class CarStore extends Context.Service<CarStore, CarStoreShape>()("CarStore") {
  static readonly layer = Layer.effect(
    CarStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return CarStore.of({
        all: () =>
          use("cars.all", (db) => db.selectFrom("cars").selectAll().orderBy("stock_id").execute()).pipe(
            Effect.map((rows) => rows.map(carFromRow)),
          ),
        get: (stockId) =>
          use("cars.get", (db) => db.selectFrom("cars").selectAll().where("stock_id", "=", stockId).executeTakeFirst()).pipe(
            Effect.map((row) => (row ? carFromRow(row) : undefined)),
          ),
        count: () =>
          use("cars.count", (db) => db.selectFrom("cars").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).pipe(
            Effect.map((row) => Number(row.n)),
          ),
        upsertMany: (cars) =>
          use("cars.upsert", (db) =>
            db.transaction().execute(async (trx) => {
              for (let i = 0; i < cars.length; i += 500) {
                const rows = cars.slice(i, i + 500).map(toRow);
                await trx
                  .insertInto("cars")
                  .values(rows)
                  .onConflict((oc) =>
                    oc.column("stock_id").doUpdateSet((eb) => ({
                      ...Object.fromEntries(Object.keys(rows[0]!).filter((k) => k !== "stock_id").map((k) => [k, eb.ref(`excluded.${k}` as "excluded.make")])),
                      updated_at: new Date(),
                    })),
                  )
                  .execute();
              }
            }),
          ),
        remove: (stockId) =>
          use("cars.remove", (db) => db.deleteFrom("cars").where("stock_id", "=", stockId).executeTakeFirst()).pipe(
            Effect.map((result) => Number(result.numDeletedRows) > 0),
          ),
      });
    }),
  );
}

export const carFromRow = (row: Selectable<CarsTable>): Car => ({
  stockId: row.stock_id,
  make: row.make,
  model: row.model,
  year: row.year,
  version: row.version,
  price: row.price,
  km: row.km,
  bluetooth: row.bluetooth,
  carPlay: row.car_play,
  transmission: row.transmission,
  lengthMm: row.length_mm,
  widthMm: row.width_mm,
  heightMm: row.height_mm,
  bodyType: row.body_type as Car["bodyType"],
  seats: row.seats,
});

const toRow = (car: Car) => ({
  stock_id: car.stockId,
  make: car.make,
  model: car.model,
  year: car.year,
  version: car.version,
  price: car.price,
  km: car.km,
  bluetooth: car.bluetooth,
  car_play: car.carPlay,
  transmission: car.transmission,
  length_mm: car.lengthMm,
  width_mm: car.widthMm,
  height_mm: car.heightMm,
  body_type: car.bodyType,
  seats: car.seats,
});
