/**
 * The appointment book: books a visit or test drive at a sede when the dealer's schedule has room,
 * moves and cancels it, lists them. Every refusal is an AppointmentError carrying the nearest free
 * slots (never in the past, never outside the hours) or the sedes to choose from. A slot's capacity
 * is checked again under a per-sede transaction lock, so two customers cannot take its last place.
 */
import { Context, Effect, Layer, Result } from "effect";
import { sql, type Kysely, type Selectable } from "kysely";
import { randomUUID } from "node:crypto";
import { Database, DatabaseError } from "../db/database.ts";
import type { AppointmentsTable, DB } from "../db/schema.ts";
import type { Sede } from "../knowledge-base/sedes.ts";
import { AppointmentError, type Appointment, type AppointmentKind, type SlotOption } from "./appointment.ts";
import { AppointmentEvents } from "./events.ts";
import { dateLabel, fromLocal, localIso, timeLabel, toLocal, type LocalDateTime } from "./local-time.ts";
import { capacityOf, nearestFreeSlots, slotProblem, slotsOn, type Schedule } from "./schedule.ts";
import { AppointmentSettings } from "./settings.ts";
import { findSedes, sedesByCity } from "./sede-lookup.ts";
import { readWhen, windowMinutes } from "./when.ts";

export interface BookRequest {
  readonly conversationId: string;
  readonly channel: string;
  readonly kind: AppointmentKind;
  /** The sede as the customer named it (name, zone or city) or its id. */
  readonly sede: string | undefined;
  /** The day and time as the customer said it, or a local ISO time a tool offered. */
  readonly when: string | undefined;
  readonly car: { readonly stockId: number; readonly title: string } | null;
  readonly phone: string | null;
}

export interface AppointmentFilter {
  readonly from?: Date;
  readonly to?: Date;
  readonly status?: "confirmed" | "cancelled";
  readonly sedeId?: string;
  readonly channel?: string;
  readonly limit?: number;
}

export interface AppointmentBookShape {
  readonly book: (request: BookRequest) => Effect.Effect<Appointment, AppointmentError | DatabaseError>;
  /** The conversation's latest confirmed appointment to come. */
  readonly current: (conversationId: string) => Effect.Effect<Appointment | undefined, DatabaseError>;
  readonly move: (conversationId: string, when: string | undefined) => Effect.Effect<{ readonly before: Appointment; readonly after: Appointment }, AppointmentError | DatabaseError>;
  readonly cancel: (conversationId: string) => Effect.Effect<Appointment, AppointmentError | DatabaseError>;
  readonly get: (id: string) => Effect.Effect<Appointment | undefined, DatabaseError>;
  readonly list: (filter: AppointmentFilter) => Effect.Effect<ReadonlyArray<Appointment>, DatabaseError>;
  /** "sábado 14 de marzo a las 11:00" in the dealer's zone. */
  readonly label: (at: Date) => string;
  /** "2026-03-14T11:00" in the dealer's zone. */
  readonly localIso: (at: Date) => string;
}

const toAppointment = (row: Selectable<AppointmentsTable>): Appointment => ({
  id: row.id,
  conversationId: row.conversation_id,
  channel: row.channel,
  kind: row.kind,
  sede: { id: row.sede_id, name: row.sede_name, city: row.sede_city, address: row.sede_address },
  car: row.stock_id === null ? null : { stockId: row.stock_id, title: row.car_title ?? "" },
  startsAt: new Date(row.starts_at),
  status: row.status,
  version: row.version,
  phone: row.phone,
  createdAt: new Date(row.created_at),
});

const slotLabel = (slot: LocalDateTime): string => `${dateLabel(slot)} a las ${timeLabel(slot)}`;
const option = (slot: LocalDateTime): SlotOption => ({ startsAt: localIso(slot), label: slotLabel(slot) });

/** Counts of confirmed appointments per start instant at a sede, around a target. */
const bookedAround = async (db: Kysely<DB>, sedeId: string, target: Date, excludeId?: string): Promise<Map<number, number>> => {
  let query = db
    .selectFrom("appointments")
    .select(["starts_at", sql<number>`count(*)::int`.as("n")])
    .where("sede_id", "=", sedeId)
    .where("status", "=", "confirmed")
    .where("starts_at", ">=", new Date(target.getTime() - 8 * 86_400_000))
    .where("starts_at", "<=", new Date(target.getTime() + 15 * 86_400_000))
    .groupBy("starts_at");
  if (excludeId !== undefined) query = query.where("id", "!=", excludeId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [new Date(r.starts_at).getTime(), Number(r.n)]));
};

