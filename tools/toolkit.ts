/** The sales assistant's toolkit: the tools the model sees, each in its own file. */
import { Effect } from "effect";
import type { TurnContext } from "../core/toolkit.ts";
import type { CarStore } from "../knowledge/catalog/car-store.ts";
import type { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import type { QuoteStore } from "../knowledge/financing/quote-store.ts";
import type { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { calculateAffordablePriceTool } from "./calculate-affordable-price.ts";
import { calculateFinancingTool } from "./calculate-financing.ts";
import { checkFinesTool } from "./check-fines.ts";
import type { FinesChecks } from "../knowledge/fines/checks.ts";
import { finesConfig } from "../knowledge/fines/config.ts";
import { compactForMemory } from "./compact.ts";
import { TOOL_NAMES } from "./contracts.ts";
import { getCarDetailsTool } from "./get-car-details.ts";
import { makeToolRunner } from "./run-tool.ts";
import { searchCarsTool } from "./search-cars.ts";
import { searchKnowledgeTool } from "./search-knowledge.ts";
import type { AppointmentBook } from "../knowledge/appointments/appointment-book.ts";
import type { CsatStore } from "../knowledge/leads/csat-store.ts";
import type { LeadStore } from "../knowledge/leads/lead-store.ts";
import { bookAppointmentTool } from "./book-appointment.ts";
import { manageAppointmentTool } from "./manage-appointment.ts";
import { recordSatisfactionTool } from "./record-satisfaction.ts";
import { requestAdvisorTool } from "./request-advisor.ts";

export type SalesToolServices = CatalogSearch | CarStore | QuoteStore | KnowledgeSearch | FinesChecks | LeadStore | AppointmentBook | CsatStore;

export const makeSalesToolkit = Effect.gen(function* () {
  const run = yield* makeToolRunner<SalesToolServices>();
  const fines = yield* finesConfig;
  return {
    tools: {
      [TOOL_NAMES.searchCars]: searchCarsTool(run),
      [TOOL_NAMES.getCarDetails]: getCarDetailsTool(run),
      [TOOL_NAMES.calculateFinancing]: calculateFinancingTool(run),
      [TOOL_NAMES.calculateAffordablePrice]: calculateAffordablePriceTool(run),
      [TOOL_NAMES.searchKnowledge]: searchKnowledgeTool(run),
      [TOOL_NAMES.checkFines]: checkFinesTool(run, fines.inlineWaitMs),
      [TOOL_NAMES.requestAdvisor]: requestAdvisorTool(run),
      [TOOL_NAMES.bookAppointment]: bookAppointmentTool(run),
      [TOOL_NAMES.manageAppointment]: manageAppointmentTool(run),
      [TOOL_NAMES.recordSatisfaction]: recordSatisfactionTool(run),
    },
    contextFor: (turn: TurnContext) => ({
      [TOOL_NAMES.calculateFinancing]: { conversationId: turn.conversationId },
      [TOOL_NAMES.checkFines]: { conversationId: turn.conversationId, channel: turn.channel, attachments: turn.attachments ?? [] },
      [TOOL_NAMES.requestAdvisor]: { conversationId: turn.conversationId, channel: turn.channel },
      [TOOL_NAMES.bookAppointment]: { conversationId: turn.conversationId, channel: turn.channel },
      [TOOL_NAMES.manageAppointment]: { conversationId: turn.conversationId, channel: turn.channel },
      [TOOL_NAMES.recordSatisfaction]: { conversationId: turn.conversationId, channel: turn.channel },
    }),
    compactForMemory,
  };
});
