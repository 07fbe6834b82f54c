/** Prompt in, next action out: replays earlier turns into a dialogue state, then plans this turn. */
import type { LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { readInContext } from "./dialogue/in-context.ts";
import { applyTools, applyTurn, applyUser } from "./dialogue/update.ts";
import { plan, type Action } from "./dialogue/plan.ts";
import { planFines } from "./dialogue/fines.ts";
import { emptyState, type DialogueState } from "./dialogue/state.ts";
import type { Understanding } from "./nlu/types.ts";
import { understandTurn } from "./nlu/understand.ts";
import { readConversation } from "./prompt/conversation.ts";
import { planClosing, replayClosing } from "./dialogue/closing.ts";

/** The usual terms when the tool's description does not list them. */
const DEFAULT_TERMS = [36, 48, 60, 72];

/** "plazos de 36, 48, 60 o 72 meses" in the financing tool's description or input schema. */
export const offeredTerms = (toolText: string): ReadonlyArray<number> => {
  const list = String.raw`(\d{2}(?:\s*,\s*\d{2})*\s*(?:o|y)\s*\d{2})`;
  const m = toolText.match(new RegExp(`${list}\\s*meses`)) ?? toolText.match(new RegExp(`meses:?\\s*${list}`));
  return m === null ? DEFAULT_TERMS : m[1]!.split(/\s*(?:,|o|y)\s*/).map(Number);
};

/** Earlier turns are re-read on every call; their understanding never changes, so keep it. */
const remembered = new Map<string, Understanding>();
const MEMO_SIZE = 1000;
const understandOnce = (text: string): Understanding => {
  const known = remembered.get(text);
  if (known !== undefined) return known;
  const fresh = understandTurn(text);
  if (remembered.size >= MEMO_SIZE) remembered.delete(remembered.keys().next().value!);
  remembered.set(text, fresh);
  return fresh;
};

export const decide = (options: Pick<LanguageModelV4CallOptions, "prompt" | "tools">): Action => {
  const conversation = readConversation(options.prompt);
  // Closing flows (dialogue/closing.ts): turns they answered are not read as searches or amounts.
  const booking = options.tools?.find((t) => t.type === "function" && t.name === "book_appointment");
  const closing = replayClosing(conversation, booking?.type === "function" ? (booking.description ?? "") : "");
  let before: DialogueState = emptyState();
  for (const [i, turn] of conversation.history.entries())
    before = closing.claimed.has(i) ? applyTools(before, turn.exchanges) : applyTurn(before, readInContext(understandOnce(turn.userText), turn.userText, before), turn.exchanges);
  const current = conversation.current;
  const understanding = readInContext(understandOnce(current.userText), current.userText, before);
  const afterUser = applyUser(before, understanding);
  const now = applyTools(afterUser, current.exchanges);
  const functions = (options.tools ?? []).filter((t) => t.type === "function");
  const tools = new Set(functions.map((t) => t.name));
  const terms = offeredTerms(JSON.stringify(functions.find((t) => t.name === "calculate_financing") ?? {}));
  // Traffic fines first: "placas NXR-4521, ¿cuánto debo?" names a plate, not a budget (dialogue/fines.ts).
  const fines = planFines({ userText: current.userText, exchanges: current.exchanges, history: conversation.history, tools, images: current.images ?? 0 });
  if (fines !== undefined) return fines;
  const seed = `${conversation.history.length}:${current.userText}`;
  const closed = planClosing({ userText: current.userText, replay: closing, exchanges: current.exchanges, tools, focus: before.focus, seed });
  if (closed !== undefined) return closed;
  return plan({ userText: current.userText, understanding, before, afterUser, now, exchanges: current.exchanges, tools, terms, seed });
};
