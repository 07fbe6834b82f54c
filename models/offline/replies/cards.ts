/** Car cards: make, model, year, version, price and km, in short WhatsApp lines. */
import type { CarCard } from "../../../tools/contracts.ts";
import { kilometres, pesos } from "./format.ts";

const group = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

const transmissionLabel = (car: CarCard): string | undefined =>
  car.transmission === "automatica" ? "automático" : car.transmission === "manual" ? "estándar" : undefined;

/** "Mazda 3", not "Mazda Mazda 3": the catalog's model name sometimes repeats the make. */
export const makeAndModel = (make: string, model: string): string =>
  model.toLowerCase().startsWith(`${make.toLowerCase()} `) ? model : `${make} ${model}`;

export const carTitle = (car: Pick<CarCard, "make" | "model" | "year">): string => `${makeAndModel(car.make, car.model)} ${car.year}`;

export const carCard = (car: CarCard, position?: number): string => {
  const head = position === undefined ? `*${carTitle(car)}*` : `*${position}. ${carTitle(car)}*`;
  const extra = transmissionLabel(car);
  return [head, car.version, `${pesos(car.price)} · ${kilometres(car.km)}${extra === undefined ? "" : ` · ${extra}`}`].join("\n");
};

export const carList = (cars: ReadonlyArray<CarCard>, startAt = 1): string => cars.map((c, i) => carCard(c, startAt + i)).join("\n\n");

/**
 * The seat count only when the catalog's own version text says it ("7 PASAJEROS"): the details tool
 * also estimates seats from the body type, a figure catalog.csv does not hold, so it is never stated.
 */
export const statedSeats = (car: { readonly version: string; readonly seats?: number | null }): number | undefined => {
  const m = /\b(\d{1,2})\s*(?:pasajeros|pas|asientos|plazas)\b/i.exec(car.version);
  return m === null ? undefined : (car.seats ?? Number(m[1]));
};

const yesNo = (value: boolean | null): string => (value === true ? "sí" : value === false ? "no" : "no confirmado");

export const carDetails = (car: CarCard & { lengthMm?: number | null; widthMm?: number | null; heightMm?: number | null; seats?: number | null }): string => {
  const lines = [
    `*${carTitle(car)}*`,
    car.version,
    `Precio: *${pesos(car.price)}*`,
    `Kilometraje: ${kilometres(car.km)}`,
    `Transmisión: ${transmissionLabel(car) ?? "no confirmada"}`,
    `Bluetooth: ${yesNo(car.bluetooth)} · CarPlay: ${yesNo(car.carPlay)}`,
  ];
  const seats = statedSeats(car);
  if (seats !== undefined) lines.push(`Pasajeros: ${seats} (según la versión)`);
  if (car.lengthMm != null && car.widthMm != null && car.heightMm != null)
    lines.push(`Medidas: ${group(car.lengthMm)} × ${group(car.widthMm)} × ${group(car.heightMm)} mm (largo × ancho × alto)`);
  return lines.join("\n");
};
