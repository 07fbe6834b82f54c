/**
 * check_fines: the unpaid traffic fines of a plate. The tool records a check and enqueues it for
 * the fines worker, then waits up to FINES_INLINE_WAIT_MS for the result: in time, the answer is
 * part of this turn; otherwise the tool answers "pending" and the answer arrives asynchronously
 * (WhatsApp message, the conversation's history, GET /v1/fines/checks/{id}).
 * Amounts are decimal strings of pesos with two decimals, computed from integer cents.
 * A photo instead of a plate: `photo: 1` names an image attached to the user's current message
 * (the turn's attachments arrive in the tool's context); it is stored with the check until the
 * worker has read the plate in it. An unsure or failed reading is answered "unsure"/"unreadable"
 * (the assistant asks the user to confirm or type the plate) and no fines are looked up.
 */
import { trace } from "@opentelemetry/api";
import { tool } from "ai";
import { Effect } from "effect";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Attachment } from "../core/turn.ts";
import { FinesChecks, type CheckImage, type StoredCheck } from "../knowledge/fines/checks.ts";
import { centsToDecimal } from "../knowledge/fines/money.ts";
import { displayPlate, normalizePlate } from "../knowledge/fines/plates.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

export const CHECK_FINES = "check_fines";

export const checkFinesInput = z.object({
  plate: z.string().max(20).optional().describe("Placa del auto tal como la escribió el cliente, p. ej. NXR-4521 o ABC-123-D"),
  photo: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe("Si el cliente mandó una foto del auto o de la placa en su mensaje actual (y no escribió la placa): el número de esa foto, 1 = la primera"),
});
export type CheckFinesInput = z.infer<typeof checkFinesInput>;

export interface FineLine {
  readonly folio: string;
  readonly description: string;
  readonly authority: string;
  readonly issuedOn: string;
  /** Pesos, two decimals: "1085.70". */
  readonly amount: string;
}

export type CheckFinesOutput =
  | {
      readonly ok: true;
      readonly status: "done";
      readonly checkId: string;
      /** As printed: "NXR-4521". */
      readonly plate: string;
      readonly count: number;
      readonly total: string;
      readonly fines: ReadonlyArray<FineLine>;
      /** "sample": the embedded demo dataset, not a real registry. */
      readonly source: "sample" | "http";
    }
  | { readonly ok: true; readonly status: "pending"; readonly checkId: string; readonly plate: string }
  | { readonly ok: true; readonly status: "unreadable" | "unsure"; readonly checkId: string; readonly plate?: string }
  | { readonly ok: false; readonly error: { readonly code: "invalid_plate" | "registry_unavailable" | "no_photo"; readonly message: string } };

/** What a settled (or pending) check says, as this tool answers it. */
export const checkFinesResult = (check: StoredCheck): CheckFinesOutput => {
  const plate = check.plate === null ? undefined : displayPlate(check.plate);
  switch (check.status) {
    case "pending":
      return { ok: true, status: "pending", checkId: check.id, plate: plate ?? "" };
    case "failed":
      return { ok: false, error: { code: "registry_unavailable", message: "El sistema de multas no respondió; intenta de nuevo más tarde." } };
    case "unreadable":
    case "unsure":
      return { ok: true, status: check.status, checkId: check.id, ...(plate === undefined ? {} : { plate }) };
    case "done": {
      const result = check.result!;
      return {
        ok: true,
        status: "done",
        checkId: check.id,
        plate: displayPlate(result.plate),
        count: result.fines.length,
        total: centsToDecimal(result.totalCents),
        fines: result.fines.map((f) => ({ folio: f.folio, description: f.description, authority: f.authority, issuedOn: f.issuedOn, amount: centsToDecimal(f.amountCents) })),
        source: result.source,
      };
    }
  }
};

