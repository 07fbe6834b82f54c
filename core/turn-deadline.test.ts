/** The turn's deadline: aborts with a TimeoutError when it passes, never once cleared. */
import { describe, expect, it } from "vitest";
import { turnDeadline } from "./turn-deadline.ts";

describe("turnDeadline", () => {
  it("aborts with a TimeoutError once the time has passed", async () => {
    const deadline = turnDeadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));
    expect(deadline.signal.reason).toBeInstanceOf(DOMException);
    expect((deadline.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("never aborts once cleared", async () => {
    const deadline = turnDeadline(20);
    deadline.clear();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.signal.aborted).toBe(false);
  });
});
