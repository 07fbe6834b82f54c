/** The web widget's settings: the `widget` part of the one config module (core/config.ts). */
import type { AppConfigShape } from "../../core/config.ts";

export type WidgetConfig = AppConfigShape["widget"];
