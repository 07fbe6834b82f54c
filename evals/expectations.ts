/** Per-turn expectations of a golden conversation: tools and their key arguments, and content. */
import type { ExpectedTool, TurnSpec } from "./conversation-spec.ts";
import { fold } from "./invariants.ts";

export interface ToolCall {
  readonly name: string;
  readonly input: unknown;
  readonly output: unknown;
}

/** Text as compared: lowercase, no accents, no *bold*, single spaces. */
const comparable = (text: string): string => fold(text).replace(/\s+/g, " ").trim();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Does `actual` have what `expected` asks? Objects: every expected key (extra keys are fine; an
 * expected `null` means the key must be absent). Strings: equal ignoring case and accents.
 * Arrays: the same items in any order. Numbers and booleans: equal.
 */
export const matchesArgs = (expected: unknown, actual: unknown, path = "args"): string | undefined => {
  if (expected === null) return actual === undefined || actual === null ? undefined : `${path} should be absent, is ${JSON.stringify(actual)}`;
  if (typeof expected === "string") return typeof actual === "string" && comparable(actual) === comparable(expected) ? undefined : `${path} should be "${expected}", is ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path} should be ${JSON.stringify(expected)}, is ${JSON.stringify(actual)}`;
    const remaining = [...actual];
    for (const item of expected) {
      const at = remaining.findIndex((candidate) => matchesArgs(item, candidate) === undefined);
      if (at === -1) return `${path} should be ${JSON.stringify(expected)}, is ${JSON.stringify(actual)}`;
      remaining.splice(at, 1);
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${path} should be an object, is ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const problem = matchesArgs(value, actual[key], `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path} should be ${JSON.stringify(expected)}, is ${JSON.stringify(actual)}`;
};

const describeCall = (call: ToolCall) => `${call.name}(${JSON.stringify(call.input)})`;

/** Expected tools must be called in order (other calls may come between); `[]` means no call at all. */
const checkTools = (expected: ReadonlyArray<ExpectedTool>, calls: ReadonlyArray<ToolCall>): string[] => {
  if (expected.length === 0) return calls.length === 0 ? [] : [`expected no tool call, got ${calls.map(describeCall).join(", ")}`];
  const problems: string[] = [];
  let from = 0;
  for (const want of expected) {
    const sameName = calls.slice(from).map((call, i) => ({ call, at: from + i })).filter(({ call }) => call.name === want.name);
    const hit = sameName.find(({ call }) => want.args === undefined || matchesArgs(want.args, call.input) === undefined);
    if (hit !== undefined) {
      from = hit.at + 1;
      continue;
    }
    if (sameName.length === 0) problems.push(`expected a call to ${want.name}; calls: ${calls.length === 0 ? "none" : calls.map(describeCall).join(", ")}`);
    else problems.push(`${want.name} called without the expected arguments: ${matchesArgs(want.args, sameName[0]!.call.input)}`);
  }
  return problems;
};

/** Everything a turn's reply and tool calls miss of its expectations (empty when all hold). */
export const checkTurn = (spec: TurnSpec, reply: string, calls: ReadonlyArray<ToolCall>): string[] => {
  const problems: string[] = [];
  if (spec.tools !== undefined) problems.push(...checkTools(spec.tools, calls));
  for (const name of spec.avoid_tools ?? []) if (calls.some((call) => call.name === name)) problems.push(`${name} must not be called`);
  const text = comparable(reply);
  for (const want of spec.says ?? []) if (!text.includes(comparable(want))) problems.push(`reply should say "${want}"`);
  if (spec.says_any !== undefined && !spec.says_any.some((want) => text.includes(comparable(want)))) problems.push(`reply should say one of ${spec.says_any.map((w) => `"${w}"`).join(", ")}`);
  for (const banned of spec.not_says ?? []) if (text.includes(comparable(banned))) problems.push(`reply must not say "${banned}"`);
  for (const pattern of spec.matches ?? []) if (!new RegExp(pattern, "iu").test(reply)) problems.push(`reply should match /${pattern}/`);
  for (const pattern of spec.not_matches ?? []) if (new RegExp(pattern, "iu").test(reply)) problems.push(`reply must not match /${pattern}/`);
  for (const want of spec.results ?? []) {
    const outputs = calls.filter((call) => call.name === want.name);
    if (outputs.length === 0) problems.push(`expected a result of ${want.name}; none this turn`);
    else if (want.args !== undefined && !outputs.some((call) => matchesArgs(want.args, call.output, "output") === undefined))
      problems.push(`${want.name} result: ${matchesArgs(want.args, outputs[0]!.output, "output")}`);
  }
  return problems;
};
