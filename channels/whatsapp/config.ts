/** The WhatsApp channel's settings: the `whatsapp` part of the one config module (core/config.ts). */
import type { AppConfigShape } from "../../core/config.ts";

export type WhatsAppConfig = AppConfigShape["whatsapp"];
