/** Settings of the fines feature (README.md lists them). */
import { Config, Option, Redacted } from "effect";

const optionalString = (name: string) =>
  Config.String(name).pipe(Config.option, Config.map(Option.filter((value) => value.trim() !== "")), Config.map(Option.getOrUndefined));
const optionalSecret = (name: string) =>
  Config.Redacted(name).pipe(Config.option, Config.map(Option.filter((value) => Redacted.value(value).trim() !== "")), Config.map(Option.getOrUndefined));

export const finesConfig = Config.all({
  /** External fines API; unset: the embedded registry with its sample dataset. */
  registryUrl: optionalString("FINES_REGISTRY_URL"),
  registryKey: optionalSecret("FINES_REGISTRY_KEY"),
  registryTimeoutMs: Config.Int("FINES_REGISTRY_TIMEOUT_MS").pipe(Config.withDefault(4_000)),
  /** Load the shipped sample fines into the embedded registry when its table is empty. */
  seedSample: Config.Boolean("FINES_SEED_SAMPLE").pipe(Config.withDefault(true)),
  /** How long the check_fines tool waits for the worker before answering "pending" (the answer then arrives asynchronously). */
  inlineWaitMs: Config.Int("FINES_INLINE_WAIT_MS").pipe(Config.withDefault(2_500)),
  /** Keep plate photos after their check is settled (default: deleted, plates are personal data). */
  keepImages: Config.Boolean("FINES_KEEP_IMAGES").pipe(Config.withDefault(false)),
});

export type FinesConfig = Config.Success<typeof finesConfig>;
