/** Runs multi-turn scripts through generateText with the offline model and fixture tools. */
import { startConversation } from "../../models/offline/testing/conversation-driver.ts";
import { foldLatinAccents } from "../../lib/fold-accents.ts";

export interface ScriptTurn {
  readonly user: string;
  /** Exact tool names called this turn, in order. */
  readonly tools?: ReadonlyArray<string>;
  readonly notTools?: ReadonlyArray<string>;
  /** Per tool: fields the last call's input must have. */
  readonly inputs?: Record<string, Record<string, unknown>>;
  readonly contains?: ReadonlyArray<string>;
  readonly notContains?: ReadonlyArray<string>;
}

export interface Script {
  readonly name: string;
  readonly turns: ReadonlyArray<ScriptTurn>;
}

export interface ScriptResult {
  readonly name: string;
  readonly passed: boolean;
  readonly problems: ReadonlyArray<string>;
}

const fold = (s: string): string => foldLatinAccents(s.toLowerCase());
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Checks every reply must pass: size, no raw JSON, no internal ids. */
const replyRules = (text: string, stockIds: ReadonlyArray<number>): string[] => {
  const problems: string[] = [];
  if (text.length > 1600) problems.push(`reply has ${text.length} characters`);
  if (text.trim() === "") problems.push("empty reply");
  if (/[{}[\]]/.test(text)) problems.push("reply looks like raw JSON");
  for (const id of stockIds) if (text.includes(String(id))) problems.push(`reply shows stock id ${id}`);
  if (/^#{1,6}\s|\|---/m.test(text)) problems.push("reply uses markdown headings or tables");
  return problems;
};

export const runScript = async (script: Script): Promise<ScriptResult> => {
  const chat = startConversation();
  const problems: string[] = [];
  for (const [i, turn] of script.turns.entries()) {
    const where = `turn ${i + 1} "${turn.user}"`;
    const out = await chat.say(turn.user);
    const names = out.toolCalls.map((c) => c.name);
    if (turn.tools !== undefined && !same(names, turn.tools)) problems.push(`${where}: tools ${JSON.stringify(names)}, expected ${JSON.stringify(turn.tools)}`);
    for (const name of turn.notTools ?? []) if (names.includes(name)) problems.push(`${where}: called ${name}`);
    for (const [name, fields] of Object.entries(turn.inputs ?? {})) {
      const call = [...out.toolCalls].reverse().find((c) => c.name === name);
      if (call === undefined) {
        problems.push(`${where}: no ${name} call`);
        continue;
      }
      const input = call.input as Record<string, unknown>;
      for (const [k, v] of Object.entries(fields)) if (!same(input[k], v)) problems.push(`${where}: ${name}.${k} = ${JSON.stringify(input[k])}, expected ${JSON.stringify(v)}`);
    }
    for (const s of turn.contains ?? []) if (!fold(out.text).includes(fold(s))) problems.push(`${where}: reply lacks "${s}"`);
    for (const s of turn.notContains ?? []) if (fold(out.text).includes(fold(s))) problems.push(`${where}: reply has "${s}"`);
    const ids = out.toolCalls.flatMap((c) => {
      const o = c.output as { cars?: { stockId: number }[]; car?: { stockId: number } } | undefined;
      return [...(o?.cars ?? []).map((x) => x.stockId), ...(o?.car === undefined || o.car === null ? [] : [o.car.stockId])];
    });
    problems.push(...replyRules(out.text, ids).map((p) => `${where}: ${p}`));
  }
  return { name: script.name, passed: problems.length === 0, problems };
};
