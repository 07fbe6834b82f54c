/**
 * The one configuration module. Every setting has a default that runs the embedded mode
 * (PGlite, in-process search, offline model, in-process traces); setting the variable switches
 * to the real part. README.md lists each variable.
 */
import { Config, Context, Effect, Layer, Option, Redacted } from "effect";
import { DEFAULT_MEMORY_TOKENS } from "./memory.ts";

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
    /** Budget, in estimated tokens, for earlier turns in the prompt (compacted; oldest turns dropped first). */
    memoryTokens: Config.Int("AGENT_MEMORY_TOKENS").pipe(Config.withDefault(DEFAULT_MEMORY_TOKENS)),
  }),
  search: Config.all({
    meiliUrl: optionalString("MEILI_URL"),
    meiliMasterKey: optionalSecret("MEILI_MASTER_KEY"),
    meiliIndex: Config.String("MEILI_INDEX").pipe(Config.withDefault("cars")),
  }),
  telemetry: Config.all({
    otlpEndpoint: optionalString("OTEL_EXPORTER_OTLP_ENDPOINT"),
    serviceName: Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault("agent-harness")),
    /** Prompts, messages and tool inputs/outputs in spans (phone numbers and plates redacted). Off by default. */
    captureContent: Config.Boolean("OTEL_CAPTURE_CONTENT").pipe(Config.withDefault(false)),
    /** Key of the pseudonyms that replace conversation ids carrying phone numbers in telemetry. */
    idKey: optionalSecret("TELEMETRY_ID_KEY"),
  }),
  admin: Config.all({
    apiKeys: list("ADMIN_API_KEYS"),
  }),
  whatsapp: Config.all({
    /** Validates X-Twilio-Signature; with the account SID, also authenticates REST calls and media downloads. */
    authToken: optionalSecret("TWILIO_AUTH_TOKEN"),
    accountSid: optionalString("TWILIO_ACCOUNT_SID"),
    /** Optional API key pair used for REST calls instead of the auth token. */
    apiKeySid: optionalString("TWILIO_API_KEY_SID"),
    apiKeySecret: optionalSecret("TWILIO_API_KEY_SECRET"),
    /** The sender, e.g. "whatsapp:+14155238886" (the sandbox number). */
    whatsappFrom: optionalString("TWILIO_WHATSAPP_FROM"),
    /** The public origin Twilio calls; signatures are checked against it. */
    publicBaseUrl: optionalString("PUBLIC_BASE_URL"),
    /** Rebuild the public URL from X-Forwarded-Proto/Host (only behind a proxy you control). */
    trustForwardedHeaders: Config.Boolean("TWILIO_TRUST_FORWARDED_HEADERS").pipe(Config.withDefault(false)),
    /** false only for local development: every start logs a warning. */
    validateSignature: Config.Boolean("TWILIO_VALIDATE_SIGNATURE").pipe(Config.withDefault(true)),
    /** Twilio's REST origin; tests point it at a local stand-in. */
    apiBaseUrl: Config.String("TWILIO_API_BASE_URL").pipe(Config.withDefault("https://api.twilio.com")),
    /** How long the webhook waits to answer inline before acknowledging and replying via REST. */
    inlineBudgetMs: Config.Int("WHATSAPP_INLINE_BUDGET_MS").pipe(Config.withDefault(3000)),
  }),
  widget: Config.all({
    /** Origins allowed to call the chat API from a browser; "*" allows any. The server's own origin always is. */
    allowedOrigins: list("WIDGET_ALLOWED_ORIGINS"),
  }),
});

export type AppConfigShape = Config.Success<typeof appConfig>;

export class AppConfig extends Context.Service<AppConfig, AppConfigShape>()("AppConfig") {
  static readonly layer = Layer.effect(AppConfig, appConfig);
  static readonly fromValues = (config: AppConfigShape) => Layer.succeed(AppConfig, config);
}

/** Reads the configuration once, outside any layer (command-line scripts). */
export const loadConfig = (): Promise<AppConfigShape> => Effect.runPromise(appConfig);
