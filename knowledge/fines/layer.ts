/** The fines registry the configuration selects: the external API when FINES_REGISTRY_URL is set, else the embedded sample. */
import { Effect, Layer } from "effect";
import { finesConfig } from "./config.ts";
import { embeddedRegistryLayer } from "./embedded-registry.ts";
import { httpRegistryLayer } from "./http-registry.ts";

export const FinesRegistryLive = Layer.unwrap(
  Effect.gen(function* () {
    const config = yield* finesConfig;
    return config.registryUrl !== undefined
      ? httpRegistryLayer({ url: config.registryUrl, key: config.registryKey, timeoutMs: config.registryTimeoutMs })
      : embeddedRegistryLayer({ seedSample: config.seedSample });
  }),
);
