/** Tool outputs in the contract's exact shapes, for widget and router tests. */
import type { SearchCarsOutput } from "../../../tools/contracts.ts";

export const SEARCH_OUTPUT: SearchCarsOutput = {
  total: 2,
  offset: 0,
  cars: [
    { stockId: 243587, make: "Nissan", model: "Versa", year: 2019, version: "Advance", price: 214999, km: 48213, transmission: "manual", bluetooth: true, carPlay: null, bodyType: "sedan" },
    { stockId: 308712, make: "Chevrolet", model: "Aveo", year: 2020, version: "LT", price: 189999, km: 61020, transmission: "automatica", bluetooth: true, carPlay: false, bodyType: "sedan" },
  ],
  nearest: [],
  facets: { makes: [{ make: "Nissan", count: 1 }, { make: "Chevrolet", count: 1 }], price: { min: 189999, max: 214999 }, year: { min: 2019, max: 2020 } },
};
