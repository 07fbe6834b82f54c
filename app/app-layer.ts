/**
 * The composition root: every service the channels need, built from configuration. Embedded
 * defaults (PGlite, in-process search, offline model, in-process traces) unless configured.
 */
import { Effect, Layer, Redacted } from "effect";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { ChannelEventStore } from "../channels/whatsapp/delivery/channel-event-store.ts";
import { seedCatalogIfEmpty } from "../knowledge/catalog/seed.ts";
import { ConversationStore } from "../knowledge/conversations/conversation-store.ts";
import { Database } from "../knowledge/db/database.ts";
import { QuoteStore } from "../knowledge/financing/quote-store.ts";
import { syncKnowledgeDocuments, DEFAULT_DOCUMENTS_DIR } from "../knowledge/knowledge-base/sync.ts";
import { Tracing } from "../observability/tracing.ts";
import { TraceStorage } from "../observability/trace-store/layer.ts";
import { CatalogAdmin } from "../knowledge/catalog/search/catalog-admin.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import { followingCatalog } from "../knowledge/catalog/search/catalog-follower.ts";
import { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { makeSalesToolkit } from "../tools/toolkit.ts";
import { Toolkit } from "../core/toolkit.ts";
import { ConversationLockLive } from "../knowledge/conversations/conversation-lock-pg.ts";
import { createOfflineModel } from "../models/offline/index.ts";
import { SalesAgent } from "./sales-agent.ts";
import { AgentLive } from "../core/agent-live.ts";
import { AppConfig } from "../core/config.ts";
import { AgentModel } from "../core/model.ts";
import { QueueAndWorkers } from "../workers/layer.ts";
import { FinesServices } from "../workers/fines/layer.ts";
import { ClosingServices } from "../workers/closing-layer.ts";

const DatabaseLive = Layer.unwrap(
  Effect.gen(function* () {
    const { database } = yield* AppConfig;
    return Database.layer({ url: database.url, pgliteDataDir: database.pgliteDataDir });
  }),
);

/** Seeds the sample catalog and ingests the knowledge documents before anything reads them. */
const StartupData = Layer.effectDiscard(
  Effect.gen(function* () {
    const { database } = yield* AppConfig;
    if (database.seedCatalog) yield* seedCatalogIfEmpty();
    yield* syncKnowledgeDocuments(DEFAULT_DOCUMENTS_DIR);
  }),
);

const CatalogSearchLive = Layer.unwrap(
  Effect.gen(function* () {
    const { search } = yield* AppConfig;
    // Every instance's index follows the catalog version in the database (catalog-follower.ts).
    return followingCatalog(CatalogSearch.layerFromConfig(search));
  }),
);

const Stores = Layer.mergeAll(CarStore.layer, ConversationStore.layer, QuoteStore.layer, ChannelEventStore.layer, ClosingServices);

/** Everything but the model and config: the database-backed services and tools. */
const ToolkitLive = Layer.effect(Toolkit, makeSalesToolkit);

// TraceStorage: the trace store writes into this database (observability/trace-store/layer.ts).
const ServicesLive = Layer.mergeAll(ToolkitLive, CatalogAdmin.layer, TraceStorage).pipe(
  Layer.provideMerge(Layer.mergeAll(CatalogSearchLive, KnowledgeSearch.layer, FinesServices)),
  Layer.provideMerge(StartupData),
  Layer.provideMerge(Stores),
  Layer.provideMerge(DatabaseLive),
);

const TracingLive = Layer.unwrap(
  Effect.gen(function* () {
    const { telemetry } = yield* AppConfig;
    return Tracing.layer({
      serviceName: telemetry.serviceName,
      otlpEndpoint: telemetry.otlpEndpoint,
      captureContent: telemetry.captureContent,
      idKey: telemetry.idKey === undefined ? undefined : Redacted.value(telemetry.idKey),
    });
  }),
);

/** The model the configuration selects, with the built-in Spanish model as the default. */
export const ConfiguredModel = AgentModel.fromConfig(createOfflineModel);
/** The built-in model whatever the configuration says (tests, the release gate). */
export const OfflineModel = AgentModel.builtIn(createOfflineModel());

/**
 * The application: the Kavak sales agent plus the services channels use directly, the job queue
 * and (RUN_WORKERS) the background workers. Give it an AppConfig and an AgentModel
 * (ConfiguredModel, OfflineModel, or a test's own).
 */
export const AppServices = QueueAndWorkers.pipe(
  Layer.provideMerge(AgentLive),
  Layer.provideMerge(Layer.mergeAll(SalesAgent, ConversationLockLive)),
  Layer.provideMerge(ServicesLive),
  Layer.provideMerge(TracingLive),
);
