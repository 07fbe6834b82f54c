/**
 * The one place where a tool's Effect meets the AI SDK: it runs with the application's services,
 * and every failure becomes a result the model can explain, never an exception that ends the turn.
 */
import { Cause, Effect } from "effect";
import { FinancingError } from "../knowledge/financing/financing-service.ts";

export interface ToolFailure {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string };
}

export type RunTool<R> = <A, E>(effect: Effect.Effect<A, E, R>) => Promise<A | ToolFailure>;

const UNAVAILABLE: ToolFailure = { ok: false, error: { code: "tool_unavailable", message: "No pude consultar esa información en este momento." } };

/** A domain error the customer can be told about (its message is Spanish), or undefined. */
const explainable = (error: unknown): ToolFailure | undefined =>
  error instanceof FinancingError ? { ok: false, error: { code: error.code, message: error.message } } : undefined;

export const makeToolRunner = <R>() =>
  Effect.gen(function* () {
    const services = yield* Effect.context<R>();
    const run: RunTool<R> = (effect) =>
      Effect.runPromiseWith(services)(
        effect.pipe(
          Effect.catchCause((cause) => {
            const failure = Cause.findErrorOption(cause);
            const told = failure._tag === "Some" ? explainable(failure.value) : undefined;
            return told ? Effect.succeed(told) : Effect.logError("tool failed", cause).pipe(Effect.as(UNAVAILABLE));
          }),
        ),
      );
    return run;
  });
