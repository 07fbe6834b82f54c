/**
 * Issue 5's acceptance, through the real HTTP API with no API key (offline model, embedded database
 * with the knowledge documents ingested at start-up): Kavak questions are answered from what
 * search_knowledge returned, follow-ups are read in context, and no figure comes from elsewhere.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startTestServer, type TestServer } from "../../app/testing/test-server.ts";
import { foldLatinAccents } from "../../lib/fold-accents.ts";

interface ToolCall {
  readonly name: string;
  readonly input: { query?: string };
  readonly output: unknown;
}
interface TurnBody {
  readonly reply: { readonly text: string };
  readonly toolCalls: ReadonlyArray<ToolCall>;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const chat = () => {
  const base = `${server.url}/v1/conversations/knowledge-${randomUUID()}`;
  return async (text: string): Promise<TurnBody> => {
    const res = await postJson(`${base}/messages`, { text });
    expect(res.status).toBe(200);
    return (await res.json()) as TurnBody;
  };
};

const DECLINED = /se sale de lo que puedo|solo te puedo ayudar con autos|lo mío son los autos/i;
const fold = (s: string) => foldLatinAccents(s).toLowerCase();

/** Answered from the knowledge base: it was asked, the reply says what it returned, and no other figure. */
const expectGrounded = (turn: TurnBody, says: ReadonlyArray<string>) => {
  const knowledge = turn.toolCalls.filter((c) => c.name === "search_knowledge");
  expect(knowledge.length, turn.reply.text).toBeGreaterThan(0);
  expect(turn.reply.text).not.toMatch(DECLINED);
  const returned = fold(JSON.stringify(knowledge.map((c) => c.output)));
  for (const s of says) expect(fold(turn.reply.text)).toContain(fold(s));
  for (const figure of turn.reply.text.match(/\d[\d,.:]*/g) ?? []) expect(returned, `figure ${figure}`).toContain(figure.replace(/[.,:]$/, ""));
};

describe("Kavak questions over HTTP, offline model", () => {
  it.each([
    ["tienen garantia?", ["3 meses"]],
    ["cuantos dias tengo para regresar el carro si no me convence", ["7 días", "300 km"]],
    ["dond stan en monterrey", ["Punto Valle", "Nuevo Sur"]],
    ["a que hora abren en santa fe", ["no publicado"]],
    ["qué papeles ocupo", ["INE", "comprobante de domicilio"]],
    ["puedo dar mi carro a cuenta", ["enganche"]],
    ["quiero vender mi carro", ["consignación"]],
    ["tienen app?", ["App Kavak"]],
    ["y si no tienen el carro que yo quiero?", ["te ayuda a encontrarlo"]],
    ["que pasa si el auto que busco no esta en kavak?", ["te ayuda a encontrarlo"]],
  ])("%s → answered from the knowledge base", async (question, says) => {
    expectGrounded(await chat()(question), says);
  });

  it("reads 'y en puabla?' after a branch question as the same question about Puebla", async () => {
    const say = chat();
    expectGrounded(await say("dond stan en monterrey"), ["Monterrey"]);
    const next = await say("y en puabla?");
    expectGrounded(next, ["Explanada", "Las Torres"]);
    expect(next.reply.text).not.toContain("Punto Valle");
  });

  it("carries the subject into a follow-up that names none ('¿y cuánto dura?' after the warranty)", async () => {
    const say = chat();
    await say("tienen garantía?");
    const next = await say("y cuanto dura?");
    expect(next.toolCalls.find((c) => c.name === "search_knowledge")?.input.query).toMatch(/garant/i);
    expectGrounded(next, ["3 meses"]);
  });

  it("abstains kindly when the knowledge base has nothing", async () => {
    const turn = await chat()("cuanto cuesta el seguro");
    expect(turn.toolCalls.map((c) => c.name)).toContain("search_knowledge");
    expect(turn.reply.text).toMatch(/asesor/);
  });
});
