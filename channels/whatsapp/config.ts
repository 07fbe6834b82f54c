/** The WhatsApp channel's settings: the `whatsapp` part of the one config module (core/config.ts). */
import type { AppConfigShape } from "../../core/config.ts";

export type WhatsAppConfig = AppConfigShape["whatsapp"];

/** Twilio gives up on a webhook after 15 s; an inline answer must come before that. */
export const MAX_INLINE_WAIT_MS = 13_000;

/** How long the webhook waits for a reply to answer inline: the configured budget with REST credentials, else as long as Twilio allows. */
export const inlineWaitMs = (config: WhatsAppConfig, canDeliver: boolean): number =>
  canDeliver ? Math.min(Math.max(config.inlineBudgetMs, 0), MAX_INLINE_WAIT_MS) : MAX_INLINE_WAIT_MS;
