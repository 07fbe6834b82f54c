/**
 * npm run eval:from-conversation -- <conversation id> [--server http://localhost:3000] [--key <admin key>] [--print]
 * Saves a real conversation of a running server as a golden conversation: asks the server's
 * inspector (POST /inspector/api/conversations/:id/golden, admin key from --key or the first of
 * ADMIN_API_KEYS) and writes evals/conversations/<saved-…>.yaml (never over an existing file), or
 * prints it with --print. Then edit its expectations and run `npm run eval -- --only <id>`.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONVERSATIONS_DIR, parseConversations } from "./conversation-spec.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args.splice(at, 2)[1];
};
const server = option("--server") ?? "http://localhost:3000";
const key = option("--key") ?? process.env.ADMIN_API_KEYS?.split(",")[0]?.trim();
const print = args.includes("--print");
const conversationId = args.find((a) => !a.startsWith("--"));
if (!conversationId || !key) {
  console.error("usage: npm run eval:from-conversation -- <conversation id> [--server URL] [--key ADMIN_KEY] [--print]  (the key defaults to the first of ADMIN_API_KEYS)");
  process.exit(2);
}
const response = await fetch(`${server.replace(/\/$/, "")}/inspector/api/conversations/${encodeURIComponent(conversationId)}/golden`, {
  method: "POST",
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: "{}",
});
const body = (await response.json().catch(() => ({}))) as { id?: string; file?: string; yaml?: string; error?: { message?: string } };
if (!response.ok || !body.yaml || !body.file) {
  console.error(`the server answered ${response.status}: ${body.error?.message ?? "no golden conversation"}`);
  process.exit(1);
}
parseConversations(body.yaml, body.file);
if (print) {
  process.stdout.write(body.yaml);
  process.exit(0);
}
const path = join(CONVERSATIONS_DIR, body.file);
if (existsSync(path)) {
  console.error(`${path} exists; not overwritten (use --print)`);
  process.exit(1);
}
writeFileSync(path, body.yaml);
console.log(`wrote ${path}: edit its expectations, then npm run eval -- --only ${body.id}`);
