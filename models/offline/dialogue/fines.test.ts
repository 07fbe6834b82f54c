/** The built-in model on fines questions: plates are plates (never a price cap), answers come from check_fines only. */
import { generateText, isStepCount, tool, type ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createOfflineModel } from "../index.ts";
import { readFines } from "../nlu/plates.ts";
import { fixtureTools } from "../testing/tools-fixture.ts";
import { INSTRUCTIONS } from "../testing/conversation-driver.ts";

type Answer = (plate: string) => unknown;

const DONE: Answer = (plate) =>
  plate === "NXR-4521"
    ? {
        ok: true,
        status: "done",
        checkId: "fc_1",
        plate,
        count: 2,
        total: "2822.82",
        source: "sample",
        fines: [
          { folio: "A", description: "Exceso de velocidad", authority: "SSC", issuedOn: "2025-11-03", amount: "1085.70" },
          { folio: "B", description: "Estacionarse en lugar prohibido", authority: "SSC", issuedOn: "2026-01-18", amount: "1737.12" },
        ],
      }
    : { ok: true, status: "done", checkId: "fc_2", plate, count: 0, total: "0.00", fines: [], source: "sample" };

const start = (answer: Answer = DONE) => {
  const model = createOfflineModel();
  const calls: Array<{ name: string; input: unknown }> = [];
  const tools = {
    ...fixtureTools(),
    check_fines: tool({
      description: "Consulta las multas de una placa",
      inputSchema: z.object({ plate: z.string() }),
      execute: async (input) => answer(input.plate),
    }),
  };
  const messages: ModelMessage[] = [];
  const say = async (text: string) => {
    messages.push({ role: "user", content: text });
    const result = await generateText({ model, instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    messages.push(...result.responseMessages);
    const turnCalls = result.steps.flatMap((s) => s.toolCalls.map((c) => ({ name: c.toolName, input: c.input })));
    calls.push(...turnCalls);
    return { text: result.text, calls: turnCalls };
  };
  return { say };
};

describe("fines NLU", () => {
  it("reads a plate in a fines question, not an amount", () => {
    const reading = readFines("placas NXR-4521, ¿cuánto debo?");
    expect(reading.asksFines).toBe(true);
    expect(reading.plates.map((p) => p.plate)).toEqual(["NXR4521"]);
  });
  it.each(["¿cuánto debo dar de enganche?", "busco una honda crv 2020", "¿Kavak me ayuda con el trámite de placas?", "tengo 300 mil"])("%s is not a fines question", (text) => {
    expect(readFines(text).asksFines).toBe(false);
  });
});

describe("offline model: fines", () => {
  it("placas NXR-4521, ¿cuánto debo? → check_fines with the plate, never a search capped at $4,521", async () => {
    const turn = await start().say("placas NXR-4521, ¿cuánto debo?");
    expect(turn.calls).toEqual([{ name: "check_fines", input: { plate: "NXR-4521" } }]);
    expect(turn.text).toContain("$1,085.70");
    expect(turn.text).toContain("$1,737.12");
    expect(turn.text).toContain("Total: $2,822.82");
    expect(turn.text).not.toMatch(/4,521/);
  });

  it("asks for the plate, then takes the next message's plate as the answer", async () => {
    const chat = start();
    const first = await chat.say("¿mi auto tiene multas?");
    expect(first.calls).toEqual([]);
    expect(first.text).toMatch(/placa/);
    const second = await chat.say("abc 123 d");
    expect(second.calls).toEqual([{ name: "check_fines", input: { plate: "ABC-123-D" } }]);
    expect(second.text).toMatch(/no tiene multas pendientes/);
  });

  it("remembers the result for a follow-up, and goes back to sales afterwards without a price cap", async () => {
    const chat = start();
    await chat.say("tengo multas? placa NXR-4521");
    const follow = await chat.say("¿y cuánto es el total?");
    expect(follow.calls).toEqual([]);
    expect(follow.text).toContain("Total: $2,822.82");
    const search = await chat.say("busco un nissan versa");
    expect(search.calls[0]?.name).toBe("search_cars");
    expect(search.calls[0]?.input).not.toHaveProperty("maxPrice");
  });

  it("apologises kindly when the registry is down, and says when the answer comes later", async () => {
    const down = await start(() => ({ ok: false, error: { code: "registry_unavailable", message: "x" } })).say("multas de la placa NXR-4521");
    expect(down.text).toMatch(/disculpa/i);
    expect(down.text).not.toMatch(/no tiene multas/);
    const pending = await start((plate) => ({ ok: true, status: "pending", checkId: "fc_3", plate })).say("multas de la placa NXR-4521");
    expect(pending.text).toMatch(/en cuanto tenga el resultado/i);
  });

  it("asks to confirm a plate of no valid format", async () => {
    const turn = await start(() => ({ ok: false, error: { code: "invalid_plate", message: "x" } })).say("multas de la placa NXR-4521");
    expect(turn.text).toMatch(/confirmas/);
  });
});