export const checkFinesContext = z.object({
  conversationId: z.string(),
  channel: z.string(),
  /** The images of the user's current message (the harness' TurnContext.attachments). */
  attachments: z.array(z.custom<Attachment>()).optional(),
});

/** The image types a plate photo may have, and its size limit (WhatsApp's own for images). */
export const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

const photosOf = (attachments: ReadonlyArray<Attachment> | undefined): CheckImage[] =>
  (attachments ?? []).flatMap((a) =>
    PHOTO_TYPES.has(a.mediaType) && a.data.byteLength > 0 && a.data.byteLength <= MAX_PHOTO_BYTES ? [{ mediaType: a.mediaType as CheckImage["mediaType"], data: a.data }] : [],
  );

/** Names a photo in the check without its content: a short digest (the photo itself is not kept). */
const photoRef = (image: CheckImage) => `photo:${createHash("sha256").update(image.data).digest("hex").slice(0, 16)}`;

const NO_PHOTO: CheckFinesOutput = {
  ok: false,
  error: { code: "no_photo", message: "No llegó ninguna foto en este mensaje: pide que la manden de nuevo o que escriban la placa." },
};

const traceparentNow = (): string | undefined => {
  const span = trace.getActiveSpan()?.spanContext();
  return span === undefined ? undefined : `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, "0")}`;
};

export interface CheckFinesTurn {
  readonly conversationId: string | null;
  readonly channel: string;
  readonly attachments?: ReadonlyArray<Attachment> | undefined;
}

export const checkFines = (input: CheckFinesInput, turn: CheckFinesTurn, inlineWaitMs: number) =>
  Effect.gen(function* () {
    const typed = input.plate !== undefined && input.plate.trim() !== "";
    const plate = typed ? normalizePlate(input.plate!) : undefined;
    if (typed && plate === undefined)
      return {
        ok: false,
        error: { code: "invalid_plate", message: "Esa placa no tiene un formato válido de auto particular (por ejemplo ABC-123-D, ABC-1234 o 123-ABC)." },
      } satisfies CheckFinesOutput as CheckFinesOutput;
    let image: CheckImage | undefined;
    if (plate === undefined) {
      const photos = photosOf(turn.attachments);
      image = photos[(input.photo ?? 1) - 1] ?? photos[0];
      if (image === undefined) return NO_PHOTO;
    }
    const checks = yield* FinesChecks;
    const started = yield* checks.start({
      conversationId: turn.conversationId,
      channel: turn.channel,
      plate: plate?.plate ?? null,
      imageRef: image === undefined ? null : photoRef(image),
      image,
      traceparent: traceparentNow(),
    });
    const deadline = Date.now() + inlineWaitMs;
    for (;;) {
      const now = yield* checks.get(started.id);
      if (now !== undefined && now.status !== "pending") {
        const claimed = yield* checks.claimDelivery(started.id, "inline");
        if (claimed !== undefined) return checkFinesResult(claimed);
        break;
      }
      if (Date.now() >= deadline) break;
      yield* Effect.sleep("50 millis");
    }
    // Too slow for this turn: the worker delivers the answer when it has it.
    yield* checks.claimDelivery(started.id, "async");
    return checkFinesResult({ ...started, status: "pending" });
  });

export const checkFinesTool = (run: RunTool<FinesChecks>, inlineWaitMs: number) =>
  tool({
    description:
      "Consulta las multas de tránsito pendientes de una placa de auto particular mexicana, escrita (plate) o leída de una foto que el cliente mandó en este mensaje (photo). Devuelve cada multa con su monto y el total exacto; si tarda, responde status 'pending' y el resultado llega después en la conversación. Con una foto: 'unsure' (pide confirmar la placa leída) o 'unreadable' (pide que escriba la placa); entonces no se consultaron multas.",
    inputSchema: modelSchema(checkFinesInput),
    contextSchema: checkFinesContext,
    execute: (input, { context }) => run(checkFines(input, context, inlineWaitMs)),
  });
