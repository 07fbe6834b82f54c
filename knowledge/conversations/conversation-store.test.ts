/**
 * A turn that never finished (its user message stored, its answer not: the model or the database
 * failed in between) is invisible to readers: neither the model's window nor the history shows
 * a user message without an answer.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDatabase } from "../db/test-database.ts";
import { ConversationStore, type NewMessage } from "./conversation-store.ts";

const user = (text: string): NewMessage => ({ role: "user", text, content: { role: "user", content: text } });
const assistant = (text: string): NewMessage => ({ role: "assistant", text, content: { role: "assistant", content: text } });
const toolCall: NewMessage = { role: "assistant", text: null, content: { role: "assistant", content: [{ type: "tool-call", toolCallId: "1", toolName: "search_cars", input: {} }] } };
const toolResult: NewMessage = { role: "tool", text: null, content: { role: "tool", content: [{ type: "tool-result", toolCallId: "1", toolName: "search_cars", output: { type: "json", value: {} } }] } };

describe("conversation store: unfinished turns", () => {
  const runtime = ManagedRuntime.make(ConversationStore.layer.pipe(Layer.provide(TestDatabase)));
  const store = <A, E>(f: (s: ConversationStore["Service"]) => Effect.Effect<A, E>) => runtime.runPromise(ConversationStore.use(f));

  beforeAll(() => runtime.runPromise(Effect.void));
  afterAll(() => runtime.dispose());

  it("skips user messages that nothing answered, in the window and in the history", async () => {
    const id = "unfinished-1";
    await store((s) => s.append(id, "http", [user("hola")]));
    // The first turn failed: nothing to remember, nothing to show, but the conversation exists.
    expect(await store((s) => s.recentContent(id, 60))).toEqual([]);
    expect(await store((s) => s.visibleHistory(id))).toEqual([]);

    // The next turn (the old flow: user message at the start, the answer at the end).
    await store((s) => s.append(id, "http", [user("busco un versa")]));
    await store((s) => s.append(id, "http", [toolCall, toolResult, assistant("Tengo dos Versa")]));
    // Then a turn whose model failed, and one that finished in one write (the recommended flow).
    await store((s) => s.append(id, "http", [user("¿y a crédito?")]));
    await store((s) => s.append(id, "http", [user("¿a 48 meses?"), assistant("Serían 5,478.29 al mes")]));

    const window = (await store((s) => s.recentContent(id, 60))) as Array<{ role: string; content: unknown }>;
    expect(window.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant"]);
    expect(window[0]!.content).toBe("busco un versa");
    expect(window[4]!.content).toBe("¿a 48 meses?");
    const history = await store((s) => s.visibleHistory(id));
    expect(history!.map((m) => [m.role, m.text])).toEqual([
      ["user", "busco un versa"],
      ["assistant", "Tengo dos Versa"],
      ["user", "¿a 48 meses?"],
      ["assistant", "Serían 5,478.29 al mes"],
    ]);
    // The limit counts the messages returned, newest first.
    expect(((await store((s) => s.recentContent(id, 2))) as Array<{ content: unknown }>).map((m) => m.content)).toEqual(["¿a 48 meses?", "Serían 5,478.29 al mes"]);
  });

  it("a turn in progress is not shown until its answer is stored", async () => {
    const id = "in-progress-1";
    await store((s) => s.append(id, "http", [user("hola"), assistant("¡Hola!")]));
    await store((s) => s.append(id, "http", [user("busco un auto")]));
    expect((await store((s) => s.visibleHistory(id)))!.map((m) => m.text)).toEqual(["hola", "¡Hola!"]);
    expect(await store((s) => s.visibleHistory("unknown-1"))).toBeUndefined();
  });

  it("appends that race on one conversation (a new one, then an existing one) each keep their turn whole", async () => {
    // On PostgreSQL these run on separate pooled connections at once; PGlite runs them one by one.
    for (const round of ["new", "existing"]) {
      const id = "racing-1";
      await Promise.all(Array.from({ length: 8 }, (_, i) => store((s) => s.append(id, "http", [user(`${round} ${i}`), assistant(`ok ${round} ${i}`)]))));
      const history = (await store((s) => s.visibleHistory(id)))!.filter((m) => m.text.includes(round));
      expect(history).toHaveLength(16);
      for (let i = 0; i < 16; i += 2) expect(history[i + 1]!.text).toBe(`ok ${history[i]!.text}`);
    }
  });
});
