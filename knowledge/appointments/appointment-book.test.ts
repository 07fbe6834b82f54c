import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../db/test-database.ts";
import { AppointmentBook } from "./appointment-book.ts";
import { AppointmentError } from "./appointment.ts";
import { AppointmentEvents } from "./events.ts";
import { DEFAULT_SCHEDULE } from "./schedule.ts";
import { AppointmentSettings } from "./settings.ts";

// Tuesday 10 March 2026, 10:00 in Mexico City.
const NOW = new Date("2026-03-10T10:00:00-06:00");
const changed: string[] = [];
const events = Layer.succeed(AppointmentEvents, AppointmentEvents.of({ changed: async (_trx, a) => void changed.push(`${a.status}:${a.version}`), committed: () => {} }));
const schedule = { ...DEFAULT_SCHEDULE, sedes: { antara: { capacity: 1 } } };
const layer = AppointmentBook.layer.pipe(Layer.provide(Layer.mergeAll(AppointmentSettings.fromValues(schedule, () => NOW), events)), Layer.provideMerge(TestDatabase));
const runtime = ManagedRuntime.make(layer);
const run = <A, E>(effect: Effect.Effect<A, E, AppointmentBook>) => runtime.runPromise(effect);
const refusal = <A>(effect: Effect.Effect<A, unknown, AppointmentBook>) =>
  run(Effect.flip(effect)).then((e) => {
    if (!(e instanceof AppointmentError)) throw e;
    return e;
  });

const request = (conversationId: string, sede: string, when: string) => ({ conversationId, channel: "http", kind: "visita" as const, sede, when, car: { stockId: 1, title: "Nissan Versa 2020" }, phone: null });

beforeAll(() => run(Effect.void));
afterAll(() => runtime.dispose());

describe("AppointmentBook", () => {
  it("books what the customer said, read in Mexico City", async () => {
    const a = await run(AppointmentBook.use((b) => b.book(request("c1", "Patio Santa Fe", "mañana a las 11"))));
    expect(a.startsAt.toISOString()).toBe("2026-03-11T17:00:00.000Z");
    expect(a.sede).toMatchObject({ id: "patio-santa-fe", city: "Ciudad de México" });
    expect(await run(AppointmentBook.use((b) => Effect.succeed(b.label(a.startsAt))))).toBe("miércoles 11 de marzo a las 11:00");
  });

  it("refuses a full slot and offers the nearest free ones", async () => {
    await run(AppointmentBook.use((b) => b.book(request("c2", "Antara", "el jueves a las 12"))));
    const e = await refusal(AppointmentBook.use((b) => b.book(request("c3", "Antara", "el jueves a las 12"))));
    expect(e.code).toBe("slot_full");
    expect(e.options?.map((o) => o.startsAt)).toEqual(["2026-03-12T10:00", "2026-03-12T11:00", "2026-03-12T13:00", "2026-03-12T14:00"]);
  });

  it("refuses past times, closed days and closed hours, never offering a time outside the schedule", async () => {
    expect((await refusal(AppointmentBook.use((b) => b.book(request("c4", "Cosmopol", "hoy a las 8 de la mañana"))))).code).toBe("past_time");
    const sunday = await refusal(AppointmentBook.use((b) => b.book(request("c4", "Cosmopol", "el domingo a las 11"))));
    expect(sunday.code).toBe("closed");
    expect(sunday.options?.map((o) => o.startsAt)).toEqual(["2026-03-14T16:00", "2026-03-14T17:00", "2026-03-16T10:00", "2026-03-16T11:00"]);
    expect((await refusal(AppointmentBook.use((b) => b.book(request("c4", "Cosmopol", "el lunes a las 7 de la noche"))))).code).toBe("closed");
    expect((await refusal(AppointmentBook.use((b) => b.book(request("c4", "Monterrey", "mañana a las 11"))))).code).toBe("choose_sede");
  });

  it("moves an appointment keeping its sede and car, then cancels it (each change bumps the version)", async () => {
    changed.length = 0;
    await run(AppointmentBook.use((b) => b.book(request("c5", "Cosmopol", "el viernes a las 4"))));
    const { before, after } = await run(AppointmentBook.use((b) => b.move("c5", "el sábado a las 10")));
    expect(after.sede).toEqual(before.sede);
    expect(after.car).toEqual({ stockId: 1, title: "Nissan Versa 2020" });
    expect(after.startsAt.toISOString()).toBe("2026-03-14T16:00:00.000Z");
    const cancelled = await run(AppointmentBook.use((b) => b.cancel("c5")));
    expect(cancelled.status).toBe("cancelled");
    expect(changed).toEqual(["confirmed:1", "confirmed:2", "cancelled:3"]);
    expect((await refusal(AppointmentBook.use((b) => b.cancel("c5")))).code).toBe("no_appointment");
  });
});
