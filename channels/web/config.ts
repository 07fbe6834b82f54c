/** Web widget settings, in the style of core/config.ts, to be merged there as `widget`. */
import { Config } from "effect";

const list = (name: string) =>
  Config.String(name).pipe(
    Config.withDefault(""),
    Config.map((raw) => raw.split(",").map((item) => item.trim()).filter((item) => item !== "")),
  );

export const widgetConfig = Config.all({
  /**
   * Origins allowed to call the chat API from a browser, e.g. "https://dealer.example,https://www.dealer.example";
   * "*" allows any. The server's own origin (the demo page) is always allowed.
   */
  allowedOrigins: list("WIDGET_ALLOWED_ORIGINS"),
});

export type WidgetConfig = Config.Success<typeof widgetConfig>;
