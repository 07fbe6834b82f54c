/** "(stock 283547)", as the widget's card buttons send it: a reference to that car, never an amount. */
import { describe, expect, it } from "vitest";
import { understand } from "./understand.ts";

describe("stock id references", () => {
  it("reads the widget's button sentences as the car with that stock id", () => {
    expect(understand("Quiero ver los detalles del Nissan Versa 2018 (stock 173312)")).toMatchObject({
      intent: "car_details",
      slots: { reference: { kind: "stock", stockId: 173312 } },
    });
    const financing = understand("Quiero calcular la mensualidad del Mazda 3 2012 (stock 283547)");
    expect(financing).toMatchObject({ intent: "financing", slots: { reference: { kind: "stock", stockId: 283547 } } });
    expect(financing.slots.price).toBeUndefined();
    expect(financing.slots.downPayment).toBeUndefined();
  });

  it("leaves other numbers alone", () => {
    expect(understand("busco un auto de 283547").slots.reference).toBeUndefined();
    expect(understand("el stock de autos es grande").slots.reference).toBeUndefined();
  });
});
