/**
 * The AI SDK's OpenTelemetry integration (@ai-sdk/otel: the GenAI spans of agent runs, model calls
 * and tool executions), with the content-capture switch applied where it costs least.
 *
 * The harness leaves the AI SDK's recordInputs/recordOutputs unset. Were they false, the SDK would
 * copy and filter every telemetry event before handing it over (about 0.3 ms of a 9 ms turn on the
 * offline model, bench:turns profile). Instead the integration is told once, when a call starts:
 * everything it records about that call is decided from the start event, so with capture off it
 * records no prompt, message, tool argument or result. The content policy (content-policy.ts)
 * still removes such attributes from every span, whichever code made it. Nothing else receives the
 * AI SDK's events in this process (no other integration, no subscriber to its tracing channel).
 */
import { OpenTelemetry } from "@ai-sdk/otel";

type StartEvent = Parameters<OpenTelemetry["onStart"]>[0];

export const aiSdkTelemetry = (captureContent: boolean): OpenTelemetry => {
  const integration = new OpenTelemetry();
  const onStart = integration.onStart.bind(integration);
  return Object.assign(integration, {
    // The SDK hands each step's end to both `onStepEnd` and its deprecated alias `onStepFinish`
    // (copying the event for each); the integration's alias only calls `onStepEnd` again.
    onStepFinish: undefined,
    onStart: captureContent
      ? onStart
      : (event: StartEvent) => onStart(Object.assign(Object.create(Object.getPrototypeOf(event) as object) as StartEvent, event, { recordInputs: false, recordOutputs: false })),
  });
};
