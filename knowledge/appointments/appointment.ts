/** An appointment as the domain sees it, and its typed refusals. */
import { Data } from "effect";

export type AppointmentKind = "visita" | "prueba_de_manejo";
export type AppointmentStatus = "confirmed" | "cancelled";

export interface AppointmentSede {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly address: string;
}

export interface Appointment {
  readonly id: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly kind: AppointmentKind;
  readonly sede: AppointmentSede;
  readonly car: { readonly stockId: number; readonly title: string } | null;
  readonly startsAt: Date;
  readonly status: AppointmentStatus;
  /** Bumped on every move or cancellation: a reminder queued for an older version is stale. */
  readonly version: number;
  readonly phone: string | null;
  readonly createdAt: Date;
}

/** A slot offered instead: local time in the sede's zone ("2026-03-14T11:00") and its Spanish label. */
export interface SlotOption {
  readonly startsAt: string;
  readonly label: string;
}

export type AppointmentErrorCode =
  | "missing_sede"
  | "unknown_sede"
  | "choose_sede"
  | "missing_time"
  | "choose_time"
  | "past_time"
  | "closed"
  | "slot_full"
  | "too_far"
  | "no_appointment"
  | "car_not_found";

/** A refusal the customer can be told (Spanish message), with what to offer instead. */
export class AppointmentError extends Data.TaggedError("AppointmentError")<{
  readonly code: AppointmentErrorCode;
  readonly message: string;
  /** Free slots nearest to what was asked (never outside the hours, never in the past). */
  readonly options?: ReadonlyArray<SlotOption>;
  /** Sedes to choose from ("Kavak Explanada (Puebla)"). */
  readonly sedes?: ReadonlyArray<string>;
}> {}
