/**
 * The composition root: every service the channels need, built from configuration. Embedded
 * defaults (PGlite, in-process search, offline model, in-process traces) unless configured.
 */
import { Effect, Layer } from "effect";
import { CarStore } from "../knowledge/catalog/car-store.ts";
import { ChannelEventStore } from "../channels/whatsapp/delivery/channel-event-store.ts";
import { seedCatalogIfEmpty } from "../knowledge/catalog/seed.ts";
import { ConversationStore } from "../knowledge/conversations/conversation-store.ts";
import { Database } from "../knowledge/db/database.ts";
import { QuoteStore } from "../knowledge/financing/quote-store.ts";
import { syncKnowledgeDocuments, DEFAULT_DOCUMENTS_DIR } from "../knowledge/knowledge-base/sync.ts";
import { EffectTracingLive } from "../observability/tracing.ts";
import { CatalogAdmin } from "../knowledge/catalog/search/catalog-admin.ts";
import { CatalogSearch } from "../knowledge/catalog/search/catalog-search.ts";
import { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { makeSalesToolkit } from "../tools/toolkit.ts";
import { Toolkit } from "../core/toolkit.ts";
import { ConversationLock } from "../core/conversation-lock.ts";
import { createOfflineModel } from "../models/offline/index.ts";
import { SalesAgent } from "./sales-agent.ts";
import { AgentLive } from "../core/agent-live.ts";
import { AppConfig } from "../core/config.ts";
import { AgentModel } from "../core/model.ts";

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
    return CatalogSearch.layerFromConfig(search);
  }),
);

const Stores = Layer.mergeAll(CarStore.layer, ConversationStore.layer, QuoteStore.layer, ChannelEventStore.layer);

/** Everything but the model and config: the database-backed services and tools. */
const ToolkitLive = Layer.effect(Toolkit, makeSalesToolkit);

const ServicesLive = Layer.mergeAll(ToolkitLive, CatalogAdmin.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(CatalogSearchLive, KnowledgeSearch.layer)),
  Layer.provideMerge(StartupData),
  Layer.provideMerge(Stores),
  Layer.provideMerge(DatabaseLive),
);

/** The model the configuration selects, with the built-in Spanish model as the default. */
export const ConfiguredModel = AgentModel.fromConfig(createOfflineModel);
/** The built-in model whatever the configuration says (tests, the release gate). */
export const OfflineModel = AgentModel.builtIn(createOfflineModel());

/**
 * The application: the Kavak sales agent plus the services channels use directly. Give it an
 * AppConfig and an AgentModel (ConfiguredModel, OfflineModel, or a test's own).
 */
export const AppServices = AgentLive.pipe(
  Layer.provideMerge(Layer.mergeAll(SalesAgent, ConversationLock.inProcess)),
  Layer.provideMerge(ServicesLive),
  Layer.provideMerge(EffectTracingLive),
);
