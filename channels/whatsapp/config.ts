/**
 * WhatsApp (Twilio) settings, in the style of core/config.ts, to be merged there as `whatsapp`.
 * With no variable set the channel answers inline (TwiML) and rejects every webhook until either
 * TWILIO_AUTH_TOKEN is set or TWILIO_VALIDATE_SIGNATURE=false is chosen for local development.
 */
import { Config, Option, Redacted } from "effect";

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

export const whatsappConfig = Config.all({
  /** Validates X-Twilio-Signature; with the account SID, also authenticates REST calls and media downloads. */
  authToken: optionalSecret("TWILIO_AUTH_TOKEN"),
  accountSid: optionalString("TWILIO_ACCOUNT_SID"),
  /** Optional API key pair used for REST calls instead of the auth token. */
  apiKeySid: optionalString("TWILIO_API_KEY_SID"),
  apiKeySecret: optionalSecret("TWILIO_API_KEY_SECRET"),
  /** The sender, e.g. "whatsapp:+14155238886" (the sandbox number). */
  whatsappFrom: optionalString("TWILIO_WHATSAPP_FROM"),
  /** The public origin Twilio calls, e.g. "https://bot.example.com"; signatures are checked against it. */
  publicBaseUrl: optionalString("PUBLIC_BASE_URL"),
  /** Use X-Forwarded-Proto/Host to rebuild the public URL (only behind a proxy you control). */
  trustForwardedHeaders: Config.Boolean("TWILIO_TRUST_FORWARDED_HEADERS").pipe(Config.withDefault(false)),
  /** false only for local development: every start logs a warning. */
  validateSignature: Config.Boolean("TWILIO_VALIDATE_SIGNATURE").pipe(Config.withDefault(true)),
  /** Twilio's REST origin; tests point it at a local stand-in. */
  apiBaseUrl: Config.String("TWILIO_API_BASE_URL").pipe(Config.withDefault("https://api.twilio.com")),
  /** How long the webhook waits for the answer to reply inline before acknowledging and using REST. */
  inlineBudgetMs: Config.Int("WHATSAPP_INLINE_BUDGET_MS").pipe(Config.withDefault(3000)),
});

export type WhatsAppConfig = Config.Success<typeof whatsappConfig>;
