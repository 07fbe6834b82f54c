/**
 * A turn's deadline as an AbortSignal whose timer ends with the turn. `AbortSignal.timeout(ms)`
 * keeps its signal, and everything listening to it (the model call's whole state, its spans and
 * the request), alive until it fires: at a 60 s deadline and a hundred turns a second that held
 * about 170 MB of finished turns (bench:soak).
 */
export interface TurnDeadline {
  /** Aborts with a "TimeoutError" DOMException once the deadline passes. */
  readonly signal: AbortSignal;
  /** Stops the timer (the turn is over); the signal then never aborts. */
  readonly clear: () => void;
}

export const turnDeadline = (ms: number): TurnDeadline => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The turn took longer than ${ms} ms.`, "TimeoutError")), ms);
  // A pending deadline alone must not keep the process running.
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};
