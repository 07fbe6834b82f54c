/** The built-in model with plate photos: a photo (or "te mando foto de mis placas") leads to check_fines({ photo }). */
import { generateText, isStepCount, tool, type ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createOfflineModel } from "../index.ts";
import { fixtureTools } from "../testing/tools-fixture.ts";
import { INSTRUCTIONS } from "../testing/conversation-driver.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

type Input = { plate?: string; photo?: number };

const start = (answer: (input: Input) => unknown) => {
  const model = createOfflineModel();
  const tools = {
    ...fixtureTools(),
    check_fines: tool({
      description: "Consulta las multas de una placa o de una foto",
      inputSchema: z.object({ plate: z.string().optional(), photo: z.number().optional() }),
      execute: async (input) => answer(input),
    }),
  };
  const messages: ModelMessage[] = [];
  const say = async (text: string, withPhoto = false) => {
    messages.push({ role: "user", content: [{ type: "text", text }, ...(withPhoto ? [{ type: "file" as const, data: PNG, mediaType: "image/png" }] : [])] });
    const result = await generateText({ model, instructions: INSTRUCTIONS, messages, tools, stopWhen: isStepCount(6) });
    messages.push(...result.responseMessages);
    return { text: result.text, calls: result.steps.flatMap((s) => s.toolCalls.map((c) => ({ name: c.toolName, input: c.input }))) };
  };
  return { say };
};

const DONE = { ok: true, status: "done", checkId: "fc_1", plate: "NXR-4521", count: 1, total: "1085.70", source: "sample", fines: [{ folio: "A", description: "Exceso de velocidad", authority: "SSC", issuedOn: "2025-11-03", amount: "1085.70" }] };

describe("offline model: fines from a photo", () => {
  it("«te mando foto de mis placas» asks for the photo; the photo then goes to check_fines", async () => {
    const chat = start(() => DONE);
    const first = await chat.say("te mando foto de mis placas");
    expect(first.calls).toEqual([]);
    expect(first.text).toMatch(/foto/i);
    const second = await chat.say("Te envío una foto.", true);
    expect(second.calls).toEqual([{ name: "check_fines", input: { photo: 1 } }]);
    expect(second.text).toContain("Total: $1,085.70");
  });

  it("a photo with a fines question goes to check_fines; a photo about a car search does not", async () => {
    expect((await start(() => DONE).say("¿esta placa tiene multas?", true)).calls).toEqual([{ name: "check_fines", input: { photo: 1 } }]);
    expect((await start(() => DONE).say("busco un nissan versa como este", true)).calls.map((c) => c.name)).not.toContain("check_fines");
  });

  it("unsure: asks to confirm the plate read; «sí» looks that plate up", async () => {
    const chat = start((input) => (input.photo ? { ok: true, status: "unsure", checkId: "fc_2", plate: "NXR-4521" } : DONE));
    const first = await chat.say("¿cuánto debo de multas?", true);
    expect(first.text).toContain("Leí la placa *NXR-4521* en la foto, ¿es correcta?");
    const second = await chat.say("sí");
    expect(second.calls).toEqual([{ name: "check_fines", input: { plate: "NXR-4521" } }]);
    expect(second.text).toContain("Total: $1,085.70");
  });

  it("unreadable: asks for the plate typed, and the next message's plate is looked up", async () => {
    const chat = start((input) => (input.photo ? { ok: true, status: "unreadable", checkId: "fc_3" } : DONE));
    const first = await chat.say("¿tiene multas?", true);
    expect(first.text).toContain("No pude leer la placa en la foto");
    expect(first.text).not.toMatch(/\$\d/);
    const second = await chat.say("NXR 4521");
    expect(second.calls).toEqual([{ name: "check_fines", input: { plate: "NXR-4521" } }]);
  });
});
