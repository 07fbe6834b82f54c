// @ts-check
/**
 * A mystery shopper's line to the assistant: sends one message to a running app's HTTP API and prints
 * the reply, appending both to the conversation's transcript (the record the measurement is judged on,
 * written by this tool, not from memory).
 *
  *   node evals/shoppers/say.mjs <set> <conversation> "mensaje"
 *
 * SHOP_URL: the app (default http://127.0.0.1:3999). Transcript: evals/shoppers/<set>/transcripts/<conversation>.jsonl.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const [set, conversation, ...words] = process.argv.slice(2);
const text = words.join(" ").trim();
if (!set || !/^[a-z0-9-]+$/.test(set) || !conversation || !/^[a-z0-9-]+$/.test(conversation) || !text) {
  console.error('usage: node evals/shoppers/say.mjs <set> <conversation> "mensaje"   (set and conversation: a-z, 0-9, -)');
  process.exit(2);
}
const base = process.env.SHOP_URL ?? "http://127.0.0.1:3999";
const conversationId = `shop-${set}-${conversation}`;
const started = Date.now();
const response = await fetch(`${base}/v1/conversations/${conversationId}/messages`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ text }),
});
const body = await response.json().catch(() => ({}));
const reply = response.ok ? (body.reply?.text ?? "") : `[HTTP ${response.status}] ${body.error?.message ?? ""}`;
const dir = join(import.meta.dirname, set, "transcripts");
mkdirSync(dir, { recursive: true });
appendFileSync(join(dir, `${conversation}.jsonl`), `${JSON.stringify({ at: new Date(started).toISOString(), user: text, assistant: reply, ms: Date.now() - started })}\n`);
console.log(reply);
