import { Effect, Logger } from "effect";
import { describe, expect, it } from "vitest";
import { warnOncePerOutage } from "./outage.ts";

describe("warnOncePerOutage", () => {
  it("turns failures into the fallback and warns once per outage", async () => {
    const warnings: string[] = [];
    const capture = Logger.make<unknown, void>(({ message }) => {
      warnings.push(String(Array.isArray(message) ? message[0] : message));
    });
    const outcomes = ["fail", "fail", "ok", "fail", "fail", "fail", "ok"] as const;
    const guarded = warnOncePerOutage();
    const results = await Effect.runPromise(
      Effect.forEach(outcomes, (outcome, i) =>
        guarded(outcome === "ok" ? Effect.succeed(`value ${i}`) : Effect.fail(`down at ${i}`), (error) => `fails: ${error}`, "fallback"),
      ).pipe(Effect.provide(Logger.layer([capture]))),
    );
    expect(results).toEqual(["fallback", "fallback", "value 2", "fallback", "fallback", "fallback", "value 6"]);
    expect(warnings).toEqual(["fails: down at 0", "fails: down at 3"]);
  });
});
