/**
 * The one configuration module. Every setting has a default that runs the embedded mode
 * (PGlite, in-process search, offline model, in-process traces); setting the variable switches
 * to the real part. README.md lists each variable.
 */
import { Config, Context, Effect, Layer, Option, Redacted } from "effect";

const optionalString = (name: string) =>
  Config.String(name).pipe(
    Config.option,
    Config.map(Option.filter((value) => value.trim() !== "")),
    Config.map(Option.getOrUndefined),
  );

const optionalSecret = (name: string) =>
  Config.Redacted(name).pipe(
    Config.option,
    Config.map(Option.filter((value) => Redacted.value(value).trim() !== "")),
    Config.map(Option.getOrUndefined),
  );

const list = (name: string) =>
  Config.String(name).pipe(
    Config.withDefault(""),
    Config.map((raw) => raw.split(",").map((item) => item.trim()).filter((item) => item !== "")),
  );

export const appConfig = Config.all({
  port: Config.Port("PORT").pipe(Config.withDefault(3000)),
  database: Config.all({
    url: optionalSecret("DATABASE_URL"),
    /** PGlite data directory; "memory://" keeps it in memory (tests). */
    pgliteDataDir: Config.String("PGLITE_DATA_DIR").pipe(Config.withDefault(".data/pglite")),
    seedCatalog: Config.Boolean("SEED_CATALOG").pipe(Config.withDefault(true)),
  }),
  model: Config.all({
    openaiApiKey: optionalSecret("OPENAI_API_KEY"),
    openaiBaseUrl: optionalString("OPENAI_BASE_URL"),
    openaiModel: Config.String("OPENAI_MODEL").pipe(Config.withDefault("gpt-4o-mini")),
    /** Upper bound of model steps (tool round trips) in one turn. */
    maxSteps: Config.Int("AGENT_MAX_STEPS").pipe(Config.withDefault(6)),
    /** Per-turn timeout. */
    turnTimeoutMs: Config.Int("AGENT_TURN_TIMEOUT_MS").pipe(Config.withDefault(60_000)),
  }),
  search: Config.all({
    meiliUrl: optionalString("MEILI_URL"),
    meiliMasterKey: optionalSecret("MEILI_MASTER_KEY"),
    meiliIndex: Config.String("MEILI_INDEX").pipe(Config.withDefault("cars")),
  }),
  telemetry: Config.all({
    otlpEndpoint: optionalString("OTEL_EXPORTER_OTLP_ENDPOINT"),
    serviceName: Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault("kavak-agent")),
  }),
  admin: Config.all({
    apiKeys: list("ADMIN_API_KEYS"),
  }),
});

export type AppConfigShape = Config.Success<typeof appConfig>;

export class AppConfig extends Context.Service<AppConfig, AppConfigShape>()("AppConfig") {
  static readonly layer = Layer.effect(AppConfig, appConfig);
  static readonly fromValues = (config: AppConfigShape) => Layer.succeed(AppConfig, config);
}

/** Reads the configuration once, outside any layer (command-line scripts). */
export const loadConfig = (): Promise<AppConfigShape> => Effect.runPromise(appConfig);
