import { describe, expect, it } from "vitest";
import type { CarCard } from "../../../tools/contracts.ts";
import type { ToolExchange } from "../prompt/conversation.ts";
import { understand } from "../nlu/understand.ts";
import { resolveNamedCar, resolveReference } from "./resolve.ts";
import { emptyState, type DialogueState } from "./state.ts";
import { applyTurn, applyUser } from "./update.ts";

const car = (stockId: number, model: string, year: number, price: number, km = 50000): CarCard => ({
  stockId, make: "Nissan", model, year, version: "X", price, km, transmission: "automatica", bluetooth: true, carPlay: null, bodyType: null,
});
const versa20 = car(1, "Versa", 2020, 265999, 45000);
const versa18 = car(2, "Versa", 2018, 220999, 69000);
const sentra = car(3, "Sentra", 2019, 268999, 18000);

const searchExchange = (input: Record<string, unknown>, cars: CarCard[], total = cars.length): ToolExchange => ({
  call: { id: `s${JSON.stringify(input)}`, name: "search_cars", input, step: 0 },
  outcome: { ok: true, value: { total, offset: (input.offset as number) ?? 0, cars, nearest: [], facets: { makes: [], price: null, year: null } } },
});

const shown = (cars: CarCard[]): DialogueState => applyTurn(emptyState(), understand("busco un nissan"), [searchExchange({ make: "Nissan" }, cars)]);

describe("references", () => {
  const state = shown([versa20, versa18, sentra]);
  it.each([
    ["ordinal 2", { kind: "ordinal", index: 2 } as const, versa18],
    ["last", { kind: "ordinal", index: -1 } as const, sentra],
    ["year", { kind: "year", year: 2018 } as const, versa18],
    ["cheapest", { kind: "cheapest" } as const, versa18],
    ["newest", { kind: "newest" } as const, versa20],
    ["least km", { kind: "least_km" } as const, sentra],
  ])("%s", (_name, ref, expected) => {
    expect(resolveReference(ref, state)).toEqual(expected);
  });

  it("a model named among the cars shown is that car only when one fits", () => {
    expect(resolveNamedCar({ model: "Sentra" }, state)).toEqual(sentra);
    expect(resolveNamedCar({ model: "Versa" }, state)).toBeUndefined();
    expect(resolveNamedCar({ model: "Versa", minYear: 2020, maxYear: 2020 }, state)).toEqual(versa20);
  });

  it("an ordinal past the list resolves to nothing", () => {
    expect(resolveReference({ kind: "ordinal", index: 9 }, state)).toBeUndefined();
  });
});

describe("dialogue state", () => {
  it("the next page extends the numbered list; a new search replaces it", () => {
    const first = shown([versa20, versa18]);
    const paged = applyTurn(first, understand("más"), [searchExchange({ make: "Nissan", offset: 2 }, [sentra], 3)]);
    expect(paged.shown.map((c) => c.stockId)).toEqual([1, 2, 3]);
    const replaced = applyTurn(paged, understand("busco un sentra"), [searchExchange({ model: "Sentra" }, [sentra])]);
    expect(replaced.shown.map((c) => c.stockId)).toEqual([3]);
    expect(replaced.focus).toEqual(sentra);
  });

  it("a financing request collects its pieces across turns", () => {
    let state = shown([versa20, versa18]);
    state = applyUser(state, understand("quiero financiar el segundo"));
    expect(state.financing).toEqual({ car: versa18 });
    state = applyUser(state, understand("sin enganche"));
    state = applyUser(state, understand("a 4 años"));
    expect(state.financing).toMatchObject({ car: versa18, downPayment: 0, termMonths: [48] });
  });

  it("cancel forgets everything", () => {
    const state = applyUser(applyUser(shown([versa20]), understand("quiero financiarlo")), understand("empezar de nuevo"));
    expect(state).toEqual(emptyState());
  });

  it("looking at another car leaves the unfinished quote, remembering its down payment", () => {
    let state = shown([versa20, versa18, sentra]);
    state = applyUser(state, understand("financiar el primero con 50 mil de enganche"));
    state = applyUser(state, understand("el tercero"));
    expect(state.financing).toBeUndefined();
    expect(state.focus).toEqual(sentra);
    expect(state.preferredDown).toEqual({ downPayment: 50000 });
  });
});

describe("a financing follow-up and a bare answer (the NLU eval's equivalent readings)", () => {
  const quoted: DialogueState = { ...shown([versa20, versa18]), focus: versa18, lastQuote: { car: versa18, price: 220999, downPayment: 50000, termMonths: [48] } };
  const asking: DialogueState = applyUser(shown([versa20, versa18]), understand("quiero financiar el segundo"));
  const inFocus: DialogueState = { ...shown([versa20, versa18]), focus: versa20 };
  const affording: DialogueState = applyUser(emptyState(), understand("que me alcanza?"));

  it.each([
    ["after a quote", quoted],
    ["while a quote is being asked for", asking],
    ["with a car in focus", inFocus],
  ])("change the state the same way %s", (_name, state) => {
    for (const slots of [{ termMonths: [72] }, { downPaymentPercent: 30 }, { downPayment: 50000 }]) {
      expect(applyUser(state, { intent: "provide_info", slots })).toEqual(applyUser(state, { intent: "financing", slots }));
    }
  });

  it("differ inside an affordability flow, where a bare answer belongs to the budget question", () => {
    const slots = { downPayment: 50000 };
    expect(applyUser(affording, { intent: "provide_info", slots }).flow).toBe("affordability");
    expect(applyUser(affording, { intent: "financing", slots }).flow).toBe("financing");
  });
});

describe("a superlative with a model names one car", () => {
  it("'del Versa el más nuevo' picks the newest Versa shown, not the newest car shown", () => {
    const state = shown([versa18, sentra, versa20]);
    expect(resolveNamedCar({ model: "Versa", reference: { kind: "newest" } }, state)).toEqual(versa20);
    expect(resolveNamedCar({ model: "Versa", reference: { kind: "least_km" } }, state)).toEqual(versa20);
    expect(resolveNamedCar({ model: "Versa", reference: { kind: "cheapest" } }, state)).toEqual(versa18);
  });
});
