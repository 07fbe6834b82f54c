/**
 * A regenerated answer (`append(..., { replaceLastTurn: true })`): the last turn, from its user
 * message on, is replaced in the same transaction; nothing else is touched.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../db/test-database.ts";
import { ConversationStore, type NewMessage } from "./conversation-store.ts";

const user = (text: string): NewMessage => ({ role: "user", text, content: { role: "user", content: text } });
const assistant = (text: string): NewMessage => ({ role: "assistant", text, content: { role: "assistant", content: text } });
const toolCall: NewMessage = { role: "assistant", text: null, content: { role: "assistant", content: [{ type: "tool-call", toolCallId: "1", toolName: "search_cars", input: {} }] } };
const toolResult: NewMessage = { role: "tool", text: null, content: { role: "tool", content: [{ type: "tool-result", toolCallId: "1", toolName: "search_cars", output: { type: "json", value: {} } }] } };

describe("conversation store: replacing the last turn", () => {
  const runtime = ManagedRuntime.make(ConversationStore.layer.pipe(Layer.provide(TestDatabase)));
  const store = <A, E>(f: (s: ConversationStore["Service"]) => Effect.Effect<A, E>) => runtime.runPromise(ConversationStore.use(f));
  const texts = async (id: string) => (await store((s) => s.visibleHistory(id)))!.map((m) => `${m.role}: ${m.text}`);

  beforeAll(() => runtime.runPromise(Effect.void));
  afterAll(() => runtime.dispose());

  it("replaces the last turn (tool steps included) and keeps the earlier ones", async () => {
    const id = "replace-1";
    await store((s) => s.append(id, "web", [user("hola"), assistant("¡Hola!")]));
    await store((s) => s.append(id, "web", [user("busco un versa"), toolCall, toolResult, assistant("Tengo dos Versa")]));
    await store((s) => s.append(id, "web", [user("busco un versa"), assistant("Encontré dos Nissan Versa")], { replaceLastTurn: true }));
    expect(await texts(id)).toEqual(["user: hola", "assistant: ¡Hola!", "user: busco un versa", "assistant: Encontré dos Nissan Versa"]);
    const window = (await store((s) => s.recentContent(id, 60))) as Array<{ role: string }>;
    expect(window.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    // Without the option the same turn is appended: a second user message.
    await store((s) => s.append(id, "web", [user("busco un versa"), assistant("Otra vez")]));
    expect((await texts(id)).filter((t) => t === "user: busco un versa")).toHaveLength(2);
  });

  it("replaces an unfinished turn, and is a plain append on a new conversation", async () => {
    const id = "replace-2";
    await store((s) => s.append(id, "web", [user("hola")], { replaceLastTurn: true }));
    await store((s) => s.append(id, "web", [user("hola"), assistant("¡Hola!")], { replaceLastTurn: true }));
    expect(await texts(id)).toEqual(["user: hola", "assistant: ¡Hola!"]);
  });
});
