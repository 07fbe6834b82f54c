/**
 * For loops that poll a database: a failed attempt becomes a fallback value (the loop goes on and
 * retries at its next poll), with one warning per outage instead of one per attempt.
 */
import { Effect } from "effect";

/** A guard for one loop: it remembers whether the previous attempt failed. */
export const warnOncePerOutage = () => {
  let failing = false;
  return <A, E, R, B>(attempt: Effect.Effect<A, E, R>, warning: (error: E) => string, fallback: B): Effect.Effect<A | B, never, R> =>
    attempt.pipe(
      Effect.tap(() => Effect.sync(() => (failing = false))),
      Effect.catch((error: E) =>
        (failing ? Effect.void : Effect.logWarning(warning(error))).pipe(
          Effect.andThen(Effect.sync(() => (failing = true))),
          Effect.as(fallback),
        ),
      ),
    );
};