class SlotTaken extends Error {}

/**
 * A refused request is an answer, not a fault: the span ends OK with the refusal's code as an
 * attribute, and the AppointmentError is raised outside it (like financing's rejections).
 */
const refusalsOutsideSpan =
  (name: string) =>
  <A, E, R>(effect: Effect.Effect<A, E | AppointmentError, R>): Effect.Effect<A, E | AppointmentError, R> =>
    effect.pipe(
      Effect.map((value) => Result.succeed(value) as Result.Result<A, AppointmentError>),
      Effect.catchIf(
        (error): error is AppointmentError => error instanceof AppointmentError,
        (refusal) => Effect.annotateCurrentSpan("appointments.refused", refusal.code).pipe(Effect.as(Result.fail(refusal))),
      ),
      Effect.withSpan(name),
      Effect.flatMap(Effect.fromResult),
    );

const makeBook = Effect.gen(function* () {
  const { use } = yield* Database;
  const { schedule, now } = yield* AppointmentSettings;
  const events = yield* AppointmentEvents;
  const tz = schedule.timeZone;

  const label = (at: Date) => slotLabel(toLocal(at, tz));

  const resolveSede = (text: string | undefined): Effect.Effect<Sede, AppointmentError> => {
    if (text === undefined || text.trim() === "")
      return Effect.fail(new AppointmentError({ code: "missing_sede", message: `¿En qué sede te queda mejor? ${sedesByCity()}.`, sedes: findSedes("").map((s) => s.name) }));
    const found = findSedes(text);
    if (found.length === 1) return Effect.succeed(found[0]!);
    if (found.length > 1)
      return Effect.fail(new AppointmentError({ code: "choose_sede", message: `Ahí tenemos ${found.length} sedes: ${found.map((s) => s.name).join(", ")}. ¿En cuál?`, sedes: found.map((s) => `${s.name} (${s.city})`) }));
    return Effect.fail(new AppointmentError({ code: "unknown_sede", message: `No encontré esa sede. Las sedes son: ${sedesByCity()}.`, sedes: [] }));
  };

  /** The start instant asked for, or the refusal with what to offer instead. */
  const resolveSlot = (sede: Sede, when: string | undefined, booked: Map<number, number>): Effect.Effect<LocalDateTime, AppointmentError> =>
    Effect.suspend(() => {
      const at = now();
      const countAt = (d: Date) => booked.get(d.getTime()) ?? 0;
      const nearest = (target: LocalDateTime) => nearestFreeSlots(schedule, sede.id, target, at, countAt).map(option);
      const reading = readWhen(when ?? "", at, tz);
      if (reading.kind === "none") return Effect.fail(new AppointmentError({ code: "missing_time", message: "¿Qué día y a qué hora te gustaría ir?" }));
      const today = toLocal(at, tz);
      if (reading.kind === "day") {
        const [from, to] = reading.window === undefined ? [0, 24 * 60] : windowMinutes(reading.window);
        const free = slotsOn(schedule, sede.id, reading.date).filter(
          (s) => s.hour * 60 + s.minute >= from && s.hour * 60 + s.minute < to && slotProblem(schedule, sede.id, s, at) === undefined && countAt(fromLocal(s, tz)) < capacityOf(schedule, sede.id),
        );
        if (free.length > 0) return Effect.fail(new AppointmentError({ code: "choose_time", message: `¿A qué hora? Tengo lugar el ${dateLabel(reading.date)}.`, options: free.slice(0, 4).map(option) }));
        const target = { ...reading.date, hour: Math.floor(from / 60) || 10, minute: 0 };
        const past = fromLocal({ ...reading.date, hour: 23, minute: 59 }, tz).getTime() < at.getTime();
        return Effect.fail(
          new AppointmentError(
            past
              ? { code: "past_time", message: "Esa fecha ya pasó.", options: nearest(target) }
              : slotsOn(schedule, sede.id, reading.date).length === 0
                ? { code: "closed", message: `El ${dateLabel(reading.date)} no hay horario de citas en ${sede.name}.`, options: nearest(target) }
                : { code: "slot_full", message: `El ${dateLabel(reading.date)} ya no hay lugar${reading.window === undefined ? "" : " en ese horario"} en ${sede.name}.`, options: nearest(target) },
          ),
        );
      }
      let start: LocalDateTime;
      if (reading.kind === "time") {
        const todayAt = { year: today.year, month: today.month, day: today.day, hour: reading.hour, minute: reading.minute };
        start = fromLocal(todayAt, tz).getTime() > at.getTime() ? todayAt : { ...todayAt, ...nextDay(todayAt) };
      } else start = reading.at;
      const problem = slotProblem(schedule, sede.id, start, at);
      if (problem === "past" || problem === "too_soon")
        return Effect.fail(new AppointmentError({ code: "past_time", message: problem === "past" ? "Esa hora ya pasó." : `Necesitamos al menos ${schedule.minNoticeMinutes} minutos de anticipación.`, options: nearest(start) }));
      if (problem === "too_far") return Effect.fail(new AppointmentError({ code: "too_far", message: `Por ahora agendo con hasta ${schedule.horizonDays} días de anticipación.`, options: nearest(start) }));
      if (problem === "closed_day" || problem === "closed_hour")
        return Effect.fail(
          new AppointmentError({
            code: "closed",
            message: problem === "closed_day" ? `El ${dateLabel(start)} no hay horario de citas en ${sede.name}.` : `A esa hora no hay citas en ${sede.name}.`,
            options: nearest(start),
          }),
        );
      if (countAt(fromLocal(start, tz)) >= capacityOf(schedule, sede.id))
        return Effect.fail(new AppointmentError({ code: "slot_full", message: `El ${slotLabel(start)} ya está lleno en ${sede.name}.`, options: nearest(start) }));
      return Effect.succeed(start);
    });

  const nextDay = (t: LocalDateTime): LocalDateTime => {
    const d = new Date(Date.UTC(t.year, t.month - 1, t.day + 1));
    return { ...t, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  };

  const transaction = <A>(operation: string, run: (trx: Kysely<DB>) => Promise<A>) =>
    use(operation, (db) => db.transaction().execute(run)).pipe(Effect.mapError((error) => (error.cause instanceof SlotTaken ? error.cause : error)));

  /** Writes under the sede's lock after counting the slot again; a full slot fails as SlotTaken. */
  const writeSlot = (operation: string, sedeId: string, start: Date, excludeId: string | undefined, write: (trx: Kysely<DB>) => Promise<Appointment>) =>
    transaction(operation, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`appointments:${sedeId}`}))`.execute(trx);
      let count = trx.selectFrom("appointments").select(sql<number>`count(*)::int`.as("n")).where("sede_id", "=", sedeId).where("status", "=", "confirmed").where("starts_at", "=", start);
      if (excludeId !== undefined) count = count.where("id", "!=", excludeId);
      const { n } = await count.executeTakeFirstOrThrow();
      if (Number(n) >= capacityOf(schedule, sedeId)) throw new SlotTaken();
      const appointment = await write(trx);
      await events.changed(trx, appointment);
      return appointment;
    }).pipe(
      Effect.tap((appointment) => Effect.sync(() => events.committed(appointment))),
      Effect.catchIf(
        (e): e is SlotTaken => e instanceof SlotTaken,
        () => Effect.fail(new AppointmentError({ code: "slot_full", message: "Ese horario se acaba de llenar.", options: [] })),
      ),
    );

  const book = (request: BookRequest) => bookUntraced(request).pipe(refusalsOutsideSpan("appointments.book"));
  const bookUntraced = Effect.fnUntraced(function* (request: BookRequest) {
    const sede = yield* resolveSede(request.sede);
    const target = yield* use("appointments.booked", (db) => bookedAround(db, sede.id, now()));
    const start = yield* resolveSlot(sede, request.when, target);
    const startsAt = fromLocal(start, tz);
    return yield* writeSlot("appointments.book", sede.id, startsAt, undefined, async (trx) => {
      const row = await trx
        .insertInto("appointments")
        .values({
          id: `apt_${randomUUID()}`,
          conversation_id: request.conversationId,
          channel: request.channel,
          kind: request.kind,
          sede_id: sede.id,
          sede_name: sede.name,
          sede_city: sede.city,
          sede_address: sede.address,
          stock_id: request.car?.stockId ?? null,
          car_title: request.car?.title ?? null,
          starts_at: startsAt,
          phone: request.phone,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAppointment(row);
    });
  });

  const current = (conversationId: string) =>
    use("appointments.current", (db) =>
      db
        .selectFrom("appointments")
        .selectAll()
        .where("conversation_id", "=", conversationId)
        .where("status", "=", "confirmed")
        .where("starts_at", ">", now())
        .orderBy("created_at", "desc")
        .limit(1)
        .executeTakeFirst(),
    ).pipe(Effect.map((row) => (row === undefined ? undefined : toAppointment(row))));

  const existing = (conversationId: string) =>
    current(conversationId).pipe(
      Effect.flatMap((a) => (a === undefined ? Effect.fail(new AppointmentError({ code: "no_appointment", message: "No encontré una cita agendada en esta conversación." })) : Effect.succeed(a))),
    );

  const move = (conversationId: string, when: string | undefined) => moveUntraced(conversationId, when).pipe(refusalsOutsideSpan("appointments.move"));
  const moveUntraced = Effect.fnUntraced(function* (conversationId: string, when: string | undefined) {
    const before = yield* existing(conversationId);
    const sede = yield* resolveSede(before.sede.id);
    const booked = yield* use("appointments.booked", (db) => bookedAround(db, sede.id, now(), before.id));
    const start = yield* resolveSlot(sede, when, booked);
    const startsAt = fromLocal(start, tz);
    const after = yield* writeSlot("appointments.move", sede.id, startsAt, before.id, async (trx) =>
      toAppointment(
        await trx
          .updateTable("appointments")
          .set({ starts_at: startsAt, version: sql<number>`version + 1`, updated_at: new Date() })
          .where("id", "=", before.id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      ),
    );
    return { before, after };
  });

  const cancel = (conversationId: string) => cancelUntraced(conversationId).pipe(refusalsOutsideSpan("appointments.cancel"));
  const cancelUntraced = Effect.fnUntraced(function* (conversationId: string) {
    const before = yield* existing(conversationId);
    return yield* transaction("appointments.cancel", async (trx) => {
      const row = await trx
        .updateTable("appointments")
        .set({ status: "cancelled", version: sql<number>`version + 1`, updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const appointment = toAppointment(row);
      await events.changed(trx, appointment);
      return appointment;
    }).pipe(
      Effect.tap((a) => Effect.sync(() => events.committed(a))),
      Effect.catchIf(
        (e): e is SlotTaken => e instanceof SlotTaken,
        (e) => Effect.fail(new DatabaseError({ operation: "appointments.cancel", cause: e })),
      ),
    );
  });

  const get = (id: string) =>
    use("appointments.get", (db) => db.selectFrom("appointments").selectAll().where("id", "=", id).executeTakeFirst()).pipe(Effect.map((r) => (r === undefined ? undefined : toAppointment(r))));

  const list = (filter: AppointmentFilter) =>
    use("appointments.list", (db) => {
      let q = db.selectFrom("appointments").selectAll().orderBy("starts_at", "asc").limit(Math.min(filter.limit ?? 100, 500));
      if (filter.from !== undefined) q = q.where("starts_at", ">=", filter.from);
      if (filter.to !== undefined) q = q.where("starts_at", "<", filter.to);
      if (filter.status !== undefined) q = q.where("status", "=", filter.status);
      if (filter.sedeId !== undefined) q = q.where("sede_id", "=", filter.sedeId);
      if (filter.channel !== undefined) q = q.where("channel", "=", filter.channel);
      return q.execute();
    }).pipe(Effect.map((rows) => rows.map(toAppointment)));

  return AppointmentBook.of({ book, current, move, cancel, get, list, label, localIso: (at: Date) => localIso(toLocal(at, tz)) });
});

export class AppointmentBook extends Context.Service<AppointmentBook, AppointmentBookShape>()("AppointmentBook") {
  /** Needs Database, AppointmentSettings and AppointmentEvents. */
  static readonly layer = Layer.effect(AppointmentBook, makeBook);
}

export type { Schedule };
