import type { Car } from "../knowledge/catalog/car.ts";
import type { CarCard } from "./contracts.ts";

/** What the tools say about a car: the catalog fields a buyer cares about. */
export const toCarCard = (car: Car): CarCard => ({
  stockId: car.stockId,
  make: car.make,
  model: car.model,
  year: car.year,
  version: car.version,
  price: car.price,
  km: car.km,
  transmission: car.transmission,
  bluetooth: car.bluetooth,
  carPlay: car.carPlay,
  bodyType: car.bodyType,
});
