/**
 * Validation of a car written through the admin API: zod schemas, one precise error per field,
 * and the enrichment the CSV import also applies (display casing, transmission from the
 * version, body type and seats from the reviewed lookup).
 */
import { z } from "zod";
import { classifyBody } from "../body-types.ts";
import type { Car } from "../car.ts";
import { displayMake, displayModel, transmissionFromVersion } from "../normalize.ts";

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

const MAX_YEAR = () => new Date().getFullYear() + 1;
const mm = z.number().int().min(500).max(10_000).nullable();

const fields = {
  stockId: z.number().int().positive().max(2_147_483_647),
  make: z.string().trim().min(1).max(60),
  model: z.string().trim().min(1).max(60),
  year: z.number().int().min(1950).refine((year) => year <= MAX_YEAR(), { message: "year_in_future" }),
  version: z.string().trim().max(200),
  price: z.number().int().positive().max(100_000_000),
  km: z.number().int().min(0).max(2_000_000),
  bluetooth: z.boolean().nullable(),
  carPlay: z.boolean().nullable(),
  transmission: z.enum(["automatica", "manual"]).nullable(),
  lengthMm: mm,
  widthMm: mm,
  heightMm: mm,
  bodyType: z.enum(["sedan", "hatchback", "suv", "pickup", "minivan", "coupe"]).nullable(),
  seats: z.number().int().min(1).max(15).nullable(),
};

/** A new or replaced car: required fields, then optional ones (derived when absent). */
export const carInput = z
  .object({
    ...fields,
    version: fields.version.default(""),
    bluetooth: fields.bluetooth.default(null),
    carPlay: fields.carPlay.default(null),
    transmission: fields.transmission.optional(),
    lengthMm: fields.lengthMm.default(null),
    widthMm: fields.widthMm.default(null),
    heightMm: fields.heightMm.default(null),
    bodyType: fields.bodyType.optional(),
    seats: fields.seats.optional(),
  })
  .strict();

/** A partial change: any field but the stock id. */
export const carPatch = z.object(fields).omit({ stockId: true }).partial().strict();

export type CarInput = z.input<typeof carInput>;
export type CarPatch = z.infer<typeof carPatch>;

const describeIssue = (issue: z.core.$ZodIssue, present: boolean): string => {
  switch (issue.code) {
    case "invalid_type":
      return present ? `must be ${EXPECTED[issue.expected] ?? issue.expected}` : "is required";
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      return issue.inclusive === false ? `must be greater than ${issue.minimum}` : `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      return issue.inclusive === false ? `must be less than ${issue.maximum}` : `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return "is not a car field";
    case "custom":
      return issue.message === "year_in_future" ? `must not be after ${MAX_YEAR()}` : issue.message;
    default:
      return issue.message;
  }
};

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true, false or null",
  object: "a JSON object",
  null: "null",
};

/** zod issues → one error per field. `input` tells a missing field from a wrong one. */
export const fieldErrors = (error: z.ZodError, input: unknown): FieldError[] =>
  error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : issue.code === "unrecognized_keys" ? issue.keys.join(",") : "(body)";
    const key = issue.path[0];
    const present = typeof input === "object" && input !== null && key !== undefined && (input as Record<PropertyKey, unknown>)[key] !== undefined;
    return { field, message: describeIssue(issue, issue.path.length === 0 || present) };
  });

/** Fills what the car does not state, the way the CSV import does. */
export const enrich = (input: z.output<typeof carInput>): Car => {
  const make = displayMake(input.make);
  const model = displayModel(input.model);
  const body = classifyBody(make, model, input.heightMm, { version: input.version, lengthMm: input.lengthMm });
  return {
    stockId: input.stockId,
    make,
    model,
    year: input.year,
    version: input.version,
    price: input.price,
    km: input.km,
    bluetooth: input.bluetooth,
    carPlay: input.carPlay,
    transmission: input.transmission === undefined ? transmissionFromVersion(input.version) : input.transmission,
    lengthMm: input.lengthMm,
    widthMm: input.widthMm,
    heightMm: input.heightMm,
    bodyType: input.bodyType === undefined ? body.bodyType : input.bodyType,
    seats: input.seats === undefined ? body.seats : input.seats,
  };
};

/** A patched car: derived fields are recomputed when what they derive from changes, unless given. */
export const applyPatch = (current: Car, patch: CarPatch): z.input<typeof carInput> => {
  const next: Record<string, unknown> = { ...current, ...patch };
  const shapeChanged = ["make", "model", "version", "lengthMm", "heightMm"].some((key) => key in patch);
  if (shapeChanged && !("bodyType" in patch)) delete next.bodyType;
  if (shapeChanged && !("seats" in patch)) delete next.seats;
  if ("version" in patch && !("transmission" in patch)) delete next.transmission;
  return next as z.input<typeof carInput>;
};
