import { tool } from "ai";
import { Effect } from "effect";
import { CsatStore } from "../knowledge/leads/csat-store.ts";
import { recordSatisfactionInput, type RecordSatisfactionInput, type RecordSatisfactionOutput } from "./closing-contracts.ts";
import { modelSchema } from "./model-schema.ts";
import { closingContext, type ClosingContext } from "./request-advisor.ts";
import type { RunTool } from "./run-tool.ts";

export const recordSatisfaction = Effect.fnUntraced(function* (input: RecordSatisfactionInput, context: ClosingContext) {
  const recorded = yield* (yield* CsatStore).record({ conversationId: context.conversationId, channel: context.channel, rating: input.rating, comment: input.comment?.trim() || null });
  const output: RecordSatisfactionOutput = { ok: true, recorded };
  return output;
});

export const recordSatisfactionTool = (run: RunTool<CsatStore>) =>
  tool({
    description:
      "Guarda la calificación (1 a 5) y el comentario opcional que el cliente dio al cerrar. Pregunta la calificación UNA sola vez por conversación: al confirmar una cita o cuando se despide.",
    inputSchema: modelSchema(recordSatisfactionInput),
    contextSchema: closingContext,
    execute: (input, { context }) => run(recordSatisfaction(input, context)),
  });
