/**
 * The dealer's appointment settings and the clock bookings are read against. Both are injected:
 * tests and the release gate fix "now" (APPOINTMENTS_FIXED_NOW, an ISO instant) so that "mañana a
 * las 11" always means the same day; production reads the real clock.
 */
import { Config, Context, Effect, Layer, Option } from "effect";
import { DEFAULT_SCHEDULE, loadSchedule, type Schedule } from "./schedule.ts";

export interface AppointmentSettingsShape {
  readonly schedule: Schedule;
  readonly now: () => Date;
}

export class AppointmentSettings extends Context.Service<AppointmentSettings, AppointmentSettingsShape>()("AppointmentSettings") {
  static readonly fromValues = (schedule: Schedule = DEFAULT_SCHEDULE, now: () => Date = () => new Date()) =>
    Layer.succeed(AppointmentSettings, AppointmentSettings.of({ schedule, now }));

  /** APPOINTMENTS_SCHEDULE_FILE (JSON, see schedule.ts) and APPOINTMENTS_FIXED_NOW (ISO instant). */
  static readonly layer = Layer.effect(
    AppointmentSettings,
    Effect.gen(function* () {
      const file = yield* Config.String("APPOINTMENTS_SCHEDULE_FILE").pipe(Config.option);
      const fixed = yield* Config.String("APPOINTMENTS_FIXED_NOW").pipe(Config.option);
      const schedule = loadSchedule(Option.getOrUndefined(Option.filter(file, (f) => f.trim() !== "")));
      const at = Option.getOrUndefined(Option.filter(fixed, (f) => f.trim() !== ""));
      const fixedNow = at === undefined ? undefined : new Date(at);
      if (fixedNow !== undefined && Number.isNaN(fixedNow.getTime())) return yield* Effect.die(new Error(`APPOINTMENTS_FIXED_NOW is not an ISO instant: ${at}`));
      return AppointmentSettings.of({ schedule, now: fixedNow === undefined ? () => new Date() : () => new Date(fixedNow) });
    }),
  );
}
